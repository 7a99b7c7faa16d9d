using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Pixabay;

/// <summary>
/// Pixabay video search (GET api/videos/, API_PROVIDERS.md 4b). The key is a query parameter, so every message this
/// client makes has it cut out (raw and URL-encoded); answers are cached in the <see cref="StockSearchCache"/> as
/// Pixabay's terms ask, the per-minute limit is held for the whole process, and a Cloudflare challenge page is
/// reported as the site being unavailable, never read as JSON.
/// </summary>
public sealed class PixabayClient(
    IHttpClientFactory clients, IOptions<PixabayOptions> options, IOptions<VisualsOptions> visuals, StockSearchCache cache, TimeProvider time) : IStockFootageSource
{
    /// <summary>The named HttpClient of this client.</summary>
    public const string HttpClientName = "pixabay";

    public const string Provider = VisualsOptions.Pixabay;

    public const string Licence = "Pixabay Content License, https://pixabay.com/service/license-summary/";

    /// <summary>The longest q Pixabay accepts.</summary>
    public const int MaxQueryLength = 100;

    public const string CloudflareMessage = "Pixabay is unavailable (a Cloudflare challenge)";

    private const string Vendor = "Pixabay";

    /// <summary>The languages Pixabay searches in (lang); another language is searched as Pixabay's default, English.</summary>
    private static readonly string[] Languages =
        ["cs", "da", "de", "en", "es", "fr", "id", "it", "hu", "nl", "no", "pl", "pt", "ro", "sk", "fi", "sv", "tr", "vi", "th", "bg", "ru", "el", "ja", "ko", "zh"];

    private readonly RequestBudget budget = new(Vendor, options.Value.RequestsPerMinute, TimeSpan.FromMinutes(1), time);

    public string Name => Provider;

    /// <summary>Requests sent to Pixabay in the last minute by this process.</summary>
    public int RequestsThisMinute => budget.Used;

    public async Task<IReadOnlyList<StockClip>> SearchAsync(StockSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        try
        {
            return await cache.GetOrSearchAsync(Provider, search, ct => SearchSiteAsync(search, ct), cancellationToken);
        }
        catch (HttpRequestException e) when (e.Message != Redact(e.Message) || (e.InnerException?.Message is { } inner && inner != Redact(inner)))
        {
            // HttpClient's own messages may carry the URL, and with it the key.
            throw new HttpRequestException(Redact(e.Message), null, e.StatusCode);
        }
    }

    public Task DownloadAsync(StockRendition rendition, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = visuals.Value.DownloadTimeout;
        return StockDownload.DownloadAsync(http, rendition.Url, path, visuals.Value.MaxDownloadMegabytes * 1_048_576L, Vendor, cancellationToken);
    }

    /// <summary>The text with the key cut out, as it is and URL-encoded ("***" in its place).</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = options.Value.ApiKey;
        if (key.Length == 0)
        {
            return text;
        }
        return text.Replace(key, "***", StringComparison.Ordinal).Replace(Uri.EscapeDataString(key), "***", StringComparison.Ordinal);
    }

    /// <summary>The query as Pixabay takes it: at most 100 characters, cut at a word where one ends in time.</summary>
    public static string CutQuery(string query)
    {
        var text = string.Join(' ', (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= MaxQueryLength)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', MaxQueryLength);
        var end = cut > MaxQueryLength / 2 ? cut : MaxQueryLength;
        // Never half a surrogate pair.
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }
        return text[..end];
    }

    /// <summary>The search's URL under the base address, the key included (so it is never put in a message).</summary>
    public string SearchUrl(StockSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var o = options.Value;
        // Pixabay has no orientation filter for videos: twice the answers are asked for, and those of the wrong shape dropped.
        var perPage = Math.Clamp(search.Orientation.Length > 0 ? search.PerPage * 2 : search.PerPage, 3, 200);
        var url = new StringBuilder(o.SearchPath.TrimStart('/'))
            .Append("?key=").Append(Uri.EscapeDataString(o.ApiKey))
            .Append("&q=").Append(Uri.EscapeDataString(CutQuery(search.Query)))
            .Append("&video_type=").Append(o.VideoType)
            .Append("&safesearch=").Append(o.SafeSearch ? "true" : "false");
        var primary = (search.Language ?? "").Split('-', '_')[0].ToLowerInvariant();
        if (Languages.Contains(primary))
        {
            url.Append("&lang=").Append(primary);
        }
        return url.Append(CultureInfo.InvariantCulture, $"&page=1&per_page={perPage}").ToString();
    }

    /// <summary>Whether the response is Cloudflare's browser check in front of Pixabay rather than Pixabay's answer.</summary>
    public static bool IsCloudflareChallenge(HttpResponseMessage response, string? body = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("cf-mitigated", out var mitigated) && mitigated.Any(v => v.Contains("challenge", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        var html = response.Content.Headers.ContentType?.MediaType is "text/html";
        if (!html || response.IsSuccessStatusCode)
        {
            return false;
        }
        // An HTML refusal is no answer of Pixabay's API, which writes its errors as plain text.
        return body is null
            || body.Contains("Just a moment", StringComparison.OrdinalIgnoreCase)
            || body.Contains("challenge-platform", StringComparison.OrdinalIgnoreCase)
            || body.Contains("cf-chl", StringComparison.OrdinalIgnoreCase)
            || body.Contains("Attention Required", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<IReadOnlyList<StockClip>> SearchSiteAsync(StockSearch search, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var http = clients.CreateClient(HttpClientName);
        http.BaseAddress = o.BaseUrl;
        http.Timeout = o.Timeout;
        var url = SearchUrl(search);
        using var response = await StockHttp.SendAsync(
            http, () => new HttpRequestMessage(HttpMethod.Get, url), new StockRetry(o.MaxRetries, o.RetryBaseDelay, o.MaxRetryAfter), Vendor, time, cancellationToken,
            budget, isFinal: r => IsCloudflareChallenge(r));
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (IsCloudflareChallenge(response, body))
        {
            // Passing the challenge would take a browser's fingerprint, which Pixabay's terms may not allow.
            throw new StockSourceUnavailableException($"{CloudflareMessage}; its searches are skipped until Cloudflare lets this host through.");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response, body);
        }
        PixabaySearchPage? page;
        try
        {
            page = JsonSerializer.Deserialize(body, PixabayJsonContext.Default.PixabaySearchPage);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(Redact($"Pixabay answered JSON that could not be read: {e.Message}"), e);
        }
        if (page is null)
        {
            throw new InvalidDataException("Pixabay answered JSON null instead of a page of videos.");
        }
        return [.. (page.Hits ?? []).Select(ToClip).OfType<StockClip>().Where(c => Fits(c, search.Orientation))];
    }

    /// <summary>A hit as a clip, its renditions largest first, leaving out sizes Pixabay answered empty (no 4K: url "", size 0).</summary>
    public static StockClip? ToClip(PixabayHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var files = new[] { hit.Videos?.Large, hit.Videos?.Medium, hit.Videos?.Small, hit.Videos?.Tiny };
        var renditions = files
            .Where(f => f is { Width: > 0, Height: > 0 } && Uri.TryCreate(f.Url, UriKind.Absolute, out _))
            .Select(f => new StockRendition(new Uri(f!.Url!), f.Width!.Value, f.Height!.Value, null, f.Size is > 0 ? f.Size : null))
            .ToList();
        if (renditions.Count == 0)
        {
            return null;
        }
        var id = hit.Id.ToString(CultureInfo.InvariantCulture);
        var author = string.IsNullOrWhiteSpace(hit.User) ? "a Pixabay creator" : hit.User;
        var authorUrl = string.IsNullOrWhiteSpace(hit.User) || hit.UserId is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"https://pixabay.com/users/{Uri.EscapeDataString(hit.User)}-{hit.UserId}/");
        var page = string.IsNullOrWhiteSpace(hit.PageUrl) ? $"https://pixabay.com/videos/id-{id}/" : hit.PageUrl;
        var largest = renditions.MaxBy(r => r.Width * r.Height)!;
        return new StockClip(Provider, id, hit.Duration ?? 0, largest.Width, largest.Height, renditions, new ClipCredit(Provider, id, author, authorUrl, page, Licence));
    }

    /// <summary>Whether the clip has the asked shape: taller than wide for portrait, wider for landscape, within 5 % for square.</summary>
    public static bool Fits(StockClip clip, string orientation)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return orientation switch
        {
            "portrait" => clip.Height > clip.Width,
            "landscape" => clip.Width > clip.Height,
            "square" => Math.Abs(clip.Width - clip.Height) <= Math.Max(clip.Width, clip.Height) * 0.05,
            _ => true,
        };
    }

    /// <summary>
    /// The exception for a refused search, from Pixabay's text body (with the key cut out). 401/403: the key,
    /// permanent. 429 after the waits allowed: unavailable for now. 5xx: transient. Another 4xx: permanent.
    /// </summary>
    private Exception Error(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var detail = Redact(StockHttp.Excerpt(body));
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.BadRequest && body.Contains("key", StringComparison.OrdinalIgnoreCase)))
        {
            return new PermanentStageException($"Pixabay refused the key in {PixabayOptions.ApiKeySetting} ({status}: {detail}); set it to a valid API key.");
        }
        if (status == 429)
        {
            var wait = StockHttp.WaitAsked(response, time);
            var after = wait is { } w ? string.Create(CultureInfo.InvariantCulture, $"; it allows more in {Math.Ceiling(w.TotalSeconds)} s") : "";
            return new StockSourceUnavailableException($"Pixabay answered 429, over the key's request limit ({detail}){after}.", wait);
        }
        var text = $"Pixabay answered {status}: {detail}";
        return StockHttp.IsClientError(response.StatusCode) ? new PermanentStageException(text) : new HttpRequestException(text, null, response.StatusCode);
    }
}
