using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// YouTube publishing (section YouTube, shared with the accounts' OAuth ClientId and ClientSecret): where the API is,
/// what every upload declares, the chunk size, and the project's daily quota with what each call costs of it.
/// </summary>
public sealed class YouTubeOptions
{
    public const string SectionName = "YouTube";

    /// <summary>The upload API (videos.insert, thumbnails.set); tests point it at WireMock.</summary>
    [Required(ErrorMessage = "YouTube:UploadBaseUrl is required, such as https://www.googleapis.com/upload/youtube/v3.")]
    public Uri UploadBaseUrl { get; set; } = new("https://www.googleapis.com/upload/youtube/v3");

    /// <summary>The Data API (videos.delete).</summary>
    [Required(ErrorMessage = "YouTube:ApiBaseUrl is required, such as https://www.googleapis.com/youtube/v3.")]
    public Uri ApiBaseUrl { get; set; } = new("https://www.googleapis.com/youtube/v3");

    /// <summary>snippet.categoryId: 22 is People &amp; Blogs, 24 Entertainment, 27 Education; only assignable ids are accepted.</summary>
    [RegularExpression("^[0-9]{1,3}$", ErrorMessage = "YouTube:CategoryId must be a YouTube video category id, such as 22 (People & Blogs) or 24 (Entertainment).")]
    public string CategoryId { get; set; } = "22";

    /// <summary>status.selfDeclaredMadeForKids: whether the channel says its videos are made for children (COPPA).</summary>
    public bool SelfDeclaredMadeForKids { get; set; }

    /// <summary>status.containsSyntheticMedia: YouTube's altered or synthetic content disclosure; true, as our videos are made by AI.</summary>
    public bool ContainsSyntheticMedia { get; set; } = true;

    /// <summary>notifySubscribers on insert: YouTube's default is true; a channel posting many Shorts a day may want false.</summary>
    public bool NotifySubscribers { get; set; } = true;

    /// <summary>
    /// status.privacyStatus of a row without a Publish At ahead: public, unlisted or private. A row whose Publish At is
    /// ahead always goes private with publishAt, the only way YouTube schedules.
    /// </summary>
    [RegularExpression("^(public|unlisted|private)$", ErrorMessage = "YouTube:PrivacyStatus must be public, unlisted or private.")]
    public string PrivacyStatus { get; set; } = "public";

    /// <summary>
    /// Bytes per PUT of the resumable upload: a multiple of 256 KiB (262,144), which YouTube requires of every chunk
    /// but the last. 8 MiB keeps a 30 s Short to a few requests and a lost chunk cheap to resend.
    /// </summary>
    [Range(YouTubePublisher.ChunkUnit, 256 * YouTubePublisher.ChunkUnit)]
    public int ChunkBytes { get; set; } = 32 * YouTubePublisher.ChunkUnit;

    /// <summary>The project's daily quota (units per Pacific day), as its Cloud console Quotas page shows it.</summary>
    [Range(1, 100_000_000)]
    public int DailyQuotaUnits { get; set; } = 10_000;

    /// <summary>
    /// Units one videos.insert costs. The quota page is in conflict (API_REFERENCE.md §8): older copies and most client
    /// code say 1,600 of the shared 10,000, the current one says inserts have a bucket of their own at 1 each. 1,600 (six
    /// uploads a day) is the safe reading; a project that has checked its Quotas page can lower it.
    /// </summary>
    [Range(0, 100_000)]
    public int InsertUnits { get; set; } = 1_600;

    /// <summary>Units one thumbnails.set costs.</summary>
    [Range(0, 100_000)]
    public int ThumbnailUnits { get; set; } = 50;

    /// <summary>Units one videos.delete costs.</summary>
    [Range(0, 100_000)]
    public int DeleteUnits { get; set; } = 50;

    /// <summary>Units a refused call costs: every request, even an invalid one, costs at least one.</summary>
    [Range(0, 100_000)]
    public int RefusedCallUnits { get; set; } = 1;

    /// <summary>The date of the unit costs above.</summary>
    public DateOnly QuotaCostsAsOf { get; set; } = new(2026, 11, 1);

    /// <summary>Where the quota day starts: YouTube resets the quota at midnight Pacific time.</summary>
    [Required(ErrorMessage = "YouTube:QuotaTimeZone is required: America/Los_Angeles, where YouTube's quota day starts.")]
    public string QuotaTimeZone { get; set; } = "America/Los_Angeles";

    /// <summary>
    /// How far ahead a Publish At must be to be scheduled. A publishAt in the past is refused after the insert's quota
    /// was charged, and an upload takes time; a row whose Publish At is nearer than this goes out now.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinimumPublishLead { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long one upload request (a chunk) may take before it counts as an interruption. Not YouTube:Timeout, which is
    /// the OAuth client's (the accounts' settings share this section).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ChunkTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Interruptions in a row (dropped connections, timeouts, 5xx) the upload resumes from within one delivery.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first wait before resuming; it doubles with each interruption in a row, up to 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>thumbnails.set takes images up to 2 MB; a larger one is skipped with a note.</summary>
    [Range(1, 100_000_000)]
    public int MaxThumbnailBytes { get; set; } = 2 * 1024 * 1024;
}

/// <summary>Source-generated validation of <see cref="YouTubeOptions"/>'s attributes.</summary>
[OptionsValidator]
public sealed partial class YouTubeOptionsAttributeValidator : IValidateOptions<YouTubeOptions>;

/// <summary>
/// Validates <see cref="YouTubeOptions"/> at start-up: the attributes, then what they cannot say (a chunk size YouTube
/// accepts, a time zone this machine knows).
/// </summary>
public sealed class YouTubeOptionsValidator : IValidateOptions<YouTubeOptions>
{
    private readonly YouTubeOptionsAttributeValidator attributes = new();

    public ValidateOptionsResult Validate(string? name, YouTubeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = attributes.Validate(name, options);
        if (result.Failed)
        {
            return result;
        }
        if (options.ChunkBytes % YouTubePublisher.ChunkUnit != 0)
        {
            return ValidateOptionsResult.Fail(
                $"YouTube:ChunkBytes is {options.ChunkBytes}; YouTube takes chunks in multiples of 262144 bytes (256 KiB), such as {Math.Max(1, options.ChunkBytes / YouTubePublisher.ChunkUnit) * YouTubePublisher.ChunkUnit}.");
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(options.QuotaTimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return ValidateOptionsResult.Fail($"YouTube:QuotaTimeZone '{options.QuotaTimeZone}' is not a time zone this machine knows; set America/Los_Angeles (install tzdata if it is missing).");
        }
        return ValidateOptionsResult.Success;
    }
}
