-- The local task queue, with Cloud Tasks semantics: named tasks, schedule time, retries, leases.

CREATE TABLE tasks (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue            text        NOT NULL,
    name             text        NOT NULL,
    path             text        NOT NULL,
    body             bytea       NOT NULL,
    state            text        NOT NULL DEFAULT 'pending',  -- pending, leased, succeeded, dead
    schedule_time    timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    dispatch_count   integer     NOT NULL DEFAULT 0,  -- attempts started (X-CloudTasks-TaskRetryCount + 1)
    response_count   integer     NOT NULL DEFAULT 0,  -- non-5xx answers (X-CloudTasks-TaskExecutionCount)
    lease_until      timestamptz,
    leased_by        uuid,
    last_status      integer,
    last_error       text,
    finished_at      timestamptz,
    -- A name stays taken after the task ran, as on Cloud Tasks, so a late duplicate enqueue is a no-op.
    CONSTRAINT tasks_queue_name_unique UNIQUE (queue, name)
);

-- The dispatcher's claim query walks this index in schedule order.
CREATE INDEX tasks_due ON tasks (schedule_time) WHERE state IN ('pending', 'leased');
