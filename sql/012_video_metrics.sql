-- Issue 15 item 5, the analytics loop: what each published video did at +1 h, +24 h and +7 d after it went public, one
-- row per (job, platform, read). Core/Metrics/MetricsTasks.cs reads it through Adapters/Postgres/PostgresVideoMetrics.cs.
-- A read the platform could not answer is kept too (status retrying, then failed after the queue's attempts), so a
-- person can see why a cell stayed empty; it never fails the job. The analysis stage's own-performers line
-- (Core/Trends/OwnPerformance.cs) compares the hook kinds of one sheet's videos by their average view percentage.
CREATE TABLE video_metrics (
    job_id                      uuid             NOT NULL REFERENCES jobs (id),
    generation                  integer          NOT NULL CHECK (generation > 0),
    platform                    text             NOT NULL CHECK (platform <> ''),      -- youtube, tiktok
    external_id                 text             NOT NULL CHECK (external_id <> ''),   -- the platform's video id
    due                         text             NOT NULL CHECK (due IN ('1h', '24h', '7d')),
    status                      text             NOT NULL CHECK (status IN ('read', 'retrying', 'failed')),
    attempts                    integer          NOT NULL DEFAULT 0 CHECK (attempts >= 0),  -- failed attempts so far
    hook_kind                   text,                                                   -- the script hook's kind (HookKinds)
    read_at                     timestamptz      NOT NULL,                              -- the last attempt, or the read
    views                       bigint           CHECK (views >= 0),
    likes                       bigint           CHECK (likes >= 0),
    comments                    bigint           CHECK (comments >= 0),
    shares                      bigint           CHECK (shares >= 0),
    estimated_minutes_watched   double precision CHECK (estimated_minutes_watched >= 0),
    average_view_duration       double precision CHECK (average_view_duration >= 0),  -- seconds
    average_view_percentage     double precision CHECK (average_view_percentage >= 0), -- 0-100, can pass 100 with replays
    error                       text,                                                   -- why the read failed or is retried
    PRIMARY KEY (job_id, platform, due)
);

-- The own-performers signal reads one sheet's reads through jobs.sheet_id.
CREATE INDEX video_metrics_read ON video_metrics (job_id) WHERE status = 'read';
