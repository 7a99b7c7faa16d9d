using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Stages;

/// <summary>
/// Runs one delivery of a stage task, safely under at-least-once delivery: claim the run (INSERT ... ON
/// CONFLICT), do the work, commit outputs, then enqueue the next stage. A second delivery of a finished
/// stage only re-enqueues the next one, so no side effect happens twice.
/// </summary>
public sealed class StageRunner(
    IJobStore store,
    IBlobStore blobs,
    IEnumerable<IStage> stages,
    StageTasks tasks,
    Compensator compensator,
    SheetStatusWriter sheet,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<StageRunner> log)
{
    private readonly ViralForgeOptions settings = options.Value;

    public async Task<StageOutcome> RunAsync(StageName stageName, StageMessage message, DeliveryInfo delivery, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(message.JobId, cancellationToken);
        if (job is null)
        {
            return new StageOutcome.Skipped($"job {message.JobId} does not exist");
        }
        if (job.IsTerminal)
        {
            return new StageOutcome.Skipped($"job is {job.Status}");
        }
        if (message.Generation != job.Generation)
        {
            return new StageOutcome.Skipped($"generation {message.Generation} was superseded by {job.Generation}");
        }

        var claim = await store.ClaimStageAsync(job.Id, stageName, message.Generation, settings.Stages.Lease, cancellationToken);
        switch (claim.Result)
        {
            case ClaimResult.AlreadyCompleted:
                return await EnqueueNextOrRetryAsync(job.Id, stageName, message.Generation, $"{stageName.Wire()} was already done; next stage enqueued", cancellationToken);
            case ClaimResult.AwaitingApproval:
                return new StageOutcome.AwaitingApproval(stageName == StageName.Script ? "waiting for a person to check the script" : "waiting for a reviewer");
            case ClaimResult.Busy:
                return new StageOutcome.RetryLater($"another attempt is running {stageName.Wire()}", settings.Stages.Lease);
        }

        await store.SetStatusAsync(job.Id, JobStatus.ForStage(stageName), stageName, cancellationToken);
        await store.AppendEventAsync(job.Id, "started", stageName, $"attempt {claim.Run.Attempts} (delivery retry {delivery.RetryCount})", cancellationToken);
        await sheet.SyncAsync(job.Id, cancellationToken);

        var stage = stages.Single(s => s.Name == stageName);
        // Named after this process, so that a later run can sweep it up if this process is killed mid-stage (see ScratchFolders).
        var workFolder = ScratchFolders.Create(ScratchRoot(settings), $"{job.Id:N}-{stageName.Wire()}");
        StageResult result;
        try
        {
            // Percent done goes to the store and the row's Stage cell, throttled; see ProgressReporter.
            await using var reporter = new ProgressReporter(
                job.Id,
                (percent, ct) => store.SetStageProgressAsync(job.Id, stageName, message.Generation, percent, ct),
                ct => sheet.SyncAsync(job.Id, ct),
                time,
                settings.Stages.ProgressStoreInterval,
                settings.Stages.ProgressSheetInterval,
                log);
            using var progress = new StageProgress(time, reporter.Report);
            using var heartbeat = new LeaseHeartbeat(
                ct => store.RenewStageLeaseAsync(job.Id, stageName, message.Generation, settings.Stages.Lease, ct),
                settings.Stages.Lease / 3,
                time,
                log,
                progress,
                settings.Stages.ProgressStall);
            var context = new StageContext(job, stageName, message.Generation, workFolder, store, blobs, progress);
            result = await stage.RunAsync(context, cancellationToken);
            await reporter.DisposeAsync();
            if (result.Kind == StageResultKind.Completed)
            {
                await CompleteAsync(job, stageName, message.Generation, result, cancellationToken);
            }
        }
        catch (PermanentStageException ex)
        {
            return await FailJobAsync(job.Id, stageName, message.Generation, ex.Message);
        }
        catch (WorkStillRunningException ex)
        {
            return await WaitAsync(job, stageName, message, claim.Run.Attempts, ex, cancellationToken);
        }
        catch (StageDeferredException ex)
        {
            return await DeferAsync(job, stageName, message.Generation, claim.Run.Attempts, ex, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping or the queue gave up on this attempt: free the run for the next delivery.
            await store.FailStageAttemptAsync(job.Id, stageName, message.Generation, "interrupted", CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            log.StageFailed(ex, stageName.Wire(), job.Id, delivery.RetryCount);
            // A vendor that said how long to wait (TransientStageException) is come back to after that wait, not the queue's backoff.
            return await RetryOrGiveUpAsync(job.Id, stageName, message.Generation, delivery, $"{stageName.Wire()}: {ex.Message}", after: (ex as TransientStageException)?.RetryAfter);
        }
        finally
        {
            TryDeleteFolder(workFolder);
        }

        switch (result.Kind)
        {
            case StageResultKind.AwaitingApproval:
                await store.AwaitApprovalAsync(job.Id, stageName, message.Generation, result.Output, cancellationToken);
                await store.SetStatusAsync(job.Id, JobStatus.AwaitingAt(stageName), stageName, cancellationToken);
                await sheet.SyncAsync(job.Id, cancellationToken);
                return new StageOutcome.AwaitingApproval(result.Summary);
            case StageResultKind.Rejected:
                // The compensator, not this completion, ends the job, so that the reason is recorded with it.
                await store.CompleteStageAsync(new StageCompletion(job.Id, stageName, message.Generation, result.Output, [], JobStatus.ForStage(stageName), result.Summary), cancellationToken);
                await compensator.RunAsync(job.Id, JobStatus.Rejected, result.Summary, CancellationToken.None);
                return new StageOutcome.Ended(result.Summary);
            default:
                var outcome = await EnqueueNextOrRetryAsync(job.Id, stageName, message.Generation, result.Summary, cancellationToken);
                await sheet.SyncAsync(job.Id, cancellationToken);
                return outcome;
        }
    }

    /// <summary>
    /// Enqueues the next stage of a stage whose work is committed. An unreachable queue asks for a retry, which finds the
    /// stage done and only enqueues again.
    /// </summary>
    private async Task<StageOutcome> EnqueueNextOrRetryAsync(Guid jobId, StageName stage, int generation, string summary, CancellationToken cancellationToken)
    {
        try
        {
            await EnqueueNextAsync(jobId, stage, generation, cancellationToken);
            return new StageOutcome.Completed(summary);
        }
        catch (TaskQueueUnavailableException ex)
        {
            return new StageOutcome.RetryLater($"{stage.Wire()} is done but the next stage could not be queued: {ex.Message}", NextStageRetry);
        }
    }

    /// <summary>How soon to come back when a finished stage could not queue the next one.</summary>
    public static readonly TimeSpan NextStageRetry = TimeSpan.FromSeconds(10);

    /// <summary>Where stage attempts keep their scratch folders: under the work folder, not the system's temp folder, so one setting says where a host writes.</summary>
    public static string ScratchRoot(ViralForgeOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(Path.GetFullPath(settings.WorkFolder), "scratch");
    }

    /// <summary>
    /// Frees the run for the queue's next delivery; on the queue's last attempt fails the job and compensates instead,
    /// since no delivery would come to finish it.
    /// </summary>
    private async Task<StageOutcome> RetryOrGiveUpAsync(Guid jobId, StageName stage, int generation, DeliveryInfo delivery, string reason, TimeSpan? after)
    {
        if (delivery.RetryCount + 1 >= settings.Queue.RetryFor(StageTasks.QueueFor(stage)).MaxAttempts)
        {
            return await FailJobAsync(jobId, stage, generation, $"{reason} (gave up after {delivery.RetryCount + 1} attempts)");
        }
        await store.FailStageAttemptAsync(jobId, stage, generation, reason, CancellationToken.None);
        return new StageOutcome.RetryLater(reason, after);
    }

    /// <summary>
    /// A stage that must wait for a window (YouTube's daily quota): not a fault, so no attempt of the queue's is spent. The
    /// job keeps the status it had (approved while it waits to publish), the row's Error cell says when it goes (a note),
    /// and the stage is queued again for that time under a task of its own; this task ends.
    /// </summary>
    /// <remarks>
    /// The run stays held by this attempt, its lease running out just before the window, rather than being released: a
    /// released run with no live task of the names the <see cref="Reconciler"/> knows looks stalled to it, and each of its
    /// passes would queue the stage again until its requeues ran out and it failed a job that was only waiting. The task
    /// at the window finds the lease expired and claims the run as any next attempt does.
    /// </remarks>
    private async Task<StageOutcome> DeferAsync(Job job, StageName stage, int generation, int attempt, StageDeferredException deferral, CancellationToken cancellationToken)
    {
        var until = deferral.Until;
        var now = time.GetUtcNow();
        var hold = until - now - DeferredLeaseMargin;
        await store.RenewStageLeaseAsync(job.Id, stage, generation, hold > TimeSpan.Zero ? hold : TimeSpan.Zero, CancellationToken.None);
        await store.SetStatusAsync(job.Id, job.Status, job.Stage, CancellationToken.None);
        await store.AppendEventAsync(job.Id, StageContext.NoteEventKind, stage, deferral.Message, CancellationToken.None);
        log.StageDeferred(stage.Wire(), job.Id, until, deferral.Message);
        try
        {
            await tasks.EnqueueDeferredAsync(job.Id, stage, generation, attempt, until, cancellationToken);
        }
        catch (TaskQueueUnavailableException ex)
        {
            // Nothing would come back at the window: free the run and let the queue deliver this task again soon.
            await store.FailStageAttemptAsync(job.Id, stage, generation, $"{stage.Wire()}: {deferral.Message}; could not queue it: {ex.Message}", CancellationToken.None);
            return new StageOutcome.RetryLater($"{stage.Wire()} waits until {until:u} but could not be queued for then: {ex.Message}", NextStageRetry);
        }
        await sheet.SyncAsync(job.Id, cancellationToken);
        return new StageOutcome.Deferred($"{stage.Wire()}: {deferral.Message}", until);
    }

    /// <summary>
    /// Work the stage started goes on elsewhere (a video generation, a Cloud Run render, TikTok processing an upload). Not
    /// a fault, and not slowness to retry: no attempt of the queue's is spent. The run stays held until the next look (for
    /// the reason <see cref="DeferAsync"/> gives), the stage is queued for then under a task of its own that carries when
    /// the waiting began, and this task ends. Once the stage has waited Stages:WorkWaitLimit the job fails instead, naming
    /// what it waited for.
    /// </summary>
    private async Task<StageOutcome> WaitAsync(Job job, StageName stage, StageMessage message, int attempt, WorkStillRunningException wait, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = message.WaitingSince is { } started && started <= now ? started : now;
        var limit = settings.Stages.WorkWaitLimit;
        if (now - since >= limit)
        {
            return await FailJobAsync(job.Id, stage, message.Generation,
                $"{stage.Wire()}: {wait.Message}; gave up after waiting {Minutes(now - since)} (Stages:WorkWaitLimit is {Minutes(limit)})");
        }
        var at = now + (wait.RetryAfter > MinimumWait ? wait.RetryAfter : MinimumWait);
        var hold = at - now - DeferredLeaseMargin;
        await store.RenewStageLeaseAsync(job.Id, stage, message.Generation, hold > TimeSpan.Zero ? hold : TimeSpan.Zero, CancellationToken.None);
        if (message.WaitingSince is null)
        {
            // One event when the waiting begins, not one per look: a render is looked at every half minute.
            await store.AppendEventAsync(job.Id, WaitingEventKind, stage, wait.Message, CancellationToken.None);
        }
        log.StageWaiting(stage.Wire(), job.Id, at, wait.Message);
        try
        {
            await tasks.EnqueueWaitAsync(job.Id, stage, message.Generation, attempt, at, since, cancellationToken);
        }
        catch (TaskQueueUnavailableException ex)
        {
            // Nothing would come back to look: free the run and let the queue deliver this task again.
            await store.FailStageAttemptAsync(job.Id, stage, message.Generation, $"{stage.Wire()}: {wait.Message}; could not queue the next look: {ex.Message}", CancellationToken.None);
            return new StageOutcome.RetryLater($"{stage.Wire()}: {wait.Message}; could not queue the next look: {ex.Message}", wait.RetryAfter);
        }
        return new StageOutcome.Deferred($"{stage.Wire()}: {wait.Message}", at);
    }

    private static string Minutes(TimeSpan span) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");

    /// <summary>The kind of the job event written when a stage begins to wait on work going on elsewhere.</summary>
    public const string WaitingEventKind = "waiting";

    /// <summary>The shortest time before a stage looks again at work going on elsewhere, whatever the port asked for.</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);

    /// <summary>How long before a deferred stage's window its held run is let go, so the task at the window can claim it.</summary>
    public static readonly TimeSpan DeferredLeaseMargin = TimeSpan.FromSeconds(30);

    /// <summary>Enqueues the stage after this one; after publish there is none.</summary>
    public async Task EnqueueNextAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        if (StageOrder.Next(stage) is { } next)
        {
            await tasks.EnqueueAsync(jobId, next, generation, cancellationToken);
        }
    }

    private async Task CompleteAsync(Job job, StageName stageName, int generation, StageResult result, CancellationToken cancellationToken)
    {
        var assets = new List<Asset>();
        foreach (var file in result.Files)
        {
            var stored = file.Stored ?? await blobs.PutFileAsync(file.BlobKey, file.LocalPath ?? throw new InvalidOperationException($"{file.Kind} has neither a local file nor a stored blob."), cancellationToken);
            assets.Add(new Asset(job.Id, stageName, generation, file.Kind, file.BlobKey, stored.SizeBytes, stored.Sha256, file.DurationSeconds));
        }
        var status = stageName switch
        {
            // A future Publish At leaves the video scheduled on its platforms: done for the pipeline, not yet live.
            StageName.Publish => JobStatus.AfterPublish(job.Request.PublishAt, time.GetUtcNow()),
            StageName.Review => JobStatus.Approved,
            _ => JobStatus.ForStage(StageOrder.Next(stageName)!.Value),
        };
        await store.CompleteStageAsync(new StageCompletion(job.Id, stageName, generation, result.Output, assets, status, result.Summary), cancellationToken);
    }

    private async Task<StageOutcome> FailJobAsync(Guid jobId, StageName stage, int generation, string reason)
    {
        // The job is over; nothing the caller cancels should stop its clean-up half way.
        await store.FailStageAttemptAsync(jobId, stage, generation, reason, CancellationToken.None);
        await compensator.RunAsync(jobId, JobStatus.Failed, reason, CancellationToken.None);
        return new StageOutcome.Ended($"failed: {reason}");
    }

    private void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.ScratchNotDeleted(ex, folder);
        }
    }
}
