-- Trends shared by every job (issue 15): what YouTube answered for a chart (mostPopular of a region and category) or a
-- topic search, and when. A job uses the newest snapshot younger than YouTube:TrendSnapshotMaxAge instead of asking
-- again; taking one holds a transaction advisory lock on its key, so two jobs that need the same chart at once make one
-- call (Adapters/Postgres/PostgresTrendSnapshots.cs). Old snapshots are pruned by the scheduled refresh.
CREATE TABLE trend_snapshots (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source    text        NOT NULL,                    -- youtube-chart, youtube-search
    region    text        NOT NULL,                    -- ISO 3166-1 alpha-2
    category  text,                                    -- a chart's videoCategoryId (0: all categories)
    query     text,                                    -- a search's topic, as its words' stems
    taken_at  timestamptz NOT NULL,
    units     integer     NOT NULL CHECK (units >= 0), -- the quota units taking it cost (also in costs)
    note      text,                                    -- why it is empty (a chart YouTube does not have for the region)
    videos    jsonb       NOT NULL,                    -- TrendVideo[]
    CHECK ((category IS NULL) <> (query IS NULL))
);
CREATE INDEX trend_snapshots_newest ON trend_snapshots (source, region, category, query, taken_at DESC);

-- The scheduled refresh spends YouTube quota for no job: its calls go to the cost ledger under the empty job id
-- (00000000-0000-0000-0000-000000000000), so the Pacific-day quota window that publishing reads sees them. A job's
-- cost never includes them: JobCost lists one job's rows.
ALTER TABLE costs DROP CONSTRAINT IF EXISTS costs_job_id_fkey;
