-- The Sheets add-on's API keys (docs/ADDON_API.md): custom functions cannot get an identity token, so each person
-- has one key for POST /jobs/status. Only the SHA-256 of a key is kept; the key itself is shown once.

CREATE TABLE addon_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_email  text        NOT NULL,  -- lower case
    key_hash     bytea       NOT NULL,  -- SHA-256 of the whole key, "vfk_" included
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    CONSTRAINT addon_keys_hash_unique UNIQUE (key_hash),
    CONSTRAINT addon_keys_hash_length CHECK (octet_length(key_hash) = 32)
);

-- At most one live key per person: issuing a new one revokes the old one in the same transaction.
CREATE UNIQUE INDEX addon_keys_one_live_key ON addon_keys (owner_email) WHERE revoked_at IS NULL;
