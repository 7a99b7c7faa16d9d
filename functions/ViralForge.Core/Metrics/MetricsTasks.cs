using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Metrics;

/// <summary>The body of a metrics task: which job's published videos to read, which read it is, and when they went public.</summary>
public sealed record MetricsMessage(Guid JobId, int Generation, string Due, DateTimeOffset PublicAt)
{
    public const string ExpectedShape = "expected {\"jobId\": \"<uuid>\", \"generation\": <1 or more>, \"due\": \"1h|24h|7d\", \"publicAt\": \"<RFC 3339>\"}";

    /// <summary>Reads a task body; a body of another shape gives no message but the reason, for the endpoint's 400.</summary>
    public static async Task<(MetricsMessage? Message, string? Problem)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        MetricsMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync(body, MetricsJson.Default.MetricsMessage, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
        return message is null || message.JobId == Guid.Empty || message.Generation < 1 || MetricsDue.Parse(message.Due) is null
            ? (null, ExpectedShape)
            : (message, null);
    }
}

/// <summary>
/// The analytics loop: once a video is public (published now, or at its Publish At), reads of its views, likes and watch
/// figures at +1 h, +24 h and +7 d, each a task on <see cref="QueueName"/> that the publish stage's service handles at
/// <see cref="Path"/>. Each read goes into video_metrics and into the row's Views, Likes, Avg View % and Metrics Updated
/// cells (one row write per read).
/// </summary>
/// <remarks>
/// A read that cannot be made now (429, 5xx, timeout, malformed answer) answers "retry later" to the queue; after the
/// queue's attempts it is stored as failed and the task ends. A refused read (a revoked grant, a deleted video) is stored
/// as failed at once. Neither touches the job: its status stays what publishing made it. The API answers are recorded in
/// the cost ledger by the readers under the task's work, so a redelivery after a read reuses it instead of asking again.
/// </remarks>
public sealed class MetricsTasks(
    ITaskQueue queue,
    IJobStore store,
    IVideoMetricsStore metrics,
    IEnumerable<IVideoStatsReader> readers,
    ISheetRegistry sheets,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<MetricsTasks> log)
{
    /// <summary>vf-&lt;stage&gt;-&lt;purpose&gt;, so Cloud Tasks sends it to the publish stage's service.</summary>
    public const string QueueName = "vf-publish-metrics";

    /// <summary>
    /// The queue's retries unless Queue:Queues:vf-publish-metrics says otherwise: from 1 min, doubling 6 times, then every
    /// hour; 12 attempts span about six hours (363 min). The stage queues' default (5 attempts within about two minutes)
    /// lost a day's read to a ten-minute Analytics outage; a read is worth waiting for, and nothing waits on it.
    /// </summary>
    public static QueueRetryOptions DefaultRetry() => new()
    {
        MaxAttempts = 12,
        MinBackoff = TimeSpan.FromMinutes(1),
        MaxBackoff = TimeSpan.FromHours(1),
        MaxDoublings = 6,
    };

    public const string Path = "/metrics/read";

    /// <summary>The task's name: a hash of (job, metrics-&lt;due&gt;, generation), so a redelivered publish schedules nothing more.</summary>
    public static string TaskName(Guid jobId, int generation, MetricsDue due)
    {
        ArgumentNullException.ThrowIfNull(due);
        return StageTasks.TaskName(jobId, $"metrics-{due.Label}", generation);
    }

    /// <summary>The ledger call of one platform's read: metrics-24h-youtube.</summary>
    public static string CallName(string due, string platform) => $"metrics-{due}-{platform}";

    /// <summary>
    /// Queues the three reads of the published videos a reader exists for, from when they go public: <paramref name="publishAt"/>
    /// when it is ahead, now otherwise. Returns the times they are due (none when no video can be read).
    /// </summary>
    public async Task<IReadOnlyList<DateTimeOffset>> ScheduleAsync(Guid jobId, int generation, IReadOnlyList<PublishedVideo> videos, DateTimeOffset? publishAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(videos);
        if (!videos.Any(Readable))
        {
            return [];
        }
        var now = time.GetUtcNow();
        var publicAt = publishAt is { } at && at > now ? at : now;
        var times = new List<DateTimeOffset>(MetricsDue.All.Count);
        foreach (var due in MetricsDue.All)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new MetricsMessage(jobId, generation, due.Label, publicAt), MetricsJson.Default.MetricsMessage);
            var when = publicAt + due.After;
            await queue.EnqueueAsync(new QueueTask(QueueName, TaskName(jobId, generation, due), Path, body, ScheduleTime: when), cancellationToken);
            times.Add(when);
        }
        log.MetricsScheduled(jobId, publicAt);
        return times;
    }

    /// <summary>Makes one scheduled read of every published video of the job, stores it and writes the row's cells.</summary>
    public async Task<StageOutcome> ReadAsync(MetricsMessage message, DeliveryInfo delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(delivery);
        var due = MetricsDue.Parse(message.Due) ?? throw new ArgumentException($"No metrics read is called '{message.Due}'.", nameof(message));
        var job = await store.GetAsync(message.JobId, cancellationToken);
        if (job is null)
        {
            return new StageOutcome.Skipped($"job {message.JobId} does not exist");
        }
        var publish = await store.GetLatestCompletedAsync(job.Id, StageName.Publish, message.Generation, cancellationToken);
        if (publish?.Output is not { } output || publish.CompensatedAt is not null || publish.Generation != message.Generation)
        {
            return new StageOutcome.Skipped("the video is not published (or was taken down): nothing to read");
        }
        var videos = StageJson.FromElement<PublishOutput>(output).Videos.Where(Readable).ToList();
        var hookKind = await HookKindAsync(job, message.Generation, cancellationToken);
        var stored = (await metrics.ListAsync(job.Id, cancellationToken)).Where(r => r.Due == due.Label).ToList();
        var maxAttempts = options.Value.Queue.RetryFor(QueueName).MaxAttempts;
        var lastAttempt = delivery.RetryCount + 1 >= maxAttempts;
        var retrying = new List<string>();
        var read = 0;

        foreach (var video in videos)
        {
            if (stored.Any(r => r.Platform == video.Platform && r.Status is MetricsReadStatus.Read or MetricsReadStatus.Failed))
            {
                continue; // read (or given up) by an earlier delivery
            }
            var reader = readers.First(r => r.Platform == video.Platform);
            var work = new PaidWork(job.Id, StageName.Publish, message.Generation, CallName(due.Label, video.Platform));
            string error;
            bool transient;
            try
            {
                var stats = await reader.ReadAsync(new MetricsReadRequest(job.Id, video, message.PublicAt, work), cancellationToken);
                await metrics.RecordReadAsync(
                    new VideoMetricsRow(job.Id, message.Generation, video.Platform, video.ExternalId!, due.Label, MetricsReadStatus.Read, 0, hookKind,
                        time.GetUtcNow(), stats, null),
                    cancellationToken);
                read++;
                continue;
            }
            catch (MetricsReadException ex)
            {
                (error, transient) = (ex.Message, ex.Transient);
            }
            catch (ReconnectRequiredException ex)
            {
                (error, transient) = (ex.Message, false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or JsonException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                (error, transient) = ($"{video.Platform} could not be read: {ex.Message}", true);
            }
            // The table's count bounds the attempts even when the queue's own count restarts (a task made again).
            var before = stored.FirstOrDefault(r => r.Platform == video.Platform)?.Attempts ?? 0;
            var final = !transient || lastAttempt || before + 1 >= maxAttempts;
            await metrics.RecordFailureAsync(job.Id, message.Generation, video.Platform, video.ExternalId!, due.Label, hookKind, error,
                final, time.GetUtcNow(), cancellationToken);
            log.MetricsReadFailed(job.Id, video.Platform, due.Label, final ? "given up" : "tried again", error);
            if (!final)
            {
                retrying.Add($"{video.Platform}: {error}");
            }
        }

        var written = await WriteRowAsync(job, due, cancellationToken);
        if (retrying.Count > 0)
        {
            return new StageOutcome.RetryLater($"the {due.Label} read is tried again ({string.Join("; ", retrying)})");
        }
        if (!written && read > 0 && !lastAttempt)
        {
            return new StageOutcome.RetryLater($"the {due.Label} read is stored; the row could not be written now");
        }
        return new StageOutcome.Completed($"{due.Label} read: {read} video(s) read now{(written ? ", row written" : "")}");
    }

    /// <summary>
    /// Writes the row's metrics cells from the stored reads of <paramref name="due"/>; false when the sheet could not be
    /// reached (the retry writes them from the table, without reading the platforms again).
    /// </summary>
    private async Task<bool> WriteRowAsync(Job job, MetricsDue due, CancellationToken cancellationToken)
    {
        var reads = (await metrics.ListAsync(job.Id, cancellationToken)).Where(r => r.Due == due.Label && r.Status == MetricsReadStatus.Read).ToList();
        if (reads.Count == 0)
        {
            return true; // nothing to show
        }
        try
        {
            var cells = MetricsCells.For(reads, reads.Max(r => r.At));
            var result = await sheets.Open(job.SheetId).WriteAsync([new RowWrite(RowLocator.ByJobId(job.Id), cells)], cancellationToken);
            if (result.NotFound.Count > 0)
            {
                log.MetricsRowGone(job.Id, job.SheetId);
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.MetricsRowNotWritten(ex, job.Id, job.SheetId);
            return false;
        }
    }

    /// <summary>The kind of the script's hook (HookKinds), which the own-performers signal compares; null when there is no script.</summary>
    private async Task<string?> HookKindAsync(Job job, int generation, CancellationToken cancellationToken)
    {
        var script = await store.GetLatestCompletedAsync(job.Id, StageName.Script, generation, cancellationToken);
        return script?.Output is { } output ? TrendAnalyzer.ClassifyHook(StageJson.FromElement<VideoScript>(output).Hook) : null;
    }

    private bool Readable(PublishedVideo video) => !string.IsNullOrEmpty(video.ExternalId) && readers.Any(r => r.Platform == video.Platform);
}

/// <summary>Source-generated JSON of the metrics task body.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MetricsMessage))]
[JsonSerializable(typeof(VideoStats))]
public sealed partial class MetricsJson : JsonSerializerContext;

/// <summary>The analytics loop's log messages (event ids 1170-1189).</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 1170, Level = LogLevel.Information, Message = "Job {JobId}: metrics reads scheduled at +1 h, +24 h and +7 d from {PublicAt}")]
    public static partial void MetricsScheduled(this ILogger logger, Guid jobId, DateTimeOffset publicAt);

    [LoggerMessage(EventId = 1171, Level = LogLevel.Warning, Message = "Job {JobId}: the {Due} {Platform} metrics read failed ({Next}): {Error}")]
    public static partial void MetricsReadFailed(this ILogger logger, Guid jobId, string platform, string due, string next, string error);

    [LoggerMessage(EventId = 1172, Level = LogLevel.Warning, Message = "Row of job {JobId} is no longer in sheet {SheetId}; metrics not written")]
    public static partial void MetricsRowGone(this ILogger logger, Guid jobId, string sheetId);

    [LoggerMessage(EventId = 1173, Level = LogLevel.Warning, Message = "Could not write the metrics of job {JobId} to sheet {SheetId}")]
    public static partial void MetricsRowNotWritten(this ILogger logger, Exception exception, Guid jobId, string sheetId);
}
