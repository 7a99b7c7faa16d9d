-- Issue 18: a video uploaded with a Publish At still ahead ends its job as 'scheduled' (terminal, like 'published'),
-- and a long stage (render, publish) reports how far it has got.

-- The reconcile scan's index leaves ended jobs out; 'scheduled' has ended too.
DROP INDEX jobs_unended_by_update;
CREATE INDEX jobs_unended_by_update ON jobs (updated_at) WHERE status NOT IN ('published', 'scheduled', 'rejected', 'failed', 'cancelled');

-- The reconcile pass publishes the scheduled jobs whose Publish At has come; this keeps that scan to the scheduled ones.
CREATE INDEX jobs_scheduled ON jobs (updated_at) WHERE status = 'scheduled';

-- Percent done of the run's attempt (0 to 100), NULL until its tool reports; cleared when an attempt takes the run over.
-- Written at most every few seconds per run (Core/Stages/ProgressReporter.cs), not on every ffmpeg line.
ALTER TABLE stage_runs ADD COLUMN progress smallint CHECK (progress BETWEEN 0 AND 100);
