using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Pixabay;

/// <summary>The Pixabay video search (section Pixabay): key, address, limits. Used only when <see cref="ApiKey"/> is set.</summary>
public sealed class PixabayOptions : IValidatableObject
{
    public const string SectionName = "Pixabay";

    /// <summary>The setting that holds the key, as messages name it.</summary>
    public const string ApiKeySetting = "Pixabay:ApiKey";

    /// <summary>The API key. Pixabay takes it as the query parameter key=, so it is cut out of every message and log line.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API; tests point it at WireMock.</summary>
    [Required(ErrorMessage = "Pixabay:BaseUrl is required.")]
    public Uri BaseUrl { get; set; } = new("https://pixabay.com/");

    /// <summary>The video search path under <see cref="BaseUrl"/>.</summary>
    [Required(ErrorMessage = "Pixabay:SearchPath is required, such as api/videos/.")]
    public string SearchPath { get; set; } = "api/videos/";

    /// <summary>all, film or animation.</summary>
    [RegularExpression("^(all|film|animation)$", ErrorMessage = "Pixabay:VideoType must be all, film or animation.")]
    public string VideoType { get; set; } = "all";

    /// <summary>Pixabay's filter of content unsuitable for all ages; on by default, as a channel's videos reach anyone.</summary>
    public bool SafeSearch { get; set; } = true;

    /// <summary>Pixabay's limit (100 requests in 60 s per key); the process holds it across all jobs.</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 100;

    /// <summary>How long one search may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Repeats of a search answered 429 or 5xx within one delivery (never of a Cloudflare challenge).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait (Retry-After, X-RateLimit-Reset) held within a delivery; longer and the next source is tried.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // One rule for what a key looks like (ProviderKeys); the message never repeats the key.
        if (ProviderKeys.Problem(ApiKeySetting, ApiKey, prefix: null) is { } problem)
        {
            yield return new ValidationResult(problem + ".", [nameof(ApiKey)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="PixabayOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class PixabayOptionsValidator : IValidateOptions<PixabayOptions>;
