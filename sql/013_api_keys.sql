-- The public Jobs API (docs/API.md): API keys, the answers kept for Idempotency-Key, and the index its job list pages on.

-- A key is "vfa_" and 32 random bytes in base64url; only its SHA-256 is kept, the key itself is shown once.
CREATE TABLE api_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash      bytea       NOT NULL,
    owner         text        NOT NULL,  -- who the key is for (a person, a team, "zapier"); names its caller
    scope         text        NOT NULL,  -- read: GET only; write: everything, keys included
    created_by    text        NOT NULL,  -- "cli" or the API caller who made it
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,           -- refreshed at most once a minute
    revoked_at    timestamptz,
    CONSTRAINT api_keys_hash_unique UNIQUE (key_hash),
    CONSTRAINT api_keys_hash_length CHECK (octet_length(key_hash) = 32),
    CONSTRAINT api_keys_scope CHECK (scope IN ('read', 'write'))
);

-- POST /v1/jobs with an Idempotency-Key: the first request claims (caller, key) with its body's hash, and its answer
-- is kept so a retry gets the same answer; a claim older than a day may be taken again.
CREATE TABLE api_idempotency (
    caller        text        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,  -- SHA-256 of the request body
    status_code   integer,               -- null while the first request is being answered
    response      text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (caller, key)
);

-- GET /v1/jobs pages newest first by (created_at, id), all jobs or one sheet's.
CREATE INDEX jobs_created_id ON jobs (created_at, id);
CREATE INDEX jobs_sheet_created_id ON jobs (sheet_id, created_at, id);
