using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Stages;

/// <summary>What one reconcile pass did.</summary>
public sealed record ReconcileReport(int Examined, int Requeued, int Failed);

/// <summary>What the reconcile step did with one job.</summary>
public enum ReconcileOutcome
{
    /// <summary>Moving, waiting for a person, or another reconciler acted on it first.</summary>
    Untouched,

    /// <summary>Its stage was queued again under a new task name.</summary>
    Requeued,

    /// <summary>Its stage had no attempts left: failed, with the compensations run.</summary>
    Failed,
}

/// <summary>
/// Finds jobs that stopped moving and moves them on. The handler-side rule (the runner fails the job on the queue's
/// last attempt) needs a handler that answers; when a task dies outside it (no answer within the dispatch deadline,
/// a worker killed on its last attempt, a task deleted by hand, a process killed between committing a stage and
/// queueing the next), nothing else would finish the job. A job is stalled when it has not ended, is not waiting for a
/// reviewer, no attempt holds its current stage, and the queue has no live task for that stage. Then the stage is
/// queued again under a new name, or, once its attempts are spent, the job fails with a reason naming the stage and
/// compensates as the runner's own failure does.
/// </summary>
/// <remarks>
/// Safe to run in several processes at once: acting on a job first moves its persisted reconcile count from the value
/// this pass read (<see cref="IJobStore.ClaimReconcileAsync"/>), so one stalled job is acted on once. The count also
/// names the new task and bounds how often a stage is queued again (<c>Reconcile:MaxRequeues</c>).
/// Each pass also puts live the scheduled videos whose Publish At has come (<see cref="GoLiveAsync"/>).
/// </remarks>
public sealed class Reconciler(
    IJobStore store,
    ITaskQueue queue,
    StageTasks tasks,
    Compensator compensator,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<Reconciler> log,
    SheetStatusWriter? sheet = null) : IDeadTaskObserver
{
    private readonly ViralForgeOptions settings = options.Value;

    /// <summary>One pass over the idle jobs (unchanged for the grace period), least recently changed first.</summary>
    public async Task<ReconcileReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var idle = await store.ListIdleAsync(time.GetUtcNow() - settings.Reconcile.GracePeriod, settings.Reconcile.BatchSize, cancellationToken);
        int requeued = 0, failed = 0;
        foreach (var job in idle)
        {
            try
            {
                switch (await ReconcileAsync(job, died: null, cancellationToken))
                {
                    case ReconcileOutcome.Requeued:
                        requeued++;
                        break;
                    case ReconcileOutcome.Failed:
                        failed++;
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One job's trouble (the queue out of reach, say) must not stop the pass for the others.
                log.ReconcileJobFailed(ex, job.Id);
            }
        }
        log.ReconcilePass(idle.Count, requeued, failed);
        await GoLiveAsync(cancellationToken);
        return new ReconcileReport(idle.Count, requeued, failed);
    }

    /// <summary>
    /// Scheduled videos whose Publish At has come are published now: the platform put them live by itself, so nothing runs
    /// but the store's status and the row, whose Status cell would otherwise keep saying scheduled until the next write.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> GoLiveAsync(CancellationToken cancellationToken)
    {
        var live = await store.GoLiveAsync(time.GetUtcNow(), settings.Reconcile.BatchSize, cancellationToken);
        foreach (var jobId in live)
        {
            if (sheet is not null)
            {
                await sheet.SyncAsync(jobId, cancellationToken);
            }
        }
        return live;
    }

    /// <summary>Reconciles one job now, whatever its age (the grace period is for the periodic pass).</summary>
    public async Task<ReconcileOutcome> ReconcileJobAsync(Guid jobId, CancellationToken cancellationToken) =>
        await store.GetAsync(jobId, cancellationToken) is { IsTerminal: false } job
            ? await ReconcileAsync(job, died: null, cancellationToken)
            : ReconcileOutcome.Untouched;

    /// <summary>
    /// The local queue gave up on a task: when it was the current stage's task of its job, the job fails now with the
    /// task's last error (its attempts are spent), instead of at the next pass.
    /// </summary>
    public async Task TaskDiedAsync(DeadTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.Queue.StartsWith("vf-", StringComparison.Ordinal) || !StageOrder.TryParse(task.Queue[3..], out var stage))
        {
            return; // a review decision or timer: not a stage's own task
        }
        using var body = new MemoryStream(task.Body, writable: false);
        var (message, _) = await StageMessage.ReadAsync(body, cancellationToken);
        if (message is null || await store.GetAsync(message.JobId, cancellationToken) is not { IsTerminal: false } job
            || job.Generation != message.Generation || CurrentStage(job) != stage)
        {
            return; // the job moved on, ended or never existed: the dead task stopped nothing
        }
        await ReconcileAsync(job, task, cancellationToken);
    }

    /// <summary>
    /// The stage a job that has not ended is at or waits for: its status names it (a stage starting sets it, a stage
    /// completing sets the next one's), queued waits for trends, approved for publish.
    /// </summary>
    public static StageName? CurrentStage(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status switch
        {
            JobStatus.Queued => StageName.Trends,
            JobStatus.Approved or JobStatus.Publishing => StageName.Publish,
            _ => StageOrder.TryParse(job.Status, out var stage) ? stage : null,
        };
    }

    private async Task<ReconcileOutcome> ReconcileAsync(Job job, DeadTask? died, CancellationToken cancellationToken)
    {
        if (CurrentStage(job) is not { } stage)
        {
            return ReconcileOutcome.Untouched;
        }
        var generation = job.Generation;
        var run = (await store.ListStageRunsAsync(job.Id, cancellationToken)).SingleOrDefault(r => r.Stage == stage && r.Generation == generation);
        if (run?.Status is StageRunStatus.AwaitingApproval or StageRunStatus.Completed)
        {
            // Waiting for a reviewer (its timers are on vf-review-timers), or a review decision being applied: review's own
            // tasks finish those, and queueing the stage again would only re-enqueue what comes after it.
            return ReconcileOutcome.Untouched;
        }
        if (died is null && await store.GetStageLeaseAsync(job.Id, stage, generation, cancellationToken) is { } lease
            && lease >= time.GetUtcNow() - settings.Reconcile.GracePeriod)
        {
            return ReconcileOutcome.Untouched; // an attempt holds it, or let go only a moment ago
        }

        var queueName = StageTasks.QueueFor(stage);
        var count = await store.GetReconcileCountAsync(job.Id, stage, generation, cancellationToken);
        TaskLookup? last = null;
        // The stage's own task and the one the last reconcile made; any earlier reconcile's task was gone when this one was made.
        var names = new List<string> { StageTasks.TaskName(job.Id, stage, generation) };
        if (count > 0)
        {
            names.Add(StageTasks.TaskName(job.Id, stage, generation, count));
        }
        if (run is { Status: StageRunStatus.Running })
        {
            // A stage waiting on work elsewhere, or for a quota window, ended its task and queued one for later, named
            // after the run's attempt.
            names.Add(StageTasks.WaitTaskName(job.Id, stage, generation, run.Attempts));
            names.Add(StageTasks.DeferredTaskName(job.Id, stage, generation, run.Attempts));
        }
        foreach (var name in names)
        {
            var found = died is not null && died.Name == name
                ? new TaskLookup(false, died.Attempts, died.LastError)
                : await queue.FindAsync(queueName, name, cancellationToken);
            if (found is { Live: true })
            {
                return ReconcileOutcome.Untouched; // scheduled (perhaps for later), waiting for a retry, or being attempted
            }
            last = found ?? last;
        }

        var reason = FailureReason(stage, run, last, count);
        if (!await store.ClaimReconcileAsync(job.Id, stage, generation, count, time.GetUtcNow() - settings.Reconcile.GracePeriod, cancellationToken))
        {
            return ReconcileOutcome.Untouched; // another reconciler acted on what this one saw
        }
        if (reason is not null)
        {
            // As the runner's own failure: the job is over, so nothing the caller cancels should stop its clean-up half way.
            await store.FailStageAttemptAsync(job.Id, stage, generation, reason, CancellationToken.None);
            await compensator.RunAsync(job.Id, JobStatus.Failed, reason, CancellationToken.None);
            log.StalledJobFailed(job.Id, reason);
            return ReconcileOutcome.Failed;
        }

        var what = last is not null ? $"its task ended without finishing it ({last.LastError ?? "no error recorded"})"
            : run is null ? "nothing was scheduled"
            : $"its task is gone and its last attempt stopped ({run.Error ?? "lease expired"})";
        await store.AppendEventAsync(job.Id, "reconciled", stage, $"{stage.Wire()}: {what}; queued again", cancellationToken);
        await tasks.EnqueueAsync(job.Id, stage, generation, count + 1, cancellationToken);
        log.StageRequeued(job.Id, stage.Wire(), generation, what, count + 1, settings.Reconcile.MaxRequeues);
        return ReconcileOutcome.Requeued;
    }

    /// <summary>
    /// Why the stalled stage cannot be tried again, or null when it can: its task died after the queue's last attempt
    /// (the local queue says so; Cloud Tasks forgets it, so then the run's own attempts tell), or it was queued again as
    /// often as <c>Reconcile:MaxRequeues</c> allows.
    /// </summary>
    private string? FailureReason(StageName stage, StageRun? run, TaskLookup? last, int count)
    {
        var maxAttempts = settings.Queue.RetryFor(StageTasks.QueueFor(stage)).MaxAttempts;
        if (last is { Live: false } dead && dead.Attempts >= maxAttempts)
        {
            return $"{stage.Wire()}: {dead.LastError ?? run?.Error ?? "no answer"} after {dead.Attempts} attempts";
        }
        if (last is null && run is not null && run.Attempts >= maxAttempts && run.Status != StageRunStatus.Completed)
        {
            return $"{stage.Wire()}: {run.Error ?? "no answer"} after {run.Attempts} attempts";
        }
        if (count >= settings.Reconcile.MaxRequeues)
        {
            return $"{stage.Wire()}: stopped with nothing scheduled after being queued again {count} times"
                + (run?.Error is { } error ? $" (last error: {error})" : "");
        }
        return null;
    }
}
