using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Dashboard;

/// <summary>What an action did: whether it changed the job, and the sentence the job's page shows.</summary>
public sealed record ActionResult(bool Done, string Message);

/// <summary>
/// The dashboard's four actions, each through the services that already own the transition: cancel and take down end
/// the job through the <see cref="Compensator"/> (as a rejection does), regenerate decides through the
/// <see cref="ReviewDesk"/> (as the review page does), and retry reopens a failed job at a new generation and queues a
/// stage with <see cref="StageTasks"/> (as a Regenerate does). Each is safe to repeat: the second click changes nothing.
/// </summary>
public sealed class DashboardActions(
    IJobStore store, DashboardQueries queries, Compensator compensator, ReviewDesk desk, StageTasks tasks, SheetStatusWriter sheet, TimeProvider time)
{
    /// <summary>The surface the review ledger records dashboard decisions under.</summary>
    public const string Surface = "dashboard";

    /// <summary>Stops a job that has not ended: it ends cancelled and its finished stages are undone, newest first.</summary>
    public async Task<ActionResult> CancelAsync(Guid jobId, DashboardViewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return new ActionResult(false, "That job does not exist.");
        }
        if (job.IsTerminal)
        {
            return new ActionResult(false, $"The job has already ended ({job.Status}); nothing was cancelled.");
        }
        // The compensator marks it terminal first, so a stage task still in the queue finds it ended and does nothing.
        await compensator.RunAsync(jobId, JobStatus.Cancelled, $"cancelled by {viewer.Name} from the dashboard", CancellationToken.None);
        var after = await store.GetAsync(jobId, cancellationToken);
        return after?.Status == JobStatus.Cancelled
            ? new ActionResult(true, "Cancelled; the finished stages were undone.")
            : new ActionResult(false, $"The job ended {after?.Status} before the cancel took effect.");
    }

    /// <summary>
    /// Runs a failed job again at a new generation from the stage that failed, or from the first stage whose files its
    /// compensation deleted (later stages read them), so nothing reads a deleted file. Earlier stages' outputs are reused.
    /// </summary>
    public async Task<ActionResult> RetryAsync(Guid jobId, int generation, DashboardViewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return new ActionResult(false, "That job does not exist.");
        }
        if (job.Status != JobStatus.Failed || job.Generation != generation)
        {
            return new ActionResult(false, job.Generation != generation
                ? "The job has moved on since this page was loaded; nothing was retried."
                : $"Only a failed job can be retried; this one is {job.Status}.");
        }
        var from = await RetryStageAsync(job, cancellationToken);
        var next = await queries.ReopenFailedAsync(jobId, generation, from,
            $"retry from {from.Wire()} asked by {viewer.Name} from the dashboard (generation {generation + 1})", cancellationToken);
        if (next is not { } reopened)
        {
            return new ActionResult(false, "The job was retried already; nothing more was done.");
        }
        try
        {
            await tasks.EnqueueAsync(jobId, from, reopened, cancellationToken);
        }
        catch (TaskQueueUnavailableException)
        {
            // The job is open again with no task: the reconcile step finds it idle and queues the stage.
            await sheet.SyncAsync(jobId, cancellationToken);
            return new ActionResult(true, $"Retrying from {from.Wire()}; the queue is out of reach, so the reconcile step will start it shortly.");
        }
        await sheet.SyncAsync(jobId, cancellationToken);
        return new ActionResult(true, $"Retrying from {from.Wire()} (generation {reopened}).");
    }

    /// <summary>The stage a retry starts from (see <see cref="RetryAsync"/>).</summary>
    public async Task<StageName> RetryStageAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var runs = await store.ListStageRunsAsync(job.Id, cancellationToken);
        var assets = await store.ListAssetsAsync(job.Id, cancellationToken);
        var failed = job.Stage
            ?? runs.Where(r => r.Generation == job.Generation && r.Status != StageRunStatus.Completed).Select(r => (StageName?)r.Stage).Min()
            ?? StageName.Trends;
        var undone = runs
            .Where(r => r.CompensatedAt is not null && r.Generation <= job.Generation && assets.Any(a => a.Stage == r.Stage && a.Generation == r.Generation))
            .Select(r => (StageName?)r.Stage)
            .Min();
        return undone is { } first && first < failed ? first : failed;
    }

    /// <summary>Asks for a new version of a stage of a video waiting for review, as the review page's Regenerate does.</summary>
    public async Task<ActionResult> RegenerateAsync(Guid jobId, int generation, StageName stage, string? feedback, DashboardViewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (stage >= StageName.Review || stage < StageName.Script)
        {
            return new ActionResult(false, $"Only the script, visuals, voice or render can be regenerated, not {stage.Wire()}.");
        }
        var decision = new RecordedDecision(jobId, generation, ReviewVerdict.Regenerate, $"{Surface}:{viewer.Name}", viewer.Name, Surface,
            null, stage, string.IsNullOrWhiteSpace(feedback) ? null : feedback.Trim(), time.GetUtcNow());
        var result = await desk.DecideAsync(decision, cancellationToken);
        return new ActionResult(result.Outcome == DeskOutcome.Decided, result.Message);
    }

    /// <summary>Takes a published (or scheduled) video down from its platforms and deletes its files; the job ends cancelled.</summary>
    public async Task<ActionResult> TakeDownAsync(Guid jobId, DashboardViewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (await store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return new ActionResult(false, "That job does not exist.");
        }
        var reason = $"taken down by {viewer.Name} from the dashboard";
        if (!await queries.MarkTakenDownAsync(jobId, reason, cancellationToken)
            && !(job.Status == JobStatus.Cancelled && job.Error == reason))
        {
            return new ActionResult(false, $"Only a published or scheduled video can be taken down; this job is {job.Status}.");
        }
        // Already terminal, so the compensator only undoes: the publish stage's compensation deletes the uploads
        // (once per video, through the cost ledger), then the blobs go and the row is written.
        await compensator.RunAsync(jobId, JobStatus.Cancelled, reason, CancellationToken.None);
        return new ActionResult(true, "Taken down; the uploads and the job's files are deleted.");
    }
}
