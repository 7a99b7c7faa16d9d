-- The reconcile step (Core/Stages/Reconciler.cs): how many times a stage of a job's generation was put back on its
-- queue because it had stopped moving. The count names the next task (a finished task's name stays reserved, so a
-- re-enqueue needs a new one), bounds how often a stage is retried this way, and is the claim that lets several
-- reconcilers run at once: each one bumps it only from the value it read, so one stalled job is re-enqueued once.
CREATE TABLE stage_reconciles (
    job_id      uuid        NOT NULL REFERENCES jobs (id),
    stage       text        NOT NULL,
    generation  integer     NOT NULL,
    count       integer     NOT NULL CHECK (count > 0),
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (job_id, stage, generation)
);

-- The scan walks the jobs that have not ended, least recently changed first.
CREATE INDEX jobs_unended_by_update ON jobs (updated_at) WHERE status NOT IN ('published', 'rejected', 'failed', 'cancelled');
