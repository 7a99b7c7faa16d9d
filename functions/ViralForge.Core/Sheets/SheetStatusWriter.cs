using System.Globalization;
using Microsoft.Extensions.Logging;
using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Sheets;

/// <summary>
/// Writes a job's current state into its row: Job ID, Status, Stage, Video, Preview, Published URL,
/// Error, Cost, Updated. It always writes the whole current state, so a missed write is repaired by
/// the next one.
/// </summary>
/// <param name="costs">The cost ledger the Cost cell sums; none (tests that do not look at cost) writes 0.</param>
public sealed class SheetStatusWriter(IJobStore store, IBlobStore blobs, ISheetRegistry sheets, TimeProvider time, ILogger<SheetStatusWriter> log, ICostLedger? costs = null)
{
    public async Task SyncAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return;
        }
        var outputs = await OutputsForAsync(job, cancellationToken);
        try
        {
            var result = await sheets.Open(job.SheetId).WriteAsync([new RowWrite(RowLocator.ByJobId(job.Id), outputs)], cancellationToken);
            if (result.NotFound.Count > 0)
            {
                log.RowGone(job.Id, job.SheetId);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sheet is a view of the job store: the stage's work stands, and the next sync writes
            // the whole state again. Failing the stage here would redo finished work.
            log.StatusNotWritten(ex, job.Id, job.SheetId);
        }
    }

    /// <summary>The output cells for a job as it stands.</summary>
    public async Task<Dictionary<string, string?>> OutputsForAsync(Job job, CancellationToken cancellationToken)
    {
        var outputs = new Dictionary<string, string?>
        {
            [SheetContract.JobId] = job.Id.ToString(),
            [SheetContract.Status] = job.Status,
            [SheetContract.Stage] = job.Stage?.Wire() ?? "",
            [SheetContract.Error] = await ErrorCellAsync(job, cancellationToken),
            [SheetContract.Updated] = UpdatedNow(),
            [SheetContract.Cost] = JobCost.Cell(costs is null ? 0m : await costs.TotalUsdAsync(job.Id, cancellationToken)),
        };

        var render = await store.GetLatestCompletedAsync(job.Id, StageName.Render, job.Generation, cancellationToken);
        if (render?.Output is { } renderJson && render.CompensatedAt is null)
        {
            var video = StageJson.FromElement<RenderOutput>(renderJson);
            var url = await blobs.GetReadUrlAsync(video.VideoBlobKey, TimeSpan.FromDays(7), cancellationToken);
            outputs[SheetContract.Preview] = url.ToString();
        }
        else
        {
            outputs[SheetContract.Preview] = "";
        }

        var publish = await store.GetLatestCompletedAsync(job.Id, StageName.Publish, job.Generation, cancellationToken);
        if (publish?.Output is { } publishJson && publish.CompensatedAt is null)
        {
            var published = StageJson.FromElement<PublishOutput>(publishJson);
            outputs[SheetContract.PublishedUrl] = string.Join(" ", published.Videos.Select(v => v.Url));
            var first = published.Videos.FirstOrDefault();
            outputs[SheetContract.Video] = first is null ? "" : VideoCell(first.Url);
        }
        else
        {
            outputs[SheetContract.PublishedUrl] = "";
            outputs[SheetContract.Video] = "";
        }
        return outputs;
    }

    /// <summary>
    /// The job's error, then each distinct note of what it did less than the row asked ("note: ..."). A note does not
    /// make the row failed: Status alone says how the row stands, and Error carries what the person should read.
    /// </summary>
    private async Task<string> ErrorCellAsync(Job job, CancellationToken cancellationToken)
    {
        var notes = (await store.ListEventsAsync(job.Id, cancellationToken))
            .Where(e => e.Kind == StageContext.NoteEventKind)
            .Select(e => $"note: {e.Message}")
            .Distinct(StringComparer.Ordinal);
        return string.Join("; ", new[] { job.Error }.Where(e => !string.IsNullOrEmpty(e)).Concat(notes));
    }

    /// <summary>The Updated cell's value for now: ISO 8601 in UTC, which sheet formulas can parse.</summary>
    public string UpdatedNow() => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A local file reads better as a path than as a file:// URL.
    private static string VideoCell(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : url;
}
