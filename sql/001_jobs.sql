-- Jobs, stage runs, assets and the event log: PostgreSQL is the single source of truth.

CREATE TABLE jobs (
    id            uuid PRIMARY KEY,
    sheet_id      text        NOT NULL,
    row_hash      text        NOT NULL,   -- SHA-256 of the row's input cells at submission
    request       jsonb       NOT NULL,   -- the validated row (snapshot; the sheet may change later)
    status        text        NOT NULL,
    stage         text,
    generation    integer     NOT NULL DEFAULT 1,
    error         text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Resubmitting an unchanged row finds this job instead of making a second one.
    CONSTRAINT jobs_sheet_row_unique UNIQUE (sheet_id, row_hash)
);

CREATE TABLE stage_runs (
    job_id          uuid        NOT NULL REFERENCES jobs (id),
    stage           text        NOT NULL,
    generation      integer     NOT NULL,
    status          text        NOT NULL,  -- running, completed, awaiting_approval, failed
    attempts        integer     NOT NULL DEFAULT 1,
    lease_until     timestamptz,           -- an attempt holds the run until then, renewing while it works
    output          jsonb,
    error           text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    compensated_at  timestamptz,
    PRIMARY KEY (job_id, stage, generation)
);

CREATE TABLE assets (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id            uuid             NOT NULL REFERENCES jobs (id),
    stage             text             NOT NULL,
    generation        integer          NOT NULL,
    kind              text             NOT NULL,
    blob_key          text             NOT NULL,
    size_bytes        bigint           NOT NULL,
    sha256            text             NOT NULL,
    duration_seconds  double precision,
    created_at        timestamptz      NOT NULL,
    CONSTRAINT assets_blob_unique UNIQUE (job_id, blob_key)
);

CREATE TABLE job_events (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id   uuid        NOT NULL REFERENCES jobs (id),
    at       timestamptz NOT NULL,
    kind     text        NOT NULL,
    stage    text,
    message  text        NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- The event log is append-only: history that can be edited is not history.
CREATE FUNCTION job_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'job_events is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER job_events_no_update BEFORE UPDATE OR DELETE ON job_events
    FOR EACH ROW EXECUTE FUNCTION job_events_append_only();
