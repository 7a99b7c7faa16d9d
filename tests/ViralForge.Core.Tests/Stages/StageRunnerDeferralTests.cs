using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>
/// A stage that must wait for a quota window (StageDeferredException): the task ends without counting as a failed
/// attempt, the job stays approved, the row says when it goes, and the stage is queued again for the window.
/// </summary>
public sealed class StageRunnerDeferralTests
{
    private const string Waiting = "YouTube's daily upload quota is used up; the upload goes at 2025-06-02 07:00 UTC";

    private readonly CoreHarness core = new();

    // Midnight Pacific (PDT) after the harness's clock, 2025-06-01 09:00 UTC.
    private static readonly DateTimeOffset Window = new(2025, 6, 2, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_deferred_publish_ends_its_task_keeps_the_job_approved_notes_when_it_goes_and_is_queued_for_the_window()
    {
        var (job, row) = await ApprovedJobAsync();
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException(Waiting, Window);

        var outcome = await core.RunAsync(job, StageName.Publish);

        var deferred = Assert.IsType<StageOutcome.Deferred>(outcome);
        Assert.Equal(Window, deferred.Until);
        Assert.Contains(Waiting, deferred.Detail, StringComparison.Ordinal);
        var after = await core.JobAsync(job.Id);
        Assert.Equal(JobStatus.Approved, after.Status);
        Assert.Null(after.Error);
        Assert.Contains(await core.EventsAsync(job.Id), e => e.Kind == StageContext.NoteEventKind && e.Message == Waiting);
        var again = Assert.Single(core.Queue.Tasks, t => t.Queue == StageTasks.QueueFor(StageName.Publish) && t.ScheduleTime is not null);
        Assert.Equal(Window, again.ScheduleTime);
        Assert.Equal(StageTasks.DeferredTaskName(job.Id, StageName.Publish, 1, attempt: 1), again.Name);
        Assert.NotEqual(StageTasks.TaskName(job.Id, StageName.Publish, 1), again.Name);
        // The row's Error cell tells the person when the video goes; its Status still says approved.
        Assert.Contains(Waiting, core.Sheet.Cell(row, SheetContract.Error), StringComparison.Ordinal);
        Assert.Equal(JobStatus.Approved, core.Sheet.Cell(row, SheetContract.Status));
    }

    [Fact]
    public async Task The_task_at_the_window_publishes_whatever_deliveries_came_before_and_no_attempt_was_spent_on_waiting()
    {
        var (job, _) = await ApprovedJobAsync();
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException(Waiting, Window);
        // Deferred on what would be the queue's last attempt: a retry would have failed the job, a deferral does not.
        Assert.IsType<StageOutcome.Deferred>(await core.RunAsync(job, StageName.Publish, retryCount: core.Settings.Queue.MaxAttempts - 1));
        // A duplicate delivery before the window finds the run held and queues nothing more.
        Assert.IsType<StageOutcome.RetryLater>(await core.RunAsync(job, StageName.Publish));
        Assert.Single(core.Queue.Tasks, t => t.ScheduleTime is not null);

        core.Time.SetUtcNow(Window);
        core.Stages[StageName.Publish].Work = (context, _) => Task.FromResult(
            StageResult.Completed(new PublishOutput([new PublishedVideo("youtube", "https://www.youtube.com/watch?v=abc", "abc")]), "publish done"));
        var outcome = await core.RunAsync(job, StageName.Publish);

        Assert.IsType<StageOutcome.Completed>(outcome);
        Assert.Equal(JobStatus.Published, (await core.JobAsync(job.Id)).Status);
    }

    [Fact]
    public async Task The_reconciler_leaves_a_deferred_stage_alone_until_its_window_instead_of_requeueing_it_until_it_fails()
    {
        var (job, _) = await ApprovedJobAsync();
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException(Waiting, Window);
        await core.RunAsync(job, StageName.Publish);
        // Cloud Tasks forgets a finished task: only the deferred one is left.
        core.Queue.Remove(StageTasks.QueueFor(StageName.Publish), StageTasks.TaskName(job.Id, StageName.Publish, 1));
        var reconciler = new Reconciler(core.Store, core.Queue, new StageTasks(core.Queue), core.Compensator,
            Microsoft.Extensions.Options.Options.Create(core.Settings), core.Time, NullLogger<Reconciler>.Instance);

        for (var hour = 0; hour < 21; hour++)
        {
            core.Time.Advance(TimeSpan.FromHours(1));
            var pass = await reconciler.RunOnceAsync(CancellationToken.None);
            Assert.Equal((0, 0), (pass.Requeued, pass.Failed));
        }
        Assert.Equal(JobStatus.Approved, (await core.JobAsync(job.Id)).Status);
    }

    [Fact]
    public async Task A_deferral_that_cannot_be_queued_frees_the_run_and_asks_the_queue_to_deliver_it_again()
    {
        var (job, _) = await ApprovedJobAsync();
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException(Waiting, Window);
        core.Queue.Failure = new TaskQueueUnavailableException("vf-publish", "503 UNAVAILABLE");

        var outcome = await core.RunAsync(job, StageName.Publish);

        Assert.IsType<StageOutcome.RetryLater>(outcome);
        Assert.Equal(StageRunStatus.Failed, (await core.RunOfAsync(job.Id, StageName.Publish)).Status);
        Assert.Equal(JobStatus.Approved, (await core.JobAsync(job.Id)).Status);
    }

    [Fact]
    public void Deferred_task_names_differ_by_attempt_and_generation_and_repeat_for_the_same_one()
    {
        var id = Guid.NewGuid();

        Assert.Equal(StageTasks.DeferredTaskName(id, StageName.Publish, 1, 3), StageTasks.DeferredTaskName(id, StageName.Publish, 1, 3));
        Assert.NotEqual(StageTasks.DeferredTaskName(id, StageName.Publish, 1, 3), StageTasks.DeferredTaskName(id, StageName.Publish, 1, 4));
        Assert.NotEqual(StageTasks.DeferredTaskName(id, StageName.Publish, 1, 3), StageTasks.DeferredTaskName(id, StageName.Publish, 2, 3));
        Assert.NotEqual(StageTasks.DeferredTaskName(id, StageName.Publish, 1, 3), StageTasks.WaitTaskName(id, StageName.Publish, 1, 3));
    }

    [Fact]
    public async Task A_deferred_publish_delivered_late_at_its_window_is_left_alone_by_the_reconcile_step()
    {
        var (job, _) = await ApprovedJobAsync();
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException(Waiting, Window);
        Assert.IsType<StageOutcome.Deferred>(await core.RunAsync(job, StageName.Publish));
        // The publish task answered 200 and is gone; fifty uploads deferred to one window on a queue of one at a time
        // reach this one half an hour after the window.
        core.Queue.Remove(StageTasks.QueueFor(StageName.Publish), StageTasks.TaskName(job.Id, StageName.Publish, 1));
        core.Time.SetUtcNow(Window.AddMinutes(30));
        var reconciler = new Reconciler(core.Store, core.Queue, new StageTasks(core.Queue), core.Compensator,
            Microsoft.Extensions.Options.Options.Create(core.Settings), core.Time, NullLogger<Reconciler>.Instance);

        Assert.Equal(ReconcileOutcome.Untouched, await reconciler.ReconcileJobAsync(job.Id, CancellationToken.None));
        Assert.Equal(JobStatus.Approved, (await core.JobAsync(job.Id)).Status);
    }

    /// <summary>A job through review, approved, with its publish task queued.</summary>
    private async Task<(Job Job, int Row)> ApprovedJobAsync()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Review);
        Assert.Equal(JobStatus.Approved, (await core.JobAsync(job.Id)).Status);
        return (job, row);
    }
}
