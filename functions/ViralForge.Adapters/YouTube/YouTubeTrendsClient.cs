using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// YouTube Data API v3 trend reads with an API key (API_PROVIDERS.md 6a): a region's mostPopular chart per category
/// (videos.list, 1 unit a page), and a topic search (search.list, 100 units) followed by videos.list for the results'
/// statistics. Every request is recorded in the cost ledger as YouTube quota units before it is sent (YouTube charges
/// even a refused one), under the job whose trends needed it or, for the scheduled refresh, the empty job id; and no
/// request is sent that would take today's units (uploads' included) past the daily quota less the upload reserve.
/// The key travels in the X-Goog-Api-Key header, so it is in no URL, log line or error message.
/// </summary>
public sealed class YouTubeTrendsClient(
    IHttpClientFactory clients,
    IOptions<YouTubeTrendsOptions> options,
    ICostLedger ledger,
    TimeProvider time,
    ILogger<YouTubeTrendsClient>? log = null)
{
    /// <summary>The named HttpClient of the trend reads.</summary>
    public const string HttpClientName = "youtube-trends";

    /// <summary>Google's header for an API key.</summary>
    public const string ApiKeyHeader = "X-Goog-Api-Key";

    /// <summary>The ledger call names: each request is its own record (chart-…, search-…, videos-… with a unique suffix).</summary>
    public const string ChartCall = "youtube-trends-chart";

    public const string SearchCall = "youtube-trends-search";

    public const string VideosCall = "youtube-trends-videos";

    /// <summary>Most results a videos.list page or an id list takes.</summary>
    public const int MaxPage = 50;

    private readonly YouTubeTrendsOptions settings = options.Value;
    private readonly TimeZoneInfo quotaZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.QuotaTimeZone);
    private readonly ILogger log = log ?? NullLogger<YouTubeTrendsClient>.Instance;

    /// <summary>
    /// The region's mostPopular chart of <paramref name="category"/> ("0": every category), YouTube:TrendPages pages of
    /// 50 following nextPageToken. A chart YouTube does not keep for the region (videoChartNotFound) is an empty answer
    /// with a note, so it is stored and not asked again until it is stale.
    /// </summary>
    public async Task<TakenTrends> MostPopularAsync(string region, string category, PaidWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var videos = new List<TrendVideo>();
        var units = 0;
        string? pageToken = null;
        for (var page = 0; page < settings.TrendPages; page++)
        {
            var url = new StringBuilder("videos?part=snippet,statistics,contentDetails&chart=mostPopular")
                .Append("&regionCode=").Append(Uri.EscapeDataString(region))
                .Append(category == "0" ? "" : "&videoCategoryId=" + Uri.EscapeDataString(category))
                .Append(CultureInfo.InvariantCulture, $"&maxResults={MaxPage}")
                .Append(pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken))
                .ToString();
            var answer = await GetAsync(url, "videos.list", ChartCall, settings.VideosListUnits, work, cancellationToken);
            units += answer.Units;
            if (answer.Error is { } error)
            {
                if (error.Reasons.Contains("videoChartNotFound"))
                {
                    return new TakenTrends(videos, units, $"YouTube has no mostPopular chart of category {category} in {region}");
                }
                throw Failure(answer.Status, error, "videos.list");
            }
            var list = Parse(answer.Body, YouTubeJsonContext.Default.VideoListResponse, "videos.list");
            videos.AddRange(list.Items.Where(v => v.Snippet is not null).Select(v => v.ToTrendVideo()));
            pageToken = list.NextPageToken;
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }
        }
        return new TakenTrends(Distinct(videos), units);
    }

    /// <summary>
    /// The most viewed videos about <paramref name="query"/> published in the last YouTube:SearchWindow (search.list,
    /// type=video, order=viewCount), then their snippets, statistics and durations (videos.list?id=…), most viewed first.
    /// <paramref name="shortForm"/> asks for videoDuration=short (under four minutes).
    /// </summary>
    public async Task<TakenTrends> SearchAsync(string query, string region, bool shortForm, PaidWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(work);
        var publishedAfter = (time.GetUtcNow() - settings.SearchWindow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var url = new StringBuilder("search?part=snippet&type=video&order=viewCount")
            .Append("&q=").Append(Uri.EscapeDataString(query))
            .Append("&regionCode=").Append(Uri.EscapeDataString(region))
            .Append("&publishedAfter=").Append(Uri.EscapeDataString(publishedAfter))
            .Append(shortForm ? "&videoDuration=short" : "")
            .Append(CultureInfo.InvariantCulture, $"&maxResults={Math.Min(settings.SearchResults, MaxPage)}")
            .ToString();
        var answer = await GetAsync(url, "search.list", SearchCall, settings.SearchUnits, work, cancellationToken);
        var units = answer.Units;
        if (answer.Error is { } error)
        {
            throw Failure(answer.Status, error, "search.list");
        }
        var found = Parse(answer.Body, YouTubeTrendsJson.Default.YouTubeSearchListResponse, "search.list");
        var ids = found.Items
            .Where(i => i.Id.Kind == "youtube#video" && !string.IsNullOrEmpty(i.Id.VideoId))
            .Select(i => i.Id.VideoId!)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxPage)
            .ToList();
        if (ids.Count == 0)
        {
            return new TakenTrends([], units, $"YouTube found no video about '{query}' in {region} in the last {settings.SearchWindow.TotalDays:0} days");
        }
        var statistics = await GetAsync(
            "videos?part=snippet,statistics,contentDetails&id=" + string.Join(',', ids.Select(Uri.EscapeDataString)) + $"&maxResults={MaxPage}",
            "videos.list", VideosCall, settings.VideosListUnits, work, cancellationToken);
        units += statistics.Units;
        if (statistics.Error is { } videosError)
        {
            throw Failure(statistics.Status, videosError, "videos.list");
        }
        var list = Parse(statistics.Body, YouTubeJsonContext.Default.VideoListResponse, "videos.list");
        // A video deleted or made private between the search and the lookup is simply missing from the list.
        var videos = list.Items.Where(v => v.Snippet is not null).Select(v => v.ToTrendVideo()).OrderByDescending(v => v.Views).ToList();
        return new TakenTrends(Distinct(videos), units);
    }

    /// <summary>
    /// One GET, repeated on 429, 5xx and no answer (a read changes nothing; each repeat is charged and recorded). Answers
    /// the body of a 2xx, or the parsed error of any other status for the caller to classify.
    /// </summary>
    private async Task<Answer> GetAsync(string relativeUrl, string method, string callName, int units, PaidWork work, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        var baseUrl = settings.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/";
        var spent = 0;
        for (var attempt = 0; ; attempt++)
        {
            await SpendAsync(work, callName, units, method, cancellationToken);
            spent += units;
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl + relativeUrl));
                request.Headers.Add(ApiKeyHeader, settings.ApiKey);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.Timeout);
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
            {
                var why = e is OperationCanceledException or Polly.Timeout.TimeoutRejectedException
                    ? string.Create(CultureInfo.InvariantCulture, $"no answer within {settings.Timeout.TotalSeconds:0.###} s")
                    : "the connection failed";
                if (attempt >= settings.MaxRetries)
                {
                    throw new TransientStageException($"YouTube {method}: {why}, {attempt + 1} times; the stage is tried again later.", inner: e is HttpRequestException ? null : e);
                }
                log.TrendReadRetried(method, why, attempt + 1);
                await Task.Delay(Backoff(attempt, null), time, cancellationToken);
                continue;
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new Answer(status, body, null, spent);
                }
                var error = ReadError(status, body);
                var retryable = status == 429 || status >= 500 || error.Reasons.Contains("rateLimitExceeded") || error.Reasons.Contains("userRateLimitExceeded");
                if (!retryable || attempt >= settings.MaxRetries)
                {
                    return new Answer(status, body, error, spent);
                }
                log.TrendReadRetried(method, $"{status} {string.Join(",", error.Reasons)}".TrimEnd(), attempt + 1);
                await Task.Delay(Backoff(attempt, response.Headers.RetryAfter?.Delta), time, cancellationToken);
            }
        }
    }

    /// <summary>Checks today's units and records this request's before it is sent.</summary>
    private async Task SpendAsync(PaidWork work, string callName, int units, string method, CancellationToken cancellationToken)
    {
        var (dayStart, nextDay) = QuotaDay.Of(time.GetUtcNow(), quotaZone);
        var used = await ledger.UnitsSinceAsync(YouTubePublisher.Provider, YouTubePublisher.QuotaUnits, dayStart, cancellationToken);
        var allowed = settings.DailyQuotaUnits - settings.UploadReserveUnits;
        if (used + units > allowed)
        {
            throw new YouTubeTrendsQuotaException(
                $"YouTube's daily quota is used up for trend reads ({used:0} of {settings.DailyQuotaUnits} units used today, Pacific time, {settings.UploadReserveUnits} kept for uploads); {method} waits until the quota resets",
                nextDay);
        }
        await ledger.RecordAsync(
            new PaidCall(work.For($"{callName}-{Guid.NewGuid():N}"), YouTubePublisher.Provider, units, YouTubePublisher.QuotaUnits, 0m, settings.QuotaCostsAsOf),
            cancellationToken);
    }

    private TimeSpan Backoff(int attempt, TimeSpan? asked)
    {
        var wait = asked ?? settings.RetryBaseDelay * Math.Pow(2, attempt);
        return wait > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : wait;
    }

    /// <summary>The exception for a refused read that is not the quota's or a chart's absence.</summary>
    private Exception Failure(int status, ApiError error, string method)
    {
        if (error.Reasons.Contains("quotaExceeded") || error.Reasons.Contains("dailyLimitExceeded"))
        {
            var (_, nextDay) = QuotaDay.Of(time.GetUtcNow(), quotaZone);
            return new YouTubeTrendsQuotaException($"YouTube answered {method} with {status} quotaExceeded: the project's daily quota is used up until midnight Pacific time", nextDay);
        }
        if (error.Reasons.Contains("keyInvalid") || error.Reasons.Contains("API_KEY_INVALID") || error.Reasons.Contains("keyExpired")
            || (status == 400 && error.Message.Contains("API key not valid", StringComparison.OrdinalIgnoreCase)))
        {
            return new PermanentStageException(
                $"YouTube refused the key in {YouTubeTrendsOptions.ApiKeySetting} ({status} {string.Join(",", error.Reasons)}); set it to a valid YouTube Data API v3 key, or remove it to use the offline trends sample.");
        }
        if (error.Reasons.Contains("accessNotConfigured") || error.Reasons.Contains("SERVICE_DISABLED"))
        {
            return new PermanentStageException(
                $"The YouTube Data API v3 is not enabled for the project of the key in {YouTubeTrendsOptions.ApiKeySetting} ({status} {string.Join(",", error.Reasons)}); enable it in the Cloud console (APIs & Services).");
        }
        if (error.Reasons.Contains("ipRefererBlocked") || error.Reasons.Contains("API_KEY_SERVICE_BLOCKED") || error.Reasons.Contains("forbidden"))
        {
            return new PermanentStageException(
                $"YouTube refused {method} for the key in {YouTubeTrendsOptions.ApiKeySetting} ({status} {string.Join(",", error.Reasons)}: {error.Message}); allow the YouTube Data API v3 and this host in the key's restrictions.");
        }
        var text = $"YouTube answered {method} with {status} {string.Join(",", error.Reasons)}: {error.Message}".Replace(settings.ApiKey, "***", StringComparison.Ordinal);
        return status is >= 400 and < 500 and not 408 and not 429
            ? new PermanentStageException(text)
            : new TransientStageException(text);
    }

    /// <summary>Google's error envelope, or what can be said of a body that is not one (an HTML proxy page).</summary>
    private ApiError ReadError(int status, string body)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, YouTubeTrendsJson.Default.YouTubeApiErrorEnvelope)?.Error is { } error)
            {
                var reasons = (error.Errors ?? []).Select(e => e.Reason).Concat((error.Details ?? []).Select(d => d.Reason)).OfType<string>().ToHashSet(StringComparer.Ordinal);
                return new ApiError(reasons, Visuals.StockHttp.Excerpt(error.Message ?? ""));
            }
        }
        catch (JsonException)
        {
            // Not Google's envelope: the status and an excerpt of the body say what there is to say.
        }
        return new ApiError([], Visuals.StockHttp.Excerpt(body.Length == 0 ? $"HTTP {status} with no body" : body));
    }

    /// <summary>Parses a 2xx body; a body that is not the documented shape is a clear error naming the method, not an empty list.</summary>
    private static T Parse<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string method)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new InvalidDataException($"YouTube answered {method} with JSON null instead of a list.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"YouTube answered {method} with a body that is not its documented JSON ({e.Message}): {Visuals.StockHttp.Excerpt(body)}", e);
        }
        catch (FormatException e)
        {
            // A duration that is not ISO 8601.
            throw new InvalidDataException($"YouTube answered {method} with a value that could not be read: {e.Message}", e);
        }
    }

    private static List<TrendVideo> Distinct(IEnumerable<TrendVideo> videos) =>
        videos.DistinctBy(v => v.Id, StringComparer.Ordinal).ToList();

    private sealed record ApiError(HashSet<string> Reasons, string Message);

    private sealed record Answer(int Status, string Body, ApiError? Error, int Units);
}

/// <summary>
/// YouTube's daily quota is spent for trend reads (by the ledger's count, or YouTube said quotaExceeded): the provider
/// falls back to the newest stored snapshot, and with none defers the stage to <see cref="Until"/>.
/// </summary>
public sealed class YouTubeTrendsQuotaException(string message, DateTimeOffset until) : Exception(message)
{
    public DateTimeOffset Until { get; } = until;
}
