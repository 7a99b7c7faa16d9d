using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// The analytics reads of published YouTube videos (section YouTubeAnalytics): YouTube Analytics API v2 reports.query
/// with the channel's OAuth token (the publisher's grant includes yt-analytics.readonly), and the Data API's videos.list
/// statistics for the first hours, before the Analytics API has data.
/// </summary>
public sealed class YouTubeAnalyticsOptions
{
    public const string SectionName = "YouTubeAnalytics";

    /// <summary>The Analytics API; tests point it at WireMock. reports.query is GET {BaseUrl}v2/reports.</summary>
    [Required(ErrorMessage = "YouTubeAnalytics:BaseUrl is required, such as https://youtubeanalytics.googleapis.com/.")]
    public Uri BaseUrl { get; set; } = new("https://youtubeanalytics.googleapis.com/");

    /// <summary>
    /// Units one reports.query costs of the Analytics API's own quota (separate from the Data API's 10,000; its numbers are
    /// shown only in the Cloud console, API_PROVIDERS.md §6d), for the ledger.
    /// </summary>
    [Range(0, 100_000)]
    public int ReportUnits { get; set; } = 1;

    /// <summary>Units one videos.list?part=statistics costs of the Data API's daily quota (the same window the publisher counts).</summary>
    [Range(0, 100_000)]
    public int StatisticsUnits { get; set; } = 1;

    /// <summary>How long one call may take before it counts as a timeout (the queue tries the read again).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Repeats of a call answered 429, 5xx or timed out within one delivery; the queue's retries come after these.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 1;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Source-generated validation of <see cref="YouTubeAnalyticsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class YouTubeAnalyticsOptionsValidator : IValidateOptions<YouTubeAnalyticsOptions>;
