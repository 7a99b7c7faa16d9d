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
/// the next one. A further language's job of a Languages row (<see cref="VideoRequest.VariantOf"/>) writes into the row
/// of the first language's job, found by that job's Job ID, and only its own "(language)" columns: Job ID (es),
/// Status (es), Video (es), Error (es) (<see cref="SheetContract.LanguageOutputColumns"/>), and Updated.
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
            var row = RowLocator.ByJobId(job.Request.VariantOf ?? job.Id);
            var result = await sheets.Open(job.SheetId).WriteAsync([new RowWrite(row, outputs)], cancellationToken);
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
        var now = time.GetUtcNow();
        var events = await store.ListEventsAsync(job.Id, cancellationToken);
        var publish = await store.GetLatestCompletedAsync(job.Id, StageName.Publish, job.Generation, cancellationToken);
        var published = publish?.Output is { } publishJson && publish.CompensatedAt is null ? StageJson.FromElement<PublishOutput>(publishJson) : null;
        var status = StatusOf(job, published, events, now);
        if (job.Request.VariantOf is not null)
        {
            // A further language writes only its LanguageOutputColumns: the Stage, Cost and Preview reads (a signed URL
            // among them) would be thrown away on every sync.
            var shown = (published?.Videos ?? []).FirstOrDefault();
            return LanguageOutputs(new Dictionary<string, string?>
            {
                [SheetContract.JobId] = job.Id.ToString(),
                [SheetContract.Status] = status,
                [SheetContract.Video] = shown is null ? "" : VideoCell(shown.Url),
                [SheetContract.Error] = ErrorCell(job, events, publish),
                [SheetContract.Updated] = UpdatedNow(),
            }, job.Request.Language);
        }
        var outputs = new Dictionary<string, string?>
        {
            [SheetContract.JobId] = job.Id.ToString(),
            [SheetContract.Status] = status,
            [SheetContract.Stage] = status == JobStatus.Scheduled && job.Request.PublishAt is { } at ? LiveText(at, now)
                // Scheduled by the clock, but the platform put it out at once (inside its lead time): no go-live time.
                : JobStatus.AsOf(job, now) == JobStatus.Scheduled ? job.Stage?.Wire() ?? ""
                : await StageCellAsync(job, cancellationToken),
            [SheetContract.Error] = ErrorCell(job, events, publish),
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

        // Published URL is the first platform's link; a row on both platforms also gets a cell per platform (made on demand).
        var videos = published?.Videos ?? [];
        var first = videos.FirstOrDefault();
        outputs[SheetContract.PublishedUrl] = first?.Url ?? "";
        outputs[SheetContract.Video] = first is null ? "" : VideoCell(first.Url);
        var several = videos.Select(v => v.Platform).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1;
        foreach (var (platform, column) in PlatformUrlColumns)
        {
            var video = videos.FirstOrDefault(v => string.Equals(v.Platform, platform, StringComparison.OrdinalIgnoreCase));
            outputs[column] = several && video is not null ? video.Url : "";
        }
        return outputs;
    }

    /// <summary>A further language's cells: its <see cref="SheetContract.LanguageOutputColumns"/> under their "(language)" names, and the row's Updated.</summary>
    private static Dictionary<string, string?> LanguageOutputs(Dictionary<string, string?> outputs, string language)
    {
        var cells = SheetContract.LanguageOutputColumns.ToDictionary(c => SheetContract.ForLanguage(c, language), c => outputs[c]);
        cells[SheetContract.Updated] = outputs[SheetContract.Updated];
        return cells;
    }

    /// <summary>The per-platform Published URL columns, by the platform name a <see cref="PublishedVideo"/> carries.</summary>
    public static IReadOnlyList<(string Platform, string Column)> PlatformUrlColumns { get; } =
        [("youtube", SheetContract.PublishedUrlYouTube), ("tiktok", SheetContract.PublishedUrlTikTok)];

    /// <summary>
    /// The Status cell: <see cref="JobStatus.AsOf"/>, except that a job "scheduled" by its Publish At whose every video
    /// the platform put out at once (a Publish At inside YouTube's lead time) is published, and that an approved job
    /// waiting for its Publish At because its platform cannot schedule (TikTok) reads scheduled while it waits.
    /// </summary>
    public static string StatusOf(Job job, PublishOutput? published, IReadOnlyList<JobEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        var status = JobStatus.AsOf(job, now);
        if (status == JobStatus.Scheduled && published is { Videos.Count: > 0 } && published.Videos.All(v => v.LiveAt is { } live && live <= now))
        {
            return JobStatus.Published;
        }
        if (job.Status == JobStatus.Approved && published is null && job.Request.PublishAt is { } at && at > now && WaitingForPublishAt(events))
        {
            return JobStatus.Scheduled;
        }
        return status;
    }

    /// <summary>Whether the publish stage's latest attempt was deferred to wait for the row's Publish At (PublishStage.WaitingEventKind).</summary>
    private static bool WaitingForPublishAt(IReadOnlyList<JobEvent> events)
    {
        var last = events.LastOrDefault(e => e.Stage == StageName.Publish && e.Kind is "started" or PublishStage.WaitingEventKind);
        return last?.Kind == PublishStage.WaitingEventKind;
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
            return LiveText(at, now);
        }
        var word = job.Stage?.Wire() ?? "";
        return percent is { } done && word.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"{word} {done}%") : word;
    }

    private static string LiveText(DateTimeOffset at, DateTimeOffset now) =>
        $"live {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({Until(at - now)})";

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
    /// <remarks>
    /// The publish stage's notes are its deferrals ("the upload goes at ...", "reconnect TikTok") until it publishes, then
    /// what it did less than asked: until it publishes only the latest deferral shows, and once it has, only the notes of
    /// the attempt that published (and of the take-down after), so a deferral does not outlive the wait it announced.
    /// </remarks>
    private static string ErrorCell(Job job, IReadOnlyList<JobEvent> events, StageRun? publish)
    {
        var latestDeferral = publish is null ? events.LastOrDefault(e => e.Kind == StageContext.NoteEventKind && e.Stage == StageName.Publish) : null;
        var notes = events
            .Where(e => e.Kind == StageContext.NoteEventKind)
            .Where(e => e.Stage != StageName.Publish || (publish is null ? e == latestDeferral : e.At >= publish.StartedAt))
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
