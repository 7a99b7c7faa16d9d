using System.Text.Json;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>
/// Work a stage started that goes on elsewhere (WorkStillRunningException: a video generation, a Cloud Run render):
/// no attempt of the queue's is spent on waiting, each look is a task of its own, and the wait is bounded by
/// Stages:WorkWaitLimit instead.
/// </summary>
public sealed class StageRunnerWaitTests
{
    private const string StillRunning = "Runway task 7f3a is still THROTTLED after 300 s; the queue comes back for it.";

    private readonly CoreHarness core = new();

    [Fact]
    public async Task Work_still_running_holds_the_run_ends_the_task_and_looks_again_under_a_task_that_carries_when_the_wait_began()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        core.Stages[StageName.Visuals].Work = (_, _) => throw new WorkStillRunningException(StillRunning, TimeSpan.FromMinutes(2));
        var began = core.Time.GetUtcNow();

        // On what would be the queue's last attempt: a retry would fail the job there, a wait does not.
        var outcome = await core.RunAsync(job, StageName.Visuals, retryCount: core.Settings.Queue.MaxAttempts - 1);

        var waiting = Assert.IsType<StageOutcome.Deferred>(outcome);
        Assert.Equal(began.AddMinutes(2), waiting.Until);
        Assert.Contains(StillRunning, waiting.Detail, StringComparison.Ordinal);
        var look = Assert.Single(core.Queue.Tasks, t => t.Queue == StageTasks.QueueFor(StageName.Visuals) && t.ScheduleTime is not null);
        Assert.Equal(began.AddMinutes(2), look.ScheduleTime);
        Assert.Equal(StageTasks.WaitTaskName(job.Id, StageName.Visuals, 1, attempt: 1), look.Name);
        var message = JsonSerializer.Deserialize(look.Body, CoreJson.Default.StageMessage)!;
        Assert.Equal(new StageMessage(job.Id, 1, began), message);
        // The run stays held until just before the look, so the reconcile step does not take the stage for stalled.
        var run = await core.RunOfAsync(job.Id, StageName.Visuals);
        Assert.Equal(StageRunStatus.Running, run.Status);
        Assert.Equal(began.AddMinutes(2) - StageRunner.DeferredLeaseMargin, await core.Store.GetStageLeaseAsync(job.Id, StageName.Visuals, 1, CancellationToken.None));
        Assert.Equal(JobStatus.ForStage(StageName.Visuals), (await core.JobAsync(job.Id)).Status);
        Assert.Single(await core.EventsAsync(job.Id), e => e.Kind == StageRunner.WaitingEventKind && e.Message == StillRunning);

        // The look: still running, so another look, carrying the same start, and no second "waiting" event.
        core.Time.SetUtcNow(began.AddMinutes(2));
        Assert.IsType<StageOutcome.Deferred>(await core.DeliverAsync(StageName.Visuals, message));
        var second = Assert.Single(core.Queue.Tasks, t => t.ScheduleTime == began.AddMinutes(4));
        Assert.Equal(StageTasks.WaitTaskName(job.Id, StageName.Visuals, 1, attempt: 2), second.Name);
        Assert.Equal(began, JsonSerializer.Deserialize(second.Body, CoreJson.Default.StageMessage)!.WaitingSince);
        Assert.Single(await core.EventsAsync(job.Id), e => e.Kind == StageRunner.WaitingEventKind);

        // The generation finishes: the next look completes the stage and the job goes on.
        core.Time.SetUtcNow(began.AddMinutes(4));
        core.Stages[StageName.Visuals].Work = (_, _) => Task.FromResult(ScriptedStage.Output(StageName.Visuals, "visuals done"));
        Assert.IsType<StageOutcome.Completed>(await core.DeliverAsync(StageName.Visuals, message with { WaitingSince = began }));
        Assert.Equal(StageRunStatus.Completed, (await core.RunOfAsync(job.Id, StageName.Visuals)).Status);
        Assert.Single(core.Enqueued(StageName.Voice));
    }

    [Fact]
    public async Task A_stage_that_has_waited_the_limit_fails_its_job_naming_what_it_waited_for_and_the_limit()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        core.Stages[StageName.Visuals].Work = (_, _) => throw new WorkStillRunningException(StillRunning, TimeSpan.FromMinutes(2));
        var began = core.Time.GetUtcNow();
        core.Time.SetUtcNow(began + core.Settings.Stages.WorkWaitLimit);

        var outcome = await core.DeliverAsync(StageName.Visuals, new StageMessage(job.Id, 1, began));

        Assert.IsType<StageOutcome.Ended>(outcome);
        var after = await core.JobAsync(job.Id);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Contains(StillRunning, after.Error, StringComparison.Ordinal);
        Assert.Contains("gave up after waiting 360 min (Stages:WorkWaitLimit is 360 min)", after.Error, StringComparison.Ordinal);
        Assert.Contains("gave up after waiting 360 min", core.Sheet.Cell(row, SheetContract.Error), StringComparison.Ordinal);
        Assert.DoesNotContain(core.Queue.Tasks, t => t.ScheduleTime is not null);
    }

    [Fact]
    public async Task A_wait_start_later_than_now_is_read_as_now_so_a_bad_clock_cannot_make_a_wait_endless()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Trends].Work = (_, _) => throw new WorkStillRunningException(StillRunning, TimeSpan.FromSeconds(30));
        var now = core.Time.GetUtcNow();

        Assert.IsType<StageOutcome.Deferred>(await core.DeliverAsync(StageName.Trends, new StageMessage(job.Id, 1, now.AddDays(30))));

        var look = Assert.Single(core.Queue.Tasks, t => t.ScheduleTime is not null);
        Assert.Equal(now, JsonSerializer.Deserialize(look.Body, CoreJson.Default.StageMessage)!.WaitingSince);
        // A look sooner than the margin leaves the run free at once: the next delivery claims it.
        Assert.True(await core.Store.GetStageLeaseAsync(job.Id, StageName.Trends, 1, CancellationToken.None) <= now);
    }

    [Fact]
    public async Task When_the_next_look_cannot_be_queued_the_run_is_freed_and_the_queue_retries_this_task()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Trends].Work = (_, _) => throw new WorkStillRunningException(StillRunning, TimeSpan.FromMinutes(1));
        core.Queue.Failure = new TaskQueueUnavailableException("vf-trends", "503 UNAVAILABLE");

        var retry = Assert.IsType<StageOutcome.RetryLater>(await core.RunAsync(job, StageName.Trends));

        Assert.Equal(TimeSpan.FromMinutes(1), retry.After);
        Assert.Contains("could not queue the next look", retry.Detail, StringComparison.Ordinal);
        Assert.Equal(StageRunStatus.Failed, (await core.RunOfAsync(job.Id, StageName.Trends)).Status);
        Assert.NotEqual(JobStatus.Failed, (await core.JobAsync(job.Id)).Status);
    }
}
