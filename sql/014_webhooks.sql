-- Issue 16 item 3: signed webhooks (Standard Webhooks). A subscription names a URL and the events it wants; each job
-- event is recorded once (its id is derived from the job, generation and what happened, so a redelivered stage finds it
-- there), then queued as one vf-webhooks task per matching subscription; every attempt is logged in webhook_deliveries.
CREATE TABLE webhook_subscriptions (
    id                  uuid         PRIMARY KEY,
    url                 text         NOT NULL CHECK (url <> ''),
    events              text[]       NOT NULL CHECK (cardinality(events) > 0),
    -- "whsec_" + base64 of the key. HMAC signs with the key itself, so it is kept as is (like the database password, it
    -- is protected by the database's own access control); it is shown to the subscriber once, when created.
    secret              text         NOT NULL CHECK (secret LIKE 'whsec_%'),
    created_at          timestamptz  NOT NULL,
    disabled_at         timestamptz,                                      -- set after a day of failed deliveries
    disabled_reason     text,
    first_failure_at    timestamptz                                       -- start of the current run of failures; a success clears it
);

CREATE TABLE webhook_events (
    id                  text         PRIMARY KEY,                         -- the webhook-id header: msg_<hash>
    job_id              uuid         NOT NULL,
    type                text         NOT NULL,
    payload             text         NOT NULL,                            -- the exact bytes signed and sent, on every attempt
    created_at          timestamptz  NOT NULL,
    dispatched_at       timestamptz                                       -- every matching subscription's task was queued
);
CREATE INDEX webhook_events_undispatched ON webhook_events (job_id) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_deliveries (
    id                  bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id     uuid         NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id            text         NOT NULL REFERENCES webhook_events (id),
    event_type          text         NOT NULL,
    attempt             integer      NOT NULL CHECK (attempt >= 1),
    status_code         integer,                                          -- null when no answer came (timeout, refused)
    error               text,
    succeeded           boolean      NOT NULL,
    at                  timestamptz  NOT NULL
);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id DESC);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id, subscription_id);
