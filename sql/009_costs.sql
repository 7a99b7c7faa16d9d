-- The cost ledger (Core/Ports/ICostLedger.cs): one row per paid call, keyed by the work it does. A redelivered stage
-- attempt names the same (job, stage, generation, call), finds its row and reuses the stored result instead of paying
-- again; a regenerated stage has a new generation, so its calls are new rows and add to the job's total.
CREATE TABLE costs (
    job_id      uuid          NOT NULL REFERENCES jobs (id),
    stage       text          NOT NULL,
    generation  integer       NOT NULL CHECK (generation > 0),
    call        text          NOT NULL CHECK (call <> ''),     -- script, script-repair, moderation, tts-part-2, ...
    provider    text          NOT NULL,                        -- openai, elevenlabs, ...
    units       numeric       NOT NULL CHECK (units >= 0),
    unit_kind   text          NOT NULL,                        -- tokens, characters, seconds, credits, quota units
    -- Exact decimal dollars: a job's total is a sum of many sub-cent amounts, which binary floats would round.
    usd         numeric       NOT NULL CHECK (usd >= 0),
    prices_of   date          NOT NULL,                        -- the date of the price table the cost was computed from
    vendor_id   text,                                          -- the vendor's task or request id, stored before waiting on it
    result      jsonb,                                         -- what the call returned, null until it answered
    at          timestamptz   NOT NULL,
    PRIMARY KEY (job_id, stage, generation, call)
);
