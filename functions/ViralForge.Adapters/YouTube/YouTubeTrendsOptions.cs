using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// YouTube trend reads (section YouTube, which publishing shares): the Data API key, the charts kept warm, how old a
/// stored chart may be, and the quota the reads may spend. ApiBaseUrl, DailyQuotaUnits and QuotaTimeZone are the same
/// settings <see cref="YouTubeOptions"/> reads, so trends and uploads count against one project quota. Used only when
/// <see cref="ApiKey"/> is set; otherwise the offline sample answers.
/// </summary>
public sealed class YouTubeTrendsOptions : IValidatableObject
{
    public const string SectionName = YouTubeOptions.SectionName;

    /// <summary>The setting that holds the key, as messages name it.</summary>
    public const string ApiKeySetting = "YouTube:ApiKey";

    /// <summary>The Data API key (a read needs no OAuth), sent in the X-Goog-Api-Key header: never in a URL, a log or an error.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The Data API; tests point it at WireMock.</summary>
    [Required(ErrorMessage = "YouTube:ApiBaseUrl is required, such as https://www.googleapis.com/youtube/v3.")]
    public Uri ApiBaseUrl { get; set; } = new("https://www.googleapis.com/youtube/v3");

    /// <summary>
    /// The regions whose charts the scheduled refresh keeps warm (ISO 3166-1 alpha-2); empty means <see cref="DefaultRegions"/>.
    /// A job's own region (ViralForge:RegionCode) is read on demand too.
    /// </summary>
    public List<string> TrendRegions { get; set; } = [];

    /// <summary>The regions when <see cref="TrendRegions"/> is not set (a list setting's default would be added to, not replaced).</summary>
    public static IReadOnlyList<string> DefaultRegions { get; } = ["US"];

    /// <summary>The regions in effect.</summary>
    public IReadOnlyList<string> Regions => TrendRegions.Count > 0 ? TrendRegions : DefaultRegions;

    /// <summary>
    /// The video categories whose mostPopular chart is kept and searched for a topic: 10 Music, 15 Pets &amp; Animals,
    /// 17 Sports, 20 Gaming, 22 People &amp; Blogs, 23 Comedy, 24 Entertainment, 26 Howto &amp; Style, 27 Education,
    /// 28 Science &amp; Technology. "0" is the chart of all categories. Each costs one unit a page per refresh. Empty
    /// means <see cref="DefaultCategories"/>.
    /// </summary>
    public List<string> TrendCategories { get; set; } = [];

    /// <summary>The categories when <see cref="TrendCategories"/> is not set: all, and the ten above.</summary>
    public static IReadOnlyList<string> DefaultCategories { get; } = ["0", "10", "15", "17", "20", "22", "23", "24", "26", "27", "28"];

    /// <summary>The categories in effect.</summary>
    public IReadOnlyList<string> Categories => TrendCategories.Count > 0 ? TrendCategories : DefaultCategories;

    /// <summary>Pages of 50 read per chart: 1 unit each; YouTube's charts hold about 200 videos.</summary>
    [Range(1, 4)]
    public int TrendPages { get; set; } = 1;

    /// <summary>How old a stored chart or search may be and still be used instead of asking YouTube again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan TrendSnapshotMaxAge { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How often the refresh runs (locally in <c>vf serve</c>; Cloud Scheduler's _TRENDS_REFRESH_SCHEDULE in production).
    /// A chart is taken again when it would be older than <see cref="TrendSnapshotMaxAge"/> before the next run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TrendRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The videos of the stored charts that must match the topic's words for the charts to cover it; fewer and the topic is searched.</summary>
    [Range(1, 50)]
    public int MinTopicMatches { get; set; } = 3;

    /// <summary>How far back a topic search looks (publishedAfter).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan SearchWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Results of one topic search (maxResults, at most 50): one page, one search.list.</summary>
    [Range(5, 50)]
    public int SearchResults { get; set; } = 50;

    /// <summary>The longest video counted as a Short (YouTube's Shorts limit since October 2024).</summary>
    [Range(15, 600)]
    public int ShortsMaxSeconds { get; set; } = 180;

    /// <summary>The project's daily quota (units per Pacific day); the same setting publishing reads.</summary>
    [Range(1, 100_000_000)]
    public int DailyQuotaUnits { get; set; } = 10_000;

    /// <summary>
    /// Units trend reads leave for uploads: a read is made only while today's units (every job's, reads and uploads)
    /// plus its own stay within DailyQuotaUnits minus this. 3,200 keeps two uploads (1,600 each) for the day.
    /// </summary>
    [Range(0, 100_000_000)]
    public int UploadReserveUnits { get; set; } = 3_200;

    /// <summary>Units one videos.list costs (a chart page, or the statistics of up to 50 ids).</summary>
    [Range(0, 100_000)]
    public int VideosListUnits { get; set; } = 1;

    /// <summary>
    /// Units one search.list costs. 100 is the long-cited cost; the current quota page says searches have a bucket of
    /// their own (API_PROVIDERS.md 6a, [conflict]): 100 is the safe reading.
    /// </summary>
    [Range(0, 100_000)]
    public int SearchUnits { get; set; } = 100;

    /// <summary>The date of the unit costs above.</summary>
    public DateOnly QuotaCostsAsOf { get; set; } = new(2026, 11, 1);

    /// <summary>Where the quota day starts: YouTube resets the quota at midnight Pacific time.</summary>
    [Required(ErrorMessage = "YouTube:QuotaTimeZone is required: America/Los_Angeles, where YouTube's quota day starts.")]
    public string QuotaTimeZone { get; set; } = "America/Los_Angeles";

    /// <summary>How long one read may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Repeats of a read answered 429, 5xx or not at all, within one delivery (a read changes nothing; each repeat costs its units).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // One rule for what a key looks like (ProviderKeys); the message never repeats the key.
        if (ProviderKeys.Problem(ApiKeySetting, ApiKey, prefix: null) is { } problem)
        {
            yield return new ValidationResult(problem + ".", [nameof(ApiKey)]);
        }
        if (TrendRegions.Any(r => r is not { Length: 2 } || !r.All(char.IsAsciiLetterUpper)))
        {
            yield return new ValidationResult(
                $"YouTube:TrendRegions must list ISO 3166-1 alpha-2 regions in capitals, such as US or GB (it is '{string.Join(", ", TrendRegions)}').", [nameof(TrendRegions)]);
        }
        if (TrendCategories.Any(c => c is not { Length: >= 1 and <= 3 } || !c.All(char.IsAsciiDigit)))
        {
            yield return new ValidationResult(
                $"YouTube:TrendCategories must list YouTube video category ids, such as 0 (all), 24 (Entertainment) or 27 (Education) (it is '{string.Join(", ", TrendCategories)}').", [nameof(TrendCategories)]);
        }
        if (TrendRefreshInterval >= TrendSnapshotMaxAge)
        {
            yield return new ValidationResult(
                $"YouTube:TrendRefreshInterval ({TrendRefreshInterval}) must be shorter than YouTube:TrendSnapshotMaxAge ({TrendSnapshotMaxAge}), or charts expire between refreshes.", [nameof(TrendRefreshInterval)]);
        }
        if (UploadReserveUnits >= DailyQuotaUnits)
        {
            yield return new ValidationResult(
                $"YouTube:UploadReserveUnits ({UploadReserveUnits}) leaves nothing of YouTube:DailyQuotaUnits ({DailyQuotaUnits}) for trend reads; lower it.", [nameof(UploadReserveUnits)]);
        }
        string? zoneProblem = null;
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(QuotaTimeZone ?? "");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zoneProblem = $"YouTube:QuotaTimeZone '{QuotaTimeZone}' is not a time zone this machine knows; set America/Los_Angeles (install tzdata if it is missing).";
        }
        if (zoneProblem is not null)
        {
            yield return new ValidationResult(zoneProblem, [nameof(QuotaTimeZone)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="YouTubeTrendsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class YouTubeTrendsOptionsValidator : IValidateOptions<YouTubeTrendsOptions>;
