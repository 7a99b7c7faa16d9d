using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Pexels;

/// <summary>The Pexels video search (section Pexels): key, address, limits. Used only when <see cref="ApiKey"/> is set.</summary>
public sealed class PexelsOptions : IValidatableObject
{
    public const string SectionName = "Pexels";

    /// <summary>The setting that holds the key, as messages name it.</summary>
    public const string ApiKeySetting = "Pexels:ApiKey";

    /// <summary>The API key, sent raw in the Authorization header (no "Bearer"). Never logged, never in an error.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API; tests point it at WireMock.</summary>
    [Required(ErrorMessage = "Pexels:BaseUrl is required.")]
    public Uri BaseUrl { get; set; } = new("https://api.pexels.com/");

    /// <summary>
    /// The search path under <see cref="BaseUrl"/>. The docs say videos/search ("for historical reasons"); a 2026 spec
    /// says v1/videos/search and calls the other deprecated (API_PROVIDERS.md 4a), so it is a setting.
    /// </summary>
    [Required(ErrorMessage = "Pexels:SearchPath is required, such as videos/search.")]
    public string SearchPath { get; set; } = "videos/search";

    /// <summary>The smallest size Pexels is asked for: large (4K), medium (Full HD), small (HD), or empty for any.</summary>
    [RegularExpression("^(|large|medium|small)$", ErrorMessage = "Pexels:MinimumSize must be large, medium, small or empty.")]
    public string MinimumSize { get; set; } = "medium";

    /// <summary>Pexels' default limit (200 an hour); the process holds it across all jobs. Raise it when Pexels raised yours.</summary>
    [Range(1, 100_000)]
    public int RequestsPerHour { get; set; } = 200;

    /// <summary>How long one search may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Repeats of a search answered 429 or 5xx within one delivery (a search is free and safe to repeat).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait (Retry-After, the hour's reset) held within a delivery; longer and the next source is tried.</summary>
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

/// <summary>Source-generated validation of <see cref="PexelsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class PexelsOptionsValidator : IValidateOptions<PexelsOptions>;
