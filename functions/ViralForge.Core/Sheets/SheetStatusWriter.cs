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
/// <param name="webhooks">
/// Told the job as it stands at every sync, the one place every status change passes through; it queues the webhooks the
/// change calls for, each once. None: no webhooks.
/// </param>
public sealed class SheetStatusWriter(IJobStore store, IBlobStore blobs, ISheetRegistry sheets, TimeProvider time, ILogger<SheetStatusWriter> log, ICostLedger? costs = null,
    Webhooks.IWebhookEvents? webhooks = null)
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
        if (webhooks is not null)
        {
            await webhooks.JobChangedAsync(job, cancellationToken);
        }
    }

    /// <summary>The output cells for a job as it stands.</summary>
    public async Task<Dictionary<string, string?>> OutputsForAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var outputs = new Dictionary<string, string?>
        {
            [SheetContract.JobId] = job.Id.ToString(),
            [SheetContract.Status] = JobStatus.AsOf(job, time.GetUtcNow()),
            [SheetContract.Stage] = await StageCellAsync(job, cancellationToken),
            [SheetContract.Error] = await ErrorCellAsync(job, cancellationToken),
            [SheetContract.Updated] = UpdatedNow(),
            [SheetContract.Cost] = JobCost.Cell(costs is null ? 0m : await costs.TotalUsdAsync(job.Id, cancellationToken)),
        };

        var render = await store.GetLatestCompletedAsync(job.Id, StageName.Render, job.Generation, cancellationToken);
        if (render?.Output is { } renderJson && render.CompensatedAt is null)
        {
            // The thumbnail rather than the short clip: Sheets' =IMAGE(cell) shows a picture in the row, and no formula plays
            // a video (the Video cell already links the whole MP4). A render stored before thumbnails existed falls back to
            // the clip, then to the video. Signed for 7 days (the longest a V4 signed URL lives); every sync signs anew.
            var video = StageJson.FromElement<RenderOutput>(renderJson);
            var key = video.ThumbnailBlobKey ?? video.PreviewBlobKey ?? video.VideoBlobKey;
            var url = await blobs.GetReadUrlAsync(key, TimeSpan.FromDays(7), cancellationToken);
            outputs[SheetContract.Preview] = VideoCell(url.ToString());
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
    /// The Stage cell: the stage's word, with its percent done while a long stage reports one ("render 45%"), or for a
    /// scheduled video when it goes live ("live 2026-12-08 17:00 UTC (in 20 h)").
    /// </summary>
    public async Task<string> StageCellAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        int? percent = null;
        if (job is { IsTerminal: false, Stage: { } stage } && job.Status == JobStatus.ForStage(stage))
        {
            percent = await store.GetStageProgressAsync(job.Id, stage, job.Generation, cancellationToken);
        }
        return StageText(job, percent, time.GetUtcNow());
    }

    /// <summary>The Stage cell for <paramref name="job"/> with <paramref name="percent"/> of its stage done, at <paramref name="now"/>.</summary>
    public static string StageText(Job job, int? percent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (JobStatus.AsOf(job, now) == JobStatus.Scheduled && job.Request.PublishAt is { } at)
        {
            return $"live {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({Until(at - now)})";
        }
        var word = job.Stage?.Wire() ?? "";
        return percent is { } done && word.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"{word} {done}%") : word;
    }

    /// <summary>"in 45 min", "in 20 h", "in 3 days": the time left, as a person says it.</summary>
    public static string Until(TimeSpan left)
    {
        var culture = CultureInfo.InvariantCulture;
        return left.TotalMinutes < 60 ? string.Create(culture, $"in {Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min")
            : left.TotalHours < 48 ? string.Create(culture, $"in {(int)Math.Round(left.TotalHours)} h")
            : string.Create(culture, $"in {(int)Math.Round(left.TotalDays)} days");
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

    /// <summary>Now, on the clock the cells are computed with (scheduled turns published on it).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The Updated cell's value for now: ISO 8601 in UTC, which sheet formulas can parse.</summary>
    public string UpdatedNow() => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A local file reads better as a path than as a file:// URL.
    private static string VideoCell(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : url;
}
