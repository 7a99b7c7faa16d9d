using System.Globalization;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Metrics;

/// <summary>One of the scheduled reads of a published video: its label (1h, 24h, 7d) and how long after going public it is due.</summary>
public sealed record MetricsDue(string Label, TimeSpan After)
{
    public static MetricsDue OneHour { get; } = new("1h", TimeSpan.FromHours(1));

    public static MetricsDue OneDay { get; } = new("24h", TimeSpan.FromHours(24));

    public static MetricsDue OneWeek { get; } = new("7d", TimeSpan.FromDays(7));

    /// <summary>Every read, in the order they fall due.</summary>
    public static IReadOnlyList<MetricsDue> All { get; } = [OneHour, OneDay, OneWeek];

    public static MetricsDue? Parse(string? label) => All.FirstOrDefault(d => string.Equals(d.Label, label, StringComparison.Ordinal));
}

/// <summary>
/// What a platform said about a video. Each figure is null when the platform does not report it (TikTok has no watch
/// time; YouTube Analytics has no data for a video's first hours and the Data API's counts then stand in).
/// </summary>
/// <param name="AverageViewDurationSeconds">YouTube Analytics' averageViewDuration, in seconds.</param>
/// <param name="AverageViewPercentage">YouTube Analytics' averageViewPercentage: the share of the video an average view watched, 0-100.</param>
public sealed record VideoStats(
    long? Views,
    long? Likes,
    long? Comments = null,
    long? Shares = null,
    double? EstimatedMinutesWatched = null,
    double? AverageViewDurationSeconds = null,
    double? AverageViewPercentage = null);

/// <summary>One read to make: the video, when it went public, and the paid work its API calls are recorded under.</summary>
/// <param name="Work">The ledger key of the read (the publish stage's generation, call metrics-&lt;due&gt;-&lt;platform&gt;): a stored answer is reused, never asked twice.</param>
public sealed record MetricsReadRequest(Guid JobId, PublishedVideo Video, DateTimeOffset PublicAt, PaidWork Work);

/// <summary>Reads one platform's figures for one of its videos, with the account token the video was published with.</summary>
public interface IVideoStatsReader
{
    /// <summary>youtube or tiktok, as <see cref="PublishedVideo.Platform"/> names it.</summary>
    string Platform { get; }

    /// <summary>
    /// The video's figures now. Throws <see cref="MetricsReadException"/> when the platform cannot answer (transient: a
    /// 429, a 5xx, a timeout, a malformed answer; or for good: refused, the video gone), and
    /// <see cref="ReconnectRequiredException"/> when the account's grant is revoked.
    /// </summary>
    Task<VideoStats> ReadAsync(MetricsReadRequest request, CancellationToken cancellationToken);
}

/// <summary>A read that could not be made: <see cref="Transient"/> ones are tried again by the queue, a bounded number of times.</summary>
public sealed class MetricsReadException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}

/// <summary>The state of one scheduled read as video_metrics keeps it.</summary>
public static class MetricsReadStatus
{
    public const string Read = "read";

    /// <summary>The last attempt failed and the queue tries again.</summary>
    public const string Retrying = "retrying";

    /// <summary>Given up: the attempts ran out, or the platform refused for good.</summary>
    public const string Failed = "failed";
}

/// <summary>One row of video_metrics.</summary>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="At">When it was read, or when the last attempt failed.</param>
public sealed record VideoMetricsRow(
    Guid JobId,
    int Generation,
    string Platform,
    string ExternalId,
    string Due,
    string Status,
    int Attempts,
    string? HookKind,
    DateTimeOffset At,
    VideoStats? Stats,
    string? Error);

/// <summary>A video of one sheet with its latest read, for the own-performers signal.</summary>
public sealed record OwnVideo(Guid JobId, string Platform, string Due, string HookKind, double AverageViewPercentage, long? Views);

/// <summary>The video_metrics table (sql/012_video_metrics.sql).</summary>
public interface IVideoMetricsStore
{
    /// <summary>Stores a read (replacing a retrying row of the same read).</summary>
    Task RecordReadAsync(VideoMetricsRow row, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed attempt of a read that is not stored as read: status retrying, or failed when
    /// <paramref name="final"/>. Returns the failed attempts so far, this one included.
    /// </summary>
    Task<int> RecordFailureAsync(Guid jobId, int generation, string platform, string externalId, string due, string? hookKind, string error, bool final,
        DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every read of a job, in the order they fell due.</summary>
    Task<IReadOnlyList<VideoMetricsRow>> ListAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The latest read with an average view percentage of each video of the sheet's jobs (the +7 d read over the +24 h one),
    /// only those with a hook kind; a job of <paramref name="excludeJobId"/> is left out.
    /// </summary>
    Task<IReadOnlyList<OwnVideo>> ListOwnVideosAsync(string sheetId, Guid? excludeJobId, CancellationToken cancellationToken);
}

/// <summary>The sheet cells of a read: Views, Likes, Avg View % and Metrics Updated.</summary>
public static class MetricsCells
{
    /// <summary>
    /// The cells for the reads of one due time across the video's platforms: views and likes added up, the average view
    /// percentage of the platforms that report one (YouTube), rounded to one decimal, as a plain number.
    /// </summary>
    public static Dictionary<string, string?> For(IReadOnlyList<VideoMetricsRow> reads, DateTimeOffset updated)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var stats = reads.Where(r => r.Stats is not null).Select(r => r.Stats!).ToList();
        var views = stats.Where(s => s.Views is not null).Select(s => s.Views!.Value).ToList();
        var likes = stats.Where(s => s.Likes is not null).Select(s => s.Likes!.Value).ToList();
        var percentages = stats.Where(s => s.AverageViewPercentage is not null).Select(s => s.AverageViewPercentage!.Value).ToList();
        var culture = CultureInfo.InvariantCulture;
        return new Dictionary<string, string?>
        {
            [Sheets.SheetContract.Views] = views.Count == 0 ? "" : views.Sum().ToString(culture),
            [Sheets.SheetContract.Likes] = likes.Count == 0 ? "" : likes.Sum().ToString(culture),
            [Sheets.SheetContract.AvgViewPercent] = percentages.Count == 0 ? "" : Math.Round(percentages.Average(), 1, MidpointRounding.AwayFromZero).ToString("0.0", culture),
            [Sheets.SheetContract.MetricsUpdated] = updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", culture),
        };
    }
}
