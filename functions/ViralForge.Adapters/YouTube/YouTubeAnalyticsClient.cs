using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// Reads a published YouTube video's figures with the channel's OAuth token: YouTube Analytics API v2 reports.query
/// (<c>GET /v2/reports?ids=channel==MINE&amp;metrics=views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,likes&amp;filters=video==ID</c>,
/// API_PROVIDERS.md §6d) from the day it went public to today, Pacific time as YouTube's days are. The Analytics API has
/// no rows for a video's first days, so the Data API's videos.list statistics (views, likes, comments) stand in then.
/// </summary>
/// <remarks>
/// Each call is recorded in the cost ledger under the read's work (reports.query as youtube-analytics quota units, the
/// statistics as youtube quota units, which the publisher's daily window counts) with the figures as its result, so a
/// redelivery returns them without asking again. 429, 5xx, a timeout, a quotaExceeded or a malformed answer is a
/// transient <see cref="MetricsReadException"/> (the queue tries again); another refusal is a lasting one; a 401 asks
/// for a fresh token once, then the grant is revoked (<see cref="ReconnectRequiredException"/>).
/// </remarks>
public sealed class YouTubeAnalyticsClient(
    IHttpClientFactory clients,
    IOptions<YouTubeAnalyticsOptions> options,
    IOptions<YouTubeOptions> youtube,
    IPlatformTokens tokens,
    ICostLedger ledger,
    TimeProvider time,
    ILogger<YouTubeAnalyticsClient> log) : IVideoStatsReader
{
    public const string HttpClientName = "youtube-analytics";

    /// <summary>The ledger's provider of reports.query calls: the Analytics API has a quota of its own.</summary>
    public const string Provider = "youtube-analytics";

    /// <summary>The metrics asked for, in this order.</summary>
    public const string Metrics = "views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,likes";

    /// <summary>The ledger call suffix of the Data API statistics read that stands in while the Analytics API has no rows.</summary>
    public const string StatisticsCallSuffix = "-statistics";

    /// <summary>The date of the unit costs in <see cref="YouTubeAnalyticsOptions"/>.</summary>
    public static readonly DateOnly UnitsAsOf = new(2026, 11, 1);

    private readonly TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById(youtube.Value.QuotaTimeZone);

    public string Platform => YouTubePublisher.Provider;

    public async Task<VideoStats> ReadAsync(MetricsReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var videoId = request.Video.ExternalId ?? throw new MetricsReadException("The YouTube video id was not recorded; there is nothing to read.", transient: false);
        if (await ledger.FindAsync(request.Work, cancellationToken) is { Result: { } stored }
            && stored.Deserialize(MetricsJson.Default.VideoStats) is { } done)
        {
            return done; // read by an earlier delivery
        }
        var settings = options.Value;
        var auth = new Access(tokens, request.Video.Channel);
        var start = Day(request.PublicAt);
        var end = Day(time.GetUtcNow());
        var reportUrl = new Uri(settings.BaseUrl,
            $"v2/reports?ids=channel%3D%3DMINE&startDate={start}&endDate={(string.CompareOrdinal(end, start) < 0 ? start : end)}"
            + $"&metrics={Metrics}&filters=video%3D%3D{Uri.EscapeDataString(videoId)}");
        var report = await GetAsync(auth, reportUrl, "reports.query", cancellationToken);
        var stats = ReadReport(report);
        if (stats is null)
        {
            // No rows yet (the Analytics API lags by days): the Data API's live counts.
            var statisticsUrl = new Uri($"{youtube.Value.ApiBaseUrl.AbsoluteUri.TrimEnd('/')}/videos?part=statistics&id={Uri.EscapeDataString(videoId)}");
            var answer = await GetAsync(auth, statisticsUrl, "videos.list", cancellationToken);
            stats = ReadStatistics(answer, videoId);
            await ledger.RecordAsync(new PaidCall(request.Work.For(request.Work.Call + StatisticsCallSuffix), YouTubePublisher.Provider, settings.StatisticsUnits,
                YouTubePublisher.QuotaUnits, 0m, UnitsAsOf, videoId, JsonSerializer.SerializeToElement(stats, MetricsJson.Default.VideoStats)), cancellationToken);
        }
        await ledger.RecordAsync(new PaidCall(request.Work, Provider, settings.ReportUnits, YouTubePublisher.QuotaUnits, 0m, UnitsAsOf, videoId,
            JsonSerializer.SerializeToElement(stats, MetricsJson.Default.VideoStats)), cancellationToken);
        log.AnalyticsRead(videoId, stats.Views ?? 0, stats.AverageViewPercentage is null ? "statistics" : "analytics");
        return stats;
    }

    /// <summary>The figures in a reports.query answer, or null when it has no rows (no data yet). Throws on a malformed answer.</summary>
    public static VideoStats? ReadReport(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("columnHeaders", out var headers) || headers.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("reports.query", "no columnHeaders");
        }
        if (!answer.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() == 0)
        {
            return null;
        }
        var row = rows[0];
        var names = headers.EnumerateArray().Select(h => h.TryGetProperty("name", out var n) ? n.GetString() : null).ToList();
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != names.Count)
        {
            throw Malformed("reports.query", "a row does not match its column headers");
        }
        double? Metric(string name)
        {
            var i = names.IndexOf(name);
            if (i < 0 || row[i].ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            return row[i].ValueKind == JsonValueKind.Number ? row[i].GetDouble() : throw Malformed("reports.query", $"{name} is not a number");
        }
        var views = Metric("views");
        var likes = Metric("likes");
        return new VideoStats(
            views is null ? null : (long)views.Value,
            likes is null ? null : (long)likes.Value,
            EstimatedMinutesWatched: Metric("estimatedMinutesWatched"),
            AverageViewDurationSeconds: Metric("averageViewDuration"),
            AverageViewPercentage: Metric("averageViewPercentage"));
    }

    /// <summary>The counts in a videos.list?part=statistics answer (strings of digits, each optional: a hidden like count is absent).</summary>
    public static VideoStats ReadStatistics(JsonElement answer, string videoId)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("videos.list", "no items");
        }
        if (items.GetArrayLength() == 0)
        {
            throw new MetricsReadException($"YouTube has no video {videoId} any more (deleted, or not on the connected channel).", transient: false);
        }
        if (!items[0].TryGetProperty("statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("videos.list", "no statistics");
        }
        long? Count(string name) =>
            !statistics.TryGetProperty(name, out var v) ? null
            : v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var m) ? m
            : throw Malformed("videos.list", $"{name} is not a count");
        return new VideoStats(Count("viewCount"), Count("likeCount"), Count("commentCount"));
    }

    private string Day(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<JsonElement> GetAsync(Access auth, Uri url, string call, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        try
        {
            using var response = await auth.SendAsync(http, url, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    return document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw Malformed(call, "the body is not JSON");
                }
            }
            throw Refused(call, response.StatusCode, text);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MetricsReadException($"YouTube {call} could not be reached ({ex.GetType().Name}); the read is tried again.", transient: true, ex);
        }
    }

    /// <summary>A refusal: 429, 5xx and the quota reasons pass; anything else will not change by asking again.</summary>
    private static MetricsReadException Refused(string call, HttpStatusCode status, string text)
    {
        string reason = "", message = "";
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                if (error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    && errors[0].TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
                {
                    reason = r.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // An error page rather than Google's JSON: the status says enough.
        }
        var code = (int)status;
        var transient = code is 408 or 429 or >= 500 || reason is "quotaExceeded" or "rateLimitExceeded" or "userRateLimitExceeded";
        var said = $"YouTube {call} answered {code}{(reason.Length > 0 ? " " + reason : "")}{(message.Length > 0 ? ": " + message : "")}";
        return new MetricsReadException(transient ? $"{said}; the read is tried again" : said, transient);
    }

    private static MetricsReadException Malformed(string call, string what) =>
        new($"YouTube {call} answered with a malformed body ({what}); the read is tried again.", transient: true);

    /// <summary>The channel's token, asked for once more (refreshed) when YouTube answers 401.</summary>
    private sealed class Access(IPlatformTokens tokens, string? channel)
    {
        private PlatformAccess? current;
        private bool refreshed;

        public async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
        {
            while (true)
            {
                current ??= await tokens.GetAccessAsync(YouTubePublisher.Provider, channel, cancellationToken);
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessToken);
                var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    return response;
                }
                response.Dispose();
                if (refreshed)
                {
                    throw new ReconnectRequiredException(YouTubePublisher.Provider, current.Account.Name, "YouTube refused a freshly refreshed access token");
                }
                tokens.Forget(current);
                current = null;
                refreshed = true;
            }
        }
    }
}

/// <summary>The analytics readers' log messages (event ids 3900-3909).</summary>
internal static partial class AnalyticsLog
{
    [LoggerMessage(EventId = 3900, Level = LogLevel.Information, Message = "Read YouTube video {VideoId}: {Views} views (from the {Source})")]
    public static partial void AnalyticsRead(this ILogger logger, string videoId, long views, string source);

    [LoggerMessage(EventId = 3901, Level = LogLevel.Information, Message = "Read TikTok video {VideoId}: {Views} views")]
    public static partial void TikTokVideoRead(this ILogger logger, string videoId, long views);
}
