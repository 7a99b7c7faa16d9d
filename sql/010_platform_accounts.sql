-- Issue 14: the connected YouTube channels and TikTok accounts (`vf connect`), one row per account. The refresh token is
-- stored only as AES-GCM ciphertext (Adapters/Accounts/TokenCipher.cs); the key lives outside the database (Secret
-- Manager in gcp, a 0600 key file under .vf/ locally), so a copy of the database alone gives no account away.
CREATE TABLE platform_accounts (
    platform            text         NOT NULL CHECK (platform IN ('youtube', 'tiktok')),
    account_id          text         NOT NULL CHECK (account_id <> ''),   -- a channel id, a TikTok open_id
    name                text         NOT NULL,                            -- the channel title, the TikTok username
    ciphertext          bytea        NOT NULL,                            -- the refresh token, encrypted
    nonce               bytea        NOT NULL CHECK (length(nonce) = 12), -- random per write, never reused with a key
    tag                 bytea        NOT NULL CHECK (length(tag) = 16),
    key_id              text         NOT NULL,                            -- which key encrypted it (a hash prefix, not the key)
    connected_at        timestamptz  NOT NULL,
    refreshed_at        timestamptz,                                      -- the last refresh that answered
    reconnect_reason    text,                                             -- set when the platform refused the grant
    PRIMARY KEY (platform, account_id)
);
