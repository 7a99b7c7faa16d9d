using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.TikTok;

/// <summary>
/// TikTok (section TikTok): the Login Kit client that `vf connect tiktok` signs in with, and the Content Posting API
/// (API_PROVIDERS.md §7): chunk size, posts per account per day, the AI label, whether the client passed TikTok's audit,
/// and how long one delivery waits for TikTok to process a post.
/// </summary>
public sealed class TikTokOptions : IValidatableObject
{
    public const string SectionName = "TikTok";

    /// <summary>TikTok's chunk sizes are in binary megabytes: 5 MB is 5 * 1024 * 1024 bytes.</summary>
    public const long Megabyte = 1024 * 1024;

    /// <summary>The smallest chunk TikTok takes; a video under it goes as one chunk.</summary>
    public const long MinChunkBytes = 5 * Megabyte;

    /// <summary>The largest chunk but the last.</summary>
    public const long MaxChunkBytes = 64 * Megabyte;

    /// <summary>The last chunk absorbs the remainder, up to this.</summary>
    public const long MaxLastChunkBytes = 128 * Megabyte;

    /// <summary>The Login Kit client key (developers.tiktok.com, Manage apps); TikTok publishing is offered only when it is set.</summary>
    public string ClientKey { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The Open API (OAuth token endpoint and Content Posting API); tests point it at WireMock.</summary>
    [Required(ErrorMessage = "TikTok:BaseUrl is required.")]
    public Uri BaseUrl { get; set; } = new("https://open.tiktokapis.com/");

    /// <summary>Login Kit's authorization page, which `vf connect tiktok` opens in the browser.</summary>
    [Required(ErrorMessage = "TikTok:AuthorizeUrl is required.")]
    public Uri AuthorizeUrl { get; set; } = new("https://www.tiktok.com/v2/auth/authorize/");

    /// <summary>Comma-separated, as Login Kit takes them: direct post, the account's basic profile, and video.list for reading its videos' views (video/query).</summary>
    [Required(ErrorMessage = "TikTok:Scopes is required.")]
    public string Scopes { get; set; } = "user.info.basic,video.publish,video.list";

    /// <summary>The chunk size for FILE_UPLOAD, 5 to 64 MB (the last chunk absorbs the remainder, up to 128 MB).</summary>
    public long ChunkBytes { get; set; } = 10 * Megabyte;

    /// <summary>
    /// Posts per account per UTC day before the next post waits for the next UTC day. TikTok does not publish its cap
    /// (spam_risk_too_many_posts; integrators report 15-25 a day), so the default stays under the lowest report.
    /// </summary>
    [Range(1, 1000)]
    public int PostsPerDay { get; set; } = 15;

    /// <summary>Sets post_info.is_aigc, TikTok's AI-generated-content label: ViralForge's narration and visuals are generated.</summary>
    public bool IsAigc { get; set; } = true;

    /// <summary>
    /// Whether the client passed TikTok's direct-post audit. Until it has, TikTok forces every post to SELF_ONLY (the
    /// account must be private), so that is what is asked for, and the row says so.
    /// </summary>
    public bool Audited { get; set; }

    /// <summary>The privacy level an audited client posts with; it must be one of the creator's privacy_level_options.</summary>
    [Required(ErrorMessage = "TikTok:PrivacyLevel is required, such as PUBLIC_TO_EVERYONE.")]
    [RegularExpression("^(PUBLIC_TO_EVERYONE|MUTUAL_FOLLOW_FRIENDS|FOLLOWER_OF_CREATOR|SELF_ONLY)$",
        ErrorMessage = "TikTok:PrivacyLevel must be PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR or SELF_ONLY.")]
    public string PrivacyLevel { get; set; } = "PUBLIC_TO_EVERYONE";

    /// <summary>How often status/fetch is asked while TikTok processes a post (its limit is 30 a minute per token).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one delivery waits for the post to finish processing; then the stage is delivered again after
    /// <see cref="StatusRetryAfter"/> and goes on polling the same publish_id (never posting again).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan StatusDeadline { get; set; } = TimeSpan.FromMinutes(3);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StatusRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one API call may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one chunk's PUT may take (64 MB on a slow uplink).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ChunkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Repeats of a read (creator_info, status/fetch) or a chunk PUT answered 5xx or timed out, within one delivery. Never of video/init.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChunkBytes is < MinChunkBytes or > MaxChunkBytes)
        {
            yield return new ValidationResult(
                $"TikTok:ChunkBytes is {ChunkBytes}; TikTok takes chunks of 5 to 64 MB ({MinChunkBytes} to {MaxChunkBytes} bytes).", [nameof(ChunkBytes)]);
        }
        if (ClientKey.Length > 0 && ClientSecret.Length == 0)
        {
            yield return new ValidationResult("TikTok:ClientKey is set but TikTok:ClientSecret is not; set both from the app's page on developers.tiktok.com.", [nameof(ClientSecret)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="TikTokOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class TikTokOptionsValidator : IValidateOptions<TikTokOptions>;
