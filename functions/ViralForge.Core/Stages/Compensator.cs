using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Stages;

/// <summary>
/// Ends a job that was rejected or failed for good: marks it terminal, then undoes the finished stages
/// newest first (each stage's own compensation, then its blobs), then writes the outcome to the row.
/// Every step is idempotent, so running it twice (a redelivered task, a double click) changes nothing.
/// </summary>
public sealed class Compensator(IJobStore store, IBlobStore blobs, IEnumerable<IStage> stages, SheetStatusWriter sheet, ILogger<Compensator> log)
{
    public async Task RunAsync(Guid jobId, string terminalStatus, string reason, CancellationToken cancellationToken)
    {
        // Terminal first: a stage task still in the queue then finds the job ended and does nothing.
        await store.FinishAsync(jobId, terminalStatus, reason, cancellationToken);
        var job = await store.GetAsync(jobId, cancellationToken) ?? throw new InvalidOperationException($"Job {jobId} vanished.");

        var runs = await store.ListStageRunsAsync(jobId, cancellationToken);
        var assets = await store.ListAssetsAsync(jobId, cancellationToken);
        var toUndo = runs
            .Where(r => r.Status == StageRunStatus.Completed && r.CompensatedAt is null)
            .OrderByDescending(r => r.Generation)
            .ThenByDescending(r => r.Stage);
        foreach (var run in toUndo)
        {
            var stage = stages.Single(s => s.Name == run.Stage);
            await stage.CompensateAsync(new CompensationContext(job, run), cancellationToken);
            foreach (var asset in assets.Where(a => a.Stage == run.Stage && a.Generation == run.Generation))
            {
                await blobs.DeleteAsync(asset.BlobKey, cancellationToken);
            }
            await store.MarkCompensatedAsync(jobId, run.Stage, run.Generation, cancellationToken);
            await store.AppendEventAsync(jobId, "compensated", run.Stage, $"undid {run.Stage.Wire()} (generation {run.Generation})", cancellationToken);
        }

        // Anything an interrupted attempt left behind under the job's prefix goes too.
        var leftovers = await blobs.DeletePrefixAsync(BlobKeys.JobPrefix(jobId), cancellationToken);
        if (leftovers > 0)
        {
            log.LeftoverBlobsDeleted(leftovers, jobId);
        }
        await sheet.SyncAsync(jobId, cancellationToken);
    }
}
