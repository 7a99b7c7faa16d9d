-- Per-queue rate limits and per-task dispatch deadlines for the local queue (Cloud Tasks' rateLimits and dispatchDeadline),
-- and the render speeds measured on this deployment, which size the render tasks' deadlines.

-- NULL: the queue's own deadline (ViralForge:Queue, QueueOptions.LimitsFor).
ALTER TABLE tasks ADD COLUMN dispatch_deadline interval;

-- The claim counts each queue's live leases; this keeps that count to the leased rows.
CREATE INDEX tasks_leased_by_queue ON tasks (queue) WHERE state = 'leased';

-- maxDispatchesPerSecond across every dispatcher sharing the table: the claim starts no attempt of a queue before
-- next_dispatch_at, and moves it on by 1/rate for each attempt it starts.
CREATE TABLE queue_dispatch (
    queue             text        PRIMARY KEY,
    next_dispatch_at  timestamptz NOT NULL
);

-- One row per render done on this deployment (not the ones a remote execution did).
CREATE TABLE render_speeds (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at    timestamptz      NOT NULL,
    video_seconds  double precision NOT NULL CHECK (video_seconds > 0),
    wall_seconds   double precision NOT NULL CHECK (wall_seconds >= 0)
);
