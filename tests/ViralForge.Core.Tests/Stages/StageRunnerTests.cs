using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

public sealed class StageRunnerTests
{
    private readonly CoreHarness core = new();

    [Fact]
    public async Task A_first_delivery_claims_the_run_does_the_work_and_enqueues_the_next_stage()
    {
        var (job, _) = await core.NewJobAsync();

        var outcome = await core.RunAsync(job, StageName.Trends);

        Assert.Equal(new StageOutcome.Completed("trends done"), outcome);
        Assert.Equal(1, core.Stages[StageName.Trends].Runs);
        var run = await core.RunOfAsync(job.Id, StageName.Trends);
        Assert.Equal((StageRunStatus.Completed, 1), (run.Status, run.Attempts));
        Assert.Equal("trends", run.Output!.Value.GetProperty("stage").GetString());
        var task = Assert.Single(core.Queue.Tasks);
        Assert.Equal((StageTasks.QueueFor(StageName.Analysis), StageTasks.TaskName(job.Id, StageName.Analysis, 1), "/stages/analysis"), (task.Queue, task.Name, task.Path));
        Assert.Equal(new StageMessage(job.Id, 1), Assert.Single(core.Enqueued(StageName.Analysis)));
    }

    [Fact]
    public async Task A_completed_stage_moves_the_job_to_the_next_stages_status()
    {
        var (job, _) = await core.NewJobAsync();

        await core.RunAsync(job, StageName.Script);

        var after = await core.JobAsync(job.Id);
        Assert.Equal((JobStatus.ForStage(StageName.Visuals), StageName.Script), (after.Status, after.Stage));
    }

    [Fact]
    public async Task While_a_stage_runs_the_job_shows_that_stage()
    {
        var (job, _) = await core.NewJobAsync();
        Job? seen = null;
        core.Stages[StageName.Voice].Work = async (context, ct) =>
        {
            seen = await core.Store.GetAsync(context.Job.Id, ct);
            return ScriptedStage.Output(StageName.Voice, "spoken");
        };

        await core.RunAsync(job, StageName.Voice);

        Assert.Equal(("voice", StageName.Voice), (seen!.Status, seen.Stage));
    }

    [Fact]
    public async Task A_started_attempt_is_recorded_in_the_jobs_events()
    {
        var (job, _) = await core.NewJobAsync();

        await core.RunAsync(job, StageName.Trends, retryCount: 2);

        var events = await core.EventsAsync(job.Id);
        Assert.Contains(events, e => e is { Kind: "started", Stage: StageName.Trends, Message: "attempt 1 (delivery retry 2)" });
        Assert.Contains(events, e => e is { Kind: "completed", Stage: StageName.Trends, Message: "trends done" });
    }

    [Fact]
    public async Task Produced_files_are_stored_as_blobs_and_recorded_as_assets()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Voice].Work = async (context, ct) =>
        {
            var path = context.LocalPath("narration.wav");
            await File.WriteAllBytesAsync(path, [1, 2, 3, 4, 5], ct);
            return ScriptedStage.Output(StageName.Voice, "spoken", new ProducedFile("narration", path, context.BlobKey("narration.wav"), 2.5));
        };

        await core.RunAsync(job, StageName.Voice);

        var key = BlobKeys.For(job.Id, StageName.Voice, 1, "narration.wav");
        Assert.Equal([key], core.Blobs.Keys);
        var asset = Assert.Single(await core.Store.ListAssetsAsync(job.Id, CancellationToken.None));
        Assert.Equal((StageName.Voice, 1, "narration", key, 5L, 2.5), (asset.Stage, asset.Generation, asset.Kind, asset.BlobKey, asset.SizeBytes, asset.DurationSeconds));
        Assert.Equal("74f81fe167d99b4cb41d6d0ccda82278caee9f3e2f25d5e5a3936ff3dcec60d0", asset.Sha256);
    }

    [Fact]
    public async Task The_scratch_folder_is_deleted_after_the_attempt()
    {
        var (job, _) = await core.NewJobAsync();
        string? folder = null;
        core.Stages[StageName.Visuals].Work = (context, _) =>
        {
            folder = context.WorkFolder;
            File.WriteAllText(context.LocalPath("scratch.txt"), "x");
            throw new InvalidOperationException("boom");
        };

        await core.RunAsync(job, StageName.Visuals);

        Assert.NotNull(folder);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_redelivered_completed_stage_only_enqueues_the_next_stage_again()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunAsync(job, StageName.Trends);

        var outcome = await core.RunAsync(job, StageName.Trends, retryCount: 1);

        Assert.Equal(new StageOutcome.Completed("trends was already done; next stage enqueued"), outcome);
        Assert.Equal(1, core.Stages[StageName.Trends].Runs);
        Assert.Equal(2, core.Queue.Calls);
        Assert.Single(core.Enqueued(StageName.Analysis));
        Assert.Equal(1, (await core.RunOfAsync(job.Id, StageName.Trends)).Attempts);
    }

    [Fact]
    public async Task When_the_next_enqueue_fails_the_delivery_fails_and_the_redelivery_enqueues_it()
    {
        var (job, _) = await core.NewJobAsync();
        core.Queue.Failure = new HttpRequestException("queue unreachable");

        await Assert.ThrowsAsync<HttpRequestException>(() => core.RunAsync(job, StageName.Trends));
        Assert.Equal(StageRunStatus.Completed, (await core.RunOfAsync(job.Id, StageName.Trends)).Status);

        core.Queue.Failure = null;
        var outcome = await core.RunAsync(job, StageName.Trends, retryCount: 1);

        Assert.IsType<StageOutcome.Completed>(outcome);
        Assert.Equal(1, core.Stages[StageName.Trends].Runs);
        Assert.Single(core.Enqueued(StageName.Analysis));
    }

    [Fact]
    public async Task A_run_held_by_a_live_attempt_is_retried_after_one_lease()
    {
        var (job, _) = await core.NewJobAsync();
        await core.Store.ClaimStageAsync(job.Id, StageName.Script, 1, core.Settings.Stages.Lease, CancellationToken.None);

        var outcome = await core.RunAsync(job, StageName.Script);

        var retry = Assert.IsType<StageOutcome.RetryLater>(outcome);
        Assert.Equal(core.Settings.Stages.Lease, retry.After);
        Assert.Contains("another attempt is running script", retry.Detail, StringComparison.Ordinal);
        Assert.Equal(0, core.Stages[StageName.Script].Runs);
        Assert.Empty(core.Queue.Tasks);
    }

    [Fact]
    public async Task A_run_whose_lease_ran_out_is_taken_over()
    {
        var (job, _) = await core.NewJobAsync();
        await core.Store.ClaimStageAsync(job.Id, StageName.Script, 1, core.Settings.Stages.Lease, CancellationToken.None);
        core.Time.Advance(core.Settings.Stages.Lease + TimeSpan.FromSeconds(1));

        var outcome = await core.RunAsync(job, StageName.Script);

        Assert.IsType<StageOutcome.Completed>(outcome);
        Assert.Equal(1, core.Stages[StageName.Script].Runs);
        Assert.Equal((StageRunStatus.Completed, 2), ((await core.RunOfAsync(job.Id, StageName.Script)).Status, (await core.RunOfAsync(job.Id, StageName.Script)).Attempts));
    }

    [Fact]
    public async Task A_transient_failure_releases_the_run_and_asks_for_a_retry()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Script].Work = (_, _) => throw new TimeoutException("the writer did not answer");

        var outcome = await core.RunAsync(job, StageName.Script);

        var retry = Assert.IsType<StageOutcome.RetryLater>(outcome);
        Assert.Equal("script: the writer did not answer", retry.Detail);
        Assert.Null(retry.After);
        var run = await core.RunOfAsync(job.Id, StageName.Script);
        Assert.Equal((StageRunStatus.Failed, "script: the writer did not answer"), (run.Status, run.Error));
        Assert.False((await core.JobAsync(job.Id)).IsTerminal);
        Assert.Empty(core.Queue.Tasks);
        Assert.Empty(core.Compensations);
    }

    [Fact]
    public async Task The_delivery_after_a_transient_failure_claims_the_run_again_and_completes_it()
    {
        var (job, _) = await core.NewJobAsync();
        var calls = 0;
        core.Stages[StageName.Script].Work = (context, _) =>
            ++calls == 1 ? throw new TimeoutException("slow") : Task.FromResult(ScriptedStage.Output(StageName.Script, "written"));
        await core.RunAsync(job, StageName.Script);

        var outcome = await core.RunAsync(job, StageName.Script, retryCount: 1);

        Assert.Equal(new StageOutcome.Completed("written"), outcome);
        var run = await core.RunOfAsync(job.Id, StageName.Script);
        Assert.Equal((StageRunStatus.Completed, 2, null), (run.Status, run.Attempts, run.Error));
        Assert.Single(core.Enqueued(StageName.Visuals));
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_job_at_once_and_compensates_the_finished_stages()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Analysis);
        core.Stages[StageName.Script].Work = (_, _) => throw new PermanentStageException("the topic is refused by the writer");

        var outcome = await core.RunAsync(job, StageName.Script);

        Assert.Equal(new StageOutcome.Ended("failed: the topic is refused by the writer"), outcome);
        var after = await core.JobAsync(job.Id);
        Assert.Equal((JobStatus.Failed, "the topic is refused by the writer"), (after.Status, after.Error));
        Assert.Equal([(StageName.Analysis, 1), (StageName.Trends, 1)], core.Compensations);
        Assert.Equal(StageRunStatus.Failed, (await core.RunOfAsync(job.Id, StageName.Script)).Status);
        Assert.Equal(JobStatus.Failed, core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("the topic is refused by the writer", core.Sheet.Cell(row, SheetContract.Error));
    }

    [Fact]
    public async Task A_permanent_failure_on_the_first_attempt_does_not_wait_for_retries()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Trends].Work = (_, _) => throw new PermanentStageException("no such platform");

        var outcome = await core.RunAsync(job, StageName.Trends, retryCount: 0);

        Assert.IsType<StageOutcome.Ended>(outcome);
        Assert.Empty(core.Queue.Tasks);
    }

    [Fact]
    public async Task The_last_attempts_transient_failure_gives_up_fails_the_job_and_compensates()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Trends);
        core.Stages[StageName.Analysis].Work = (_, _) => throw new IOException("disk full");
        var last = core.Settings.Queue.MaxAttempts - 1;

        var outcome = await core.RunAsync(job, StageName.Analysis, retryCount: last);

        var ended = Assert.IsType<StageOutcome.Ended>(outcome);
        Assert.Equal("failed: analysis: disk full (gave up after 5 attempts)", ended.Detail);
        var after = await core.JobAsync(job.Id);
        Assert.Equal((JobStatus.Failed, "analysis: disk full (gave up after 5 attempts)"), (after.Status, after.Error));
        Assert.Equal([(StageName.Trends, 1)], core.Compensations);
    }

    [Fact]
    public async Task The_attempt_before_the_last_still_asks_for_a_retry()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Analysis].Work = (_, _) => throw new IOException("disk full");

        var outcome = await core.RunAsync(job, StageName.Analysis, retryCount: core.Settings.Queue.MaxAttempts - 2);

        Assert.IsType<StageOutcome.RetryLater>(outcome);
        Assert.False((await core.JobAsync(job.Id)).IsTerminal);
    }

    [Fact]
    public async Task The_last_attempt_is_counted_by_the_stages_own_queue_settings()
    {
        var harness = new CoreHarness(o => o.Queue.Queues[StageTasks.QueueFor(StageName.Render)] = new QueueRetryOptions { MaxAttempts = 2 });
        var (job, _) = await harness.NewJobAsync();
        harness.Stages[StageName.Render].Work = (_, _) => throw new IOException("ffmpeg crashed");
        harness.Stages[StageName.Voice].Work = (_, _) => throw new IOException("espeak crashed");

        var voice = await harness.RunAsync(job, StageName.Voice, retryCount: 1);
        var render = await harness.RunAsync(job, StageName.Render, retryCount: 1);

        Assert.IsType<StageOutcome.RetryLater>(voice);
        Assert.Equal("failed: render: ffmpeg crashed (gave up after 2 attempts)", Assert.IsType<StageOutcome.Ended>(render).Detail);
    }

    [Fact]
    public async Task A_task_of_a_superseded_generation_is_skipped()
    {
        var (job, _) = await core.NewJobAsync();
        await core.Store.BumpGenerationAsync(job.Id, 1, CancellationToken.None);

        var outcome = await core.RunAsync(job, StageName.Script, generation: 1);

        Assert.Equal(new StageOutcome.Skipped("generation 1 was superseded by 2"), outcome);
        Assert.Equal(0, core.Stages[StageName.Script].Runs);
        Assert.Empty(await core.Store.ListStageRunsAsync(job.Id, CancellationToken.None));
        Assert.Empty(core.Queue.Tasks);
    }

    [Fact]
    public async Task The_current_generation_reruns_a_stage_its_earlier_generation_finished()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        await core.Store.BumpGenerationAsync(job.Id, 1, CancellationToken.None);

        var outcome = await core.RunAsync(job, StageName.Script, generation: 2);

        Assert.IsType<StageOutcome.Completed>(outcome);
        Assert.Equal(2, core.Stages[StageName.Script].Runs);
        Assert.Equal(new StageMessage(job.Id, 2), core.Enqueued(StageName.Visuals)[^1]);
    }

    [Fact]
    public async Task A_task_for_an_unknown_job_is_skipped()
    {
        var outcome = await core.Runner.RunAsync(StageName.Trends, new StageMessage(Guid.NewGuid(), 1), DeliveryInfo.Direct, CancellationToken.None);

        var skipped = Assert.IsType<StageOutcome.Skipped>(outcome);
        Assert.EndsWith("does not exist", skipped.Detail, StringComparison.Ordinal);
        Assert.Equal(0, core.Stages[StageName.Trends].Runs);
    }

    [Fact]
    public async Task A_task_for_an_ended_job_is_skipped()
    {
        var (job, _) = await core.NewJobAsync();
        await core.Store.FinishAsync(job.Id, JobStatus.Cancelled, "row edited", CancellationToken.None);

        var outcome = await core.RunAsync(job, StageName.Trends);

        Assert.Equal(new StageOutcome.Skipped("job is cancelled"), outcome);
        Assert.Equal(0, core.Stages[StageName.Trends].Runs);
    }

    [Fact]
    public async Task A_stage_waiting_for_a_reviewer_leaves_the_job_at_review_and_enqueues_nothing()
    {
        var (job, row) = await core.NewJobAsync();
        core.Stages[StageName.Review].Work = (_, _) => Task.FromResult(StageResult.AwaitingApproval("posted to #video-review"));

        var outcome = await core.RunAsync(job, StageName.Review);

        Assert.Equal(new StageOutcome.AwaitingApproval("posted to #video-review"), outcome);
        Assert.Equal(StageRunStatus.AwaitingApproval, (await core.RunOfAsync(job.Id, StageName.Review)).Status);
        var after = await core.JobAsync(job.Id);
        Assert.Equal((JobStatus.ForStage(StageName.Review), StageName.Review), (after.Status, after.Stage));
        Assert.Empty(core.Queue.Tasks);
        Assert.Equal("review", core.Sheet.Cell(row, SheetContract.Status));
        Assert.True(await ReviewDecisions.IsAwaitingAsync(core.Store, after, CancellationToken.None));
    }

    [Fact]
    public async Task A_redelivered_review_that_awaits_approval_posts_nothing_again()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Review].Work = (_, _) => Task.FromResult(StageResult.AwaitingApproval("posted"));
        await core.RunAsync(job, StageName.Review);

        var outcome = await core.RunAsync(job, StageName.Review, retryCount: 1);

        Assert.Equal(new StageOutcome.AwaitingApproval("waiting for a reviewer"), outcome);
        Assert.Equal(1, core.Stages[StageName.Review].Runs);
    }

    [Fact]
    public async Task An_approved_review_marks_the_job_approved_and_enqueues_publish()
    {
        var (job, _) = await core.NewJobAsync();

        await core.RunAsync(job, StageName.Review);

        Assert.Equal(JobStatus.Approved, (await core.JobAsync(job.Id)).Status);
        Assert.Equal(new StageMessage(job.Id, 1), Assert.Single(core.Enqueued(StageName.Publish)));
    }

    [Fact]
    public async Task A_rejection_ends_the_job_rejected_and_compensates_everything_done()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Render);
        core.Stages[StageName.Review].Work = (_, _) => Task.FromResult(StageResult.Rejected(new ReviewOutput("rejected", "ana", "off brand")));

        var outcome = await core.RunAsync(job, StageName.Review);

        Assert.Equal(new StageOutcome.Ended("rejected by ana: off brand"), outcome);
        var after = await core.JobAsync(job.Id);
        Assert.Equal((JobStatus.Rejected, "rejected by ana: off brand"), (after.Status, after.Error));
        Assert.Equal(
            [StageName.Review, StageName.Render, StageName.Voice, StageName.Visuals, StageName.Script, StageName.Analysis, StageName.Trends],
            core.Compensations.Select(c => c.Stage));
        Assert.DoesNotContain(core.Queue.Tasks, t => t.Queue == StageTasks.QueueFor(StageName.Publish));
        Assert.Equal(JobStatus.Rejected, core.Sheet.Cell(row, SheetContract.Status));
    }

    [Fact]
    public async Task Publishing_ends_the_job_published_with_no_stage_after_it()
    {
        var (job, _) = await core.NewJobAsync();
        var before = core.Queue.Calls;

        var outcome = await core.RunAsync(job, StageName.Publish);

        Assert.IsType<StageOutcome.Completed>(outcome);
        Assert.Equal(JobStatus.Published, (await core.JobAsync(job.Id)).Status);
        Assert.Equal(before, core.Queue.Calls);
    }

    [Fact]
    public async Task A_stopped_attempt_frees_the_run_for_the_next_delivery_and_rethrows()
    {
        var (job, _) = await core.NewJobAsync();
        using var stopping = new CancellationTokenSource();
        var normal = core.Stages[StageName.Render].Work;
        core.Stages[StageName.Render].Work = (_, _) =>
        {
            stopping.Cancel();
            stopping.Token.ThrowIfCancellationRequested();
            return Task.FromResult(ScriptedStage.Output(StageName.Render, "never"));
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => core.RunAsync(job, StageName.Render, cancellationToken: stopping.Token));

        var run = await core.RunOfAsync(job.Id, StageName.Render);
        Assert.Equal((StageRunStatus.Failed, "interrupted"), (run.Status, run.Error));
        Assert.False((await core.JobAsync(job.Id)).IsTerminal);
        core.Stages[StageName.Render].Work = normal;
        Assert.Equal(new StageOutcome.Completed("render done"), await core.RunAsync(job, StageName.Render, retryCount: 1));
    }

    [Fact]
    public async Task A_completed_stage_writes_the_jobs_state_into_its_row()
    {
        var (job, row) = await core.NewJobAsync();

        await core.RunAsync(job, StageName.Trends);

        Assert.Equal(JobStatus.ForStage(StageName.Analysis), core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("trends", core.Sheet.Cell(row, SheetContract.Stage));
        Assert.Equal("2025-06-01T09:00:00Z", core.Sheet.Cell(row, SheetContract.Updated));
    }

    [Fact]
    public async Task A_rendered_then_published_video_shows_in_the_rows_preview_and_published_url()
    {
        var (job, row) = await core.NewJobAsync();

        await core.RunAsync(job, StageName.Render);
        var preview = core.Sheet.Cell(row, SheetContract.Preview);
        await core.RunAsync(job, StageName.Publish);

        Assert.Equal((await core.Blobs.GetReadUrlAsync(BlobKeys.For(job.Id, StageName.Render, 1, "video.mp4"), TimeSpan.FromDays(7), CancellationToken.None)).ToString(), preview);
        Assert.Equal($"https://youtu.be/{job.Id:N}", core.Sheet.Cell(row, SheetContract.PublishedUrl));
        Assert.Equal(JobStatus.Published, core.Sheet.Cell(row, SheetContract.Status));
    }
}
