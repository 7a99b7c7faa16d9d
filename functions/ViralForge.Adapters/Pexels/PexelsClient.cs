using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Pexels;

/// <summary>
/// Pexels video search (GET videos/search, API_PROVIDERS.md 4a): the raw key in the Authorization header, answers
/// cached in the <see cref="StockSearchCache"/>, and the account's hourly limit held for the whole process.
/// </summary>
public sealed class PexelsClient(
    IHttpClientFactory clients, IOptions<PexelsOptions> options, IOptions<VisualsOptions> visuals, StockSearchCache cache, TimeProvider time) : IStockFootageSource
{
    /// <summary>The named HttpClient of this client.</summary>
    public const string HttpClientName = "pexels";

    public const string Provider = VisualsOptions.Pexels;

    public const string Licence = "Pexels License, https://www.pexels.com/license/";

    /// <summary>The most videos Pexels answers in one page.</summary>
    public const int MaxPerPage = 80;

    private const string Vendor = "Pexels";

    /// <summary>Pexels' 28 search locales (docs, "locale"): a row's language is sent as the first that starts with it.</summary>
    private static readonly string[] Locales =
    [
        "en-US", "pt-BR", "es-ES", "ca-ES", "de-DE", "it-IT", "fr-FR", "sv-SE", "id-ID", "pl-PL", "ja-JP", "zh-TW", "zh-CN", "ko-KR",
        "th-TH", "nl-NL", "hu-HU", "vi-VN", "cs-CZ", "da-DK", "fi-FI", "uk-UA", "el-GR", "ro-RO", "nb-NO", "sk-SK", "tr-TR", "ru-RU",
    ];

    private readonly RequestBudget budget = new(Vendor, options.Value.RequestsPerHour, TimeSpan.FromHours(1), time);

    public string Name => Provider;

    /// <summary>Requests sent to Pexels in the last hour by this process.</summary>
    public int RequestsThisHour => budget.Used;

    public Task<IReadOnlyList<StockClip>> SearchAsync(StockSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        return cache.GetOrSearchAsync(Provider, search, ct => SearchSiteAsync(search, ct), cancellationToken);
    }

    public Task DownloadAsync(StockRendition rendition, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = visuals.Value.DownloadTimeout;
        return StockDownload.DownloadAsync(http, rendition.Url, path, visuals.Value.MaxDownloadMegabytes * 1_048_576L, Vendor, cancellationToken);
    }

    /// <summary>The Pexels locale of a BCP 47 language (en → en-US, pt-PT → pt-BR), or null when Pexels has none.</summary>
    public static string? LocaleFor(string language)
    {
        var asked = (language ?? "").Trim();
        if (asked.Length == 0)
        {
            return null;
        }
        var exact = Locales.FirstOrDefault(l => string.Equals(l, asked, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }
        var primary = asked.Split('-', '_')[0].ToLowerInvariant();
        // Norwegian is "no" in many sheets and nb in Pexels' list.
        primary = primary == "no" ? "nb" : primary;
        return Locales.FirstOrDefault(l => l.StartsWith(primary + "-", StringComparison.Ordinal));
    }

    /// <summary>The search's URL under the base address: query, orientation, size, locale, page 1 and per_page (at most 80).</summary>
    public string SearchUrl(StockSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var o = options.Value;
        var url = new StringBuilder(o.SearchPath.TrimStart('/')).Append("?query=").Append(Uri.EscapeDataString(search.Query.Trim()));
        if (search.Orientation is "portrait" or "landscape" or "square")
        {
            url.Append("&orientation=").Append(search.Orientation);
        }
        if (o.MinimumSize.Length > 0)
        {
            url.Append("&size=").Append(o.MinimumSize);
        }
        if (LocaleFor(search.Language) is { } locale)
        {
            url.Append("&locale=").Append(locale);
        }
        return url.Append(CultureInfo.InvariantCulture, $"&page=1&per_page={Math.Clamp(search.PerPage, 1, MaxPerPage)}").ToString();
    }

    private async Task<IReadOnlyList<StockClip>> SearchSiteAsync(StockSearch search, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var http = clients.CreateClient(HttpClientName);
        http.BaseAddress = o.BaseUrl;
        http.Timeout = o.Timeout;
        var url = SearchUrl(search);
        using var response = await StockHttp.SendAsync(http, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, url);
            // Pexels takes the key itself, no "Bearer" (PexelsDotNetSDK, pexels-ruby).
            message.Headers.TryAddWithoutValidation("Authorization", o.ApiKey);
            return message;
        }, new StockRetry(o.MaxRetries, o.RetryBaseDelay, o.MaxRetryAfter), Vendor, time, cancellationToken, budget);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
        PexelsSearchPage? page;
        try
        {
            page = await response.Content.ReadFromJsonAsync(PexelsJsonContext.Default.PexelsSearchPage, cancellationToken);
        }
        catch (JsonException e)
        {
            // A cut or garbled answer under 200: another request may answer whole, so it is not permanent.
            throw new InvalidDataException($"Pexels answered JSON that could not be read: {e.Message}", e);
        }
        if (page is null)
        {
            throw new InvalidDataException("Pexels answered JSON null instead of a page of videos.");
        }
        return [.. (page.Videos ?? []).Select(ToClip).OfType<StockClip>()];
    }

    /// <summary>A video as a clip with its MP4 renditions; HLS entries (no size) and videos with no file are left out.</summary>
    public static StockClip? ToClip(PexelsVideo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var renditions = (video.VideoFiles ?? [])
            .Where(f => f is { Width: > 0, Height: > 0 } && !string.Equals(f.Quality, "hls", StringComparison.OrdinalIgnoreCase)
                && (f.FileType is null || f.FileType.Contains("mp4", StringComparison.OrdinalIgnoreCase))
                && Uri.TryCreate(f.Link, UriKind.Absolute, out _))
            .Select(f => new StockRendition(new Uri(f.Link!), f.Width!.Value, f.Height!.Value, f.Fps, f.Size))
            .ToList();
        if (renditions.Count == 0)
        {
            return null;
        }
        var id = video.Id.ToString(CultureInfo.InvariantCulture);
        var page = string.IsNullOrWhiteSpace(video.Url) ? $"https://www.pexels.com/video/{id}/" : video.Url;
        var author = string.IsNullOrWhiteSpace(video.User?.Name) ? "a Pexels creator" : video.User.Name;
        var credit = new ClipCredit(Provider, id, author, string.IsNullOrWhiteSpace(video.User?.Url) ? null : video.User.Url, page, Licence);
        var largest = renditions.MaxBy(r => r.Width * r.Height)!;
        return new StockClip(Provider, id, video.Duration ?? 0, video.Width ?? largest.Width, video.Height ?? largest.Height, renditions, credit);
    }

    /// <summary>
    /// The exception for a refused search. 401/403: the key (permanent, naming the setting, never the key). 429 after
    /// the waits allowed: the site is unavailable for now and the router tries the next one. 5xx: transient. Another
    /// 4xx: the request was wrong, permanent.
    /// </summary>
    private async Task<Exception> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = StockHttp.Excerpt(body);
        try
        {
            if (JsonSerializer.Deserialize(body, PexelsJsonContext.Default.PexelsError)?.Error is { Length: > 0 } error)
            {
                detail = StockHttp.Excerpt(error);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): its text, cut short, says what it is.
        }
        var status = (int)response.StatusCode;
        // The key must never reach a message, even if an error body repeated it.
        detail = options.Value.ApiKey.Length == 0 ? detail : detail.Replace(options.Value.ApiKey, "***", StringComparison.Ordinal);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new PermanentStageException($"Pexels refused the key in {PexelsOptions.ApiKeySetting} ({status}: {detail}); set it to a valid API key.");
        }
        if (status == 429)
        {
            var wait = StockHttp.WaitAsked(response, time);
            var after = wait is { } w ? string.Create(CultureInfo.InvariantCulture, $"; it allows more in {Math.Ceiling(w.TotalSeconds)} s") : "";
            return new StockSourceUnavailableException($"Pexels answered 429, over the account's request limit ({detail}){after}.", wait);
        }
        var text = $"Pexels answered {status}: {detail}";
        return StockHttp.IsClientError(response.StatusCode) ? new PermanentStageException(text) : new HttpRequestException(text, null, response.StatusCode);
    }
}
