using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.TikTok;

/// <summary>
/// Reads a published TikTok video's counts with the account's token: Display API
/// <c>POST /v2/video/query/?fields=id,view_count,like_count,comment_count,share_count</c> with
/// <c>{"filters":{"video_ids":["ID"]}}</c> (scope video.list; API_PROVIDERS.md §7). TikTok reports no watch time.
/// </summary>
/// <remarks>
/// The envelope's error.code decides, not only the HTTP status: ok; access_token_invalid gets one refreshed token, then
/// the grant is revoked; scope_not_authorized asks for `vf connect tiktok` again (the grant lacks video.list);
/// rate_limit_exceeded, internal_error, 429, 5xx, a timeout and a malformed body are transient (the queue tries again);
/// anything else, and a video missing from the answer, is a lasting refusal. The answer is recorded in the cost ledger
/// under the read's work, so a redelivery returns it without asking again.
/// </remarks>
public sealed class TikTokVideoQueryClient(
    IHttpClientFactory clients,
    IOptions<TikTokOptions> options,
    IPlatformTokens tokens,
    ICostLedger ledger,
    ILogger<TikTokVideoQueryClient> log) : IVideoStatsReader
{
    public const string HttpClientName = "tiktok-video-query";

    /// <summary>The ledger's provider and unit of these reads: they cost no money, and TikTok counts requests.</summary>
    public const string Provider = "tiktok-display";

    public const string UnitKind = "requests";

    public const string Fields = "id,view_count,like_count,comment_count,share_count";

    public string Platform => PlatformNames.TikTok;

    public async Task<VideoStats> ReadAsync(MetricsReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var videoId = request.Video.ExternalId ?? throw new MetricsReadException("The TikTok video id was not recorded; there is nothing to read.", transient: false);
        if (await ledger.FindAsync(request.Work, cancellationToken) is { Result: { } stored }
            && stored.Deserialize(MetricsJson.Default.VideoStats) is { } done)
        {
            return done;
        }
        var url = new Uri(options.Value.BaseUrl, $"v2/video/query/?fields={Fields}");
        var body = JsonSerializer.SerializeToUtf8Bytes(new VideoQueryRequest(new VideoQueryFilters([videoId])), TikTokVideoQueryJson.Default.VideoQueryRequest);
        var data = await QueryAsync(url, body, request.Video.Channel, cancellationToken);
        var stats = ReadVideo(data, videoId);
        await ledger.RecordAsync(new PaidCall(request.Work, Provider, 1, UnitKind, 0m, YouTubeAnalyticsClient.UnitsAsOf, videoId,
            JsonSerializer.SerializeToElement(stats, MetricsJson.Default.VideoStats)), cancellationToken);
        log.TikTokVideoRead(videoId, stats.Views ?? 0);
        return stats;
    }

    /// <summary>The counts of <paramref name="videoId"/> in a video/query answer's data.</summary>
    public static VideoStats ReadVideo(JsonElement data, string videoId)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("videos", out var videos) || videos.ValueKind != JsonValueKind.Array)
        {
            throw new MetricsReadException("TikTok video/query answered without data.videos; the read is tried again.", transient: true);
        }
        foreach (var video in videos.EnumerateArray())
        {
            if (video.ValueKind == JsonValueKind.Object && video.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == videoId)
            {
                long? Count(string name) =>
                    !video.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
                    : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0 ? n
                    : throw new MetricsReadException($"TikTok video/query answered a {name} that is not a count; the read is tried again.", transient: true);
                return new VideoStats(Count("view_count"), Count("like_count"), Count("comment_count"), Count("share_count"));
            }
        }
        throw new MetricsReadException($"TikTok has no video {videoId} for this account any more (deleted, or posted by another account).", transient: false);
    }

    private async Task<JsonElement> QueryAsync(Uri url, byte[] body, string? channel, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        var access = await tokens.GetAccessAsync(Platform, channel, cancellationToken);
        var refreshed = false;
        while (true)
        {
            HttpStatusCode status;
            string text;
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access.AccessToken);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
                using var response = await http.SendAsync(message, cancellationToken);
                status = response.StatusCode;
                text = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new MetricsReadException($"TikTok video/query could not be reached ({ex.GetType().Name}); the read is tried again.", transient: true, ex);
            }
            var (code, said, data) = ReadEnvelope(status, text);
            switch (code)
            {
                case "ok":
                    return data;
                case "access_token_invalid" when !refreshed:
                    tokens.Forget(access);
                    access = await tokens.GetAccessAsync(Platform, access.Account.Name, cancellationToken);
                    refreshed = true;
                    continue;
                case "access_token_invalid":
                    throw new ReconnectRequiredException(Platform, access.Account.Name, "TikTok refused a freshly refreshed access token (access_token_invalid)");
                case "scope_not_authorized":
                    throw new ReconnectRequiredException(Platform, access.Account.Name, "the account did not grant video.list, which reading a video's views needs (scope_not_authorized)");
            }
            var transient = (int)status is 429 or >= 500 || code is "rate_limit_exceeded" or "internal_error" or "malformed";
            throw new MetricsReadException(transient ? $"{said}; the read is tried again" : said, transient);
        }
    }

    private static (string Code, string Said, JsonElement Data) ReadEnvelope(HttpStatusCode status, string text)
    {
        var http = (int)status;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            var code = Str(error, "code") ?? (http is >= 200 and < 300 ? "ok" : $"http_{http}");
            if (code == "ok" && http is < 200 or >= 300)
            {
                code = $"http_{http}";
            }
            var message = Str(error, "message") ?? "";
            var logId = Str(error, "log_id");
            var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) ? d.Clone() : default;
            return (code, $"TikTok video/query answered {http} {code}{(message.Length > 0 ? ": " + message : "")}{(logId is null ? "" : $" (log_id {logId})")}", data);
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's error page, or a broken answer; another try may get a whole one.
            return (http is 429 or >= 500 ? $"http_{http}" : "malformed", $"TikTok video/query answered {http} with a body that is not JSON", default);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>The body of video/query.</summary>
public sealed record VideoQueryRequest(VideoQueryFilters Filters);

public sealed record VideoQueryFilters(IReadOnlyList<string> VideoIds);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(VideoQueryRequest))]
internal sealed partial class TikTokVideoQueryJson : System.Text.Json.Serialization.JsonSerializerContext;
