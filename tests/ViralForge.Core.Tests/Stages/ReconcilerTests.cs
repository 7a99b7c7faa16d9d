using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>The reconcile step's decisions on in-memory ports and a fake clock: what is stalled, what is left alone, when it fails.</summary>
public sealed class ReconcilerTests
{
    private static readonly TimeSpan PastGrace = new ReconcileOptions().GracePeriod + TimeSpan.FromSeconds(1);

    private readonly CoreHarness core = new();
    private readonly Reconciler reconciler;

    public ReconcilerTests() => reconciler = NewReconciler(core);

    private static Reconciler NewReconciler(CoreHarness core) => new(
        core.Store, core.Queue, new StageTasks(core.Queue), core.Compensator, Microsoft.Extensions.Options.Options.Create(core.Settings), core.Time,
        NullLogger<Reconciler>.Instance);

    [Fact]
    public async Task A_stage_whose_task_vanished_is_queued_again_under_a_new_name_once()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        core.Queue.Remove(StageTasks.QueueFor(StageName.Visuals), StageTasks.TaskName(job.Id, StageName.Visuals, 1));
        core.Time.Advance(PastGrace);

        var first = await reconciler.RunOnceAsync(CancellationToken.None);
        var second = await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, first.Requeued);
        Assert.Equal(0, second.Requeued);
        var requeued = core.Queue.Tasks.Where(t => t.Queue == "vf-visuals").Select(t => t.Name).ToList();
        Assert.Equal([StageTasks.TaskName(job.Id, StageName.Visuals, 1), StageTasks.TaskName(job.Id, StageName.Visuals, 1, 1)], requeued);
        Assert.Contains(await core.EventsAsync(job.Id), e => e.Kind == "reconciled" && e.Stage == StageName.Visuals);
        // the new task runs the stage as any delivery would
        Assert.IsType<StageOutcome.Completed>(await core.RunAsync(job, StageName.Visuals));
    }

    [Fact]
    public async Task A_stage_waiting_on_work_elsewhere_is_left_alone_while_its_look_is_queued_however_late_it_comes()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        core.Stages[StageName.Visuals].Work = (_, _) => throw new WorkStillRunningException("Runway task 7f3a is still THROTTLED", TimeSpan.FromMinutes(2));
        Assert.IsType<StageOutcome.Deferred>(await core.RunAsync(job, StageName.Visuals));
        // Cloud Tasks deletes a task that answered 200: only the look is left, and a busy queue delivers it late.
        core.Queue.Remove(StageTasks.QueueFor(StageName.Visuals), StageTasks.TaskName(job.Id, StageName.Visuals, 1));
        core.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(ReconcileOutcome.Untouched, await reconciler.ReconcileJobAsync(job.Id, CancellationToken.None));

        // Had the look been lost too, the stage would be stalled, and queued again.
        core.Queue.Remove(StageTasks.QueueFor(StageName.Visuals), StageTasks.WaitTaskName(job.Id, StageName.Visuals, 1, attempt: 1));
        Assert.Equal(ReconcileOutcome.Requeued, await reconciler.ReconcileJobAsync(job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_job_created_a_moment_ago_with_nothing_scheduled_waits_for_the_grace_period()
    {
        var job = (await core.Store.SubmitAsync(CoreHarness.SheetId, "h", CoreHarness.Request(), CancellationToken.None)).Job;

        var early = await reconciler.RunOnceAsync(CancellationToken.None);
        core.Time.Advance(PastGrace);
        var later = await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, early.Examined);
        Assert.Equal(1, later.Requeued);
        Assert.Equal(job.Id, Assert.Single(core.Enqueued(StageName.Trends)).JobId);
    }

    [Fact]
    public async Task A_run_whose_lease_ran_out_long_ago_with_no_task_is_queued_again_but_not_a_moment_after()
    {
        var (job, _) = await core.NewJobAsync();
        await core.Store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Voice), StageName.Voice, CancellationToken.None);
        await core.Store.ClaimStageAsync(job.Id, StageName.Voice, 1, TimeSpan.FromSeconds(10), CancellationToken.None);
        // the worker died: its lease runs out, and no task will come back for it

        core.Time.Advance(TimeSpan.FromSeconds(11));
        var whileHeld = await reconciler.ReconcileJobAsync(job.Id, CancellationToken.None);
        core.Time.Advance(PastGrace);
        var after = await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ReconcileOutcome.Untouched, whileHeld);
        Assert.Equal(1, after.Requeued);
        Assert.Equal(StageTasks.TaskName(job.Id, StageName.Voice, 1, 1), Assert.Single(core.Queue.Tasks, t => t.Queue == "vf-voice").Name);
    }

    [Fact]
    public async Task A_job_awaiting_review_or_with_a_live_task_is_left_alone()
    {
        var (waiting, _) = await core.NewJobAsync("waits for a reviewer");
        var (queued, _) = await core.NewJobAsync("task still queued");
        core.Stages[StageName.Review].Work = (_, _) => Task.FromResult(StageResult.AwaitingApproval("posted"));
        await core.RunThroughAsync(waiting, StageName.Render);
        Assert.IsType<StageOutcome.AwaitingApproval>(await core.RunAsync(waiting, StageName.Review));
        // the review task answered 202 and is gone; the reviewer's timers are elsewhere
        core.Queue.Remove("vf-review", StageTasks.TaskName(waiting.Id, StageName.Review, 1));
        await core.Store.SetStatusAsync(queued.Id, JobStatus.ForStage(StageName.Trends), StageName.Trends, CancellationToken.None);
        await core.Queue.EnqueueAsync(new QueueTask("vf-trends", StageTasks.TaskName(queued.Id, StageName.Trends, 1), "/stages/trends", [], core.Time.GetUtcNow().AddDays(2)), CancellationToken.None);
        var before = core.Queue.Tasks.Count;

        core.Time.Advance(TimeSpan.FromDays(1));
        var report = await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, report.Requeued + report.Failed);
        Assert.Equal(before, core.Queue.Tasks.Count);
        Assert.Equal(JobStatus.ForStage(StageName.Review), (await core.JobAsync(waiting.Id)).Status);
    }

    [Fact]
    public async Task Once_the_stage_was_queued_again_as_often_as_allowed_the_job_fails_naming_the_stage_and_compensates()
    {
        core.Settings.Reconcile.MaxRequeues = 1;
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        core.Queue.Remove("vf-visuals", StageTasks.TaskName(job.Id, StageName.Visuals, 1));
        core.Time.Advance(PastGrace);
        Assert.Equal(1, (await reconciler.RunOnceAsync(CancellationToken.None)).Requeued);
        core.Queue.Remove("vf-visuals", StageTasks.TaskName(job.Id, StageName.Visuals, 1, 1));
        // A claim younger than the grace period stands (its task may not be visible yet), so the next pass comes after it.
        Assert.Equal(0, (await reconciler.RunOnceAsync(CancellationToken.None)).Failed);
        core.Time.Advance(PastGrace);

        var report = await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, report.Failed);
        var after = await core.JobAsync(job.Id);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.StartsWith("visuals: stopped with nothing scheduled", after.Error, StringComparison.Ordinal);
        Assert.Equal([StageName.Script, StageName.Analysis, StageName.Trends], core.Compensations.Select(c => c.Stage));
        var written = (await core.Sheet.ReadRowsAsync(CancellationToken.None)).Single(r => r.RowNumber == row);
        Assert.Equal("failed", written.Get(SheetContract.Status));
        Assert.StartsWith("visuals:", written.Get(SheetContract.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_the_queue_gave_up_on_fails_its_job_at_once_with_the_task_s_last_error()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Voice);
        var name = StageTasks.TaskName(job.Id, StageName.Render, 1);
        var body = JsonSerializer.SerializeToUtf8Bytes(new StageMessage(job.Id, 1), CoreJson.Default.StageMessage);
        const string Deadline = "no answer within the dispatch deadline (00:10:00)";
        core.Queue.Kill("vf-render", name, 5, Deadline);

        await reconciler.TaskDiedAsync(new DeadTask("vf-render", name, body, 5, Deadline), CancellationToken.None);

        var after = await core.JobAsync(job.Id);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Equal($"render: {Deadline} after 5 attempts", after.Error);
        Assert.Equal([StageName.Voice, StageName.Visuals, StageName.Script, StageName.Analysis, StageName.Trends], core.Compensations.Select(c => c.Stage));
        var written = (await core.Sheet.ReadRowsAsync(CancellationToken.None)).Single(r => r.RowNumber == row);
        Assert.Equal("failed", written.Get(SheetContract.Status));
        Assert.Equal(after.Error, written.Get(SheetContract.Error));
    }

    [Fact]
    public async Task A_dead_task_found_by_the_periodic_pass_fails_its_job_too()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Voice);
        core.Queue.Kill("vf-render", StageTasks.TaskName(job.Id, StageName.Render, 1), core.Settings.Queue.MaxAttempts, "503 Service Unavailable");
        core.Time.Advance(PastGrace);

        var report = await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, report.Failed);
        Assert.Equal($"render: 503 Service Unavailable after {core.Settings.Queue.MaxAttempts} attempts", (await core.JobAsync(job.Id)).Error);
    }

    [Fact]
    public async Task A_dead_task_of_a_job_that_moved_on_or_of_a_review_timer_changes_nothing()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        var body = JsonSerializer.SerializeToUtf8Bytes(new StageMessage(job.Id, 1), CoreJson.Default.StageMessage);

        await reconciler.TaskDiedAsync(new DeadTask("vf-script", StageTasks.TaskName(job.Id, StageName.Script, 1), body, 5, "late"), CancellationToken.None);
        await reconciler.TaskDiedAsync(new DeadTask("vf-review-timers", "t", body, 5, "late"), CancellationToken.None);

        Assert.Equal(JobStatus.ForStage(StageName.Visuals), (await core.JobAsync(job.Id)).Status);
        Assert.Empty(core.Compensations);
    }

    [Fact]
    public async Task Two_reconcilers_that_see_the_same_stalled_job_queue_it_once()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Trends);
        core.Queue.Remove("vf-analysis", StageTasks.TaskName(job.Id, StageName.Analysis, 1));
        core.Time.Advance(PastGrace);

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => NewReconciler(core).RunOnceAsync(CancellationToken.None))));

        Assert.Equal(1, reports.Sum(r => r.Requeued));
        Assert.Equal(2, core.Queue.Tasks.Count(t => t.Queue == "vf-analysis"));
    }
}
