-- The review bot's ledger: where each card was posted, and the one decision per (job, generation).

-- One card per surface per (job, generation): a redelivered review stage finds its card here and does not post again.
CREATE TABLE review_messages (
    job_id      uuid        NOT NULL REFERENCES jobs (id),
    generation  integer     NOT NULL,
    surface     text        NOT NULL,  -- slack, teams
    -- The surface's own address of the message as JSON, kept exactly as its poster wrote it (only that poster reads it).
    address     text        NOT NULL CHECK (address::jsonb IS NOT NULL),
    posted_at   timestamptz NOT NULL,
    PRIMARY KEY (job_id, generation, surface)
);

-- The first decision for a (job, generation) wins: it is claimed with INSERT ... ON CONFLICT DO NOTHING, so a double
-- click or two reviewers at once yield one row, and every later click reads the row that stands.
CREATE TABLE review_decisions (
    job_id            uuid        NOT NULL REFERENCES jobs (id),
    generation        integer     NOT NULL,
    verdict           text        NOT NULL CHECK (verdict IN ('approve', 'reject', 'regenerate')),
    reviewer_id       text        NOT NULL,  -- Slack user id, Teams AAD object id, local:<user>, or system
    reviewer_name     text        NOT NULL,
    surface           text        NOT NULL,  -- slack, teams, local, terminal, system
    reason            text,
    regenerate_stage  text,                  -- with regenerate; none means script
    feedback          text,
    decided_at        timestamptz NOT NULL,
    applied_at        timestamptz,           -- set once the decision's effects (publish, compensation, rerun) are done
    PRIMARY KEY (job_id, generation),
    CONSTRAINT review_decisions_regenerate_names_a_stage CHECK (verdict = 'regenerate' OR regenerate_stage IS NULL)
);
