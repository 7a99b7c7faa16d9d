using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Runway;

/// <summary>
/// The Runway API (section Runway): key, model, price table, and how long a delivery waits on a generation. Runway is
/// offered only when <see cref="ApiKey"/> is set.
/// </summary>
public sealed class RunwayOptions : IValidatableObject
{
    public const string SectionName = "Runway";

    /// <summary>The setting that holds the key, as the start-up check and error messages name it.</summary>
    public const string ApiKeySetting = "Runway:ApiKey";

    /// <summary>The API secret (Secret Manager in gcp, Runway__ApiKey locally). Never logged, never in an error.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API; tests point it at WireMock.</summary>
    [Required(ErrorMessage = "Runway:BaseUrl is required.")]
    public Uri BaseUrl { get; set; } = new("https://api.dev.runwayml.com/");

    /// <summary>Sent as X-Runway-Version, which Runway requires; a newer version may change the task shapes read here.</summary>
    [Required(ErrorMessage = "Runway:ApiVersion is required, such as 2024-11-06.")]
    public string ApiVersion { get; set; } = "2024-11-06";

    /// <summary>
    /// The text_to_video model: gen4.5 (12 credits/s, 2-10 s, 720:1280 or 1280:720), veo3 (8 s only), veo3.1 or
    /// veo3.1_fast (4, 6 or 8 s). It needs a row in <see cref="CreditsPerSecond"/>.
    /// </summary>
    [Required(ErrorMessage = "Runway:Model is required, such as gen4.5.")]
    public string Model { get; set; } = "gen4.5";

    /// <summary>Credits one second of output costs, per model (the price table's, overridable per deployment).</summary>
    public Dictionary<string, decimal> CreditsPerSecond { get; set; } = new(PriceTable.Default().RunwayCreditsPerSecond, StringComparer.Ordinal);

    [Range(typeof(decimal), "0", "1")]
    public decimal UsdPerCredit { get; set; } = PriceTable.Default().RunwayUsdPerCredit;

    /// <summary>The date of the prices above; every ledger row carries it.</summary>
    public DateOnly PricesAsOf { get; set; } = PriceTable.Default().RunwayPricesAsOf;

    /// <summary>The wait between polls of a task; Runway's own SDK polls every 6 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Up to this much is added to or taken from each wait, so many rows' polls do not arrive together (the SDK's ± 1.5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PollJitter { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The longest wait after a poll answered 429, 5xx or nothing; the wait doubles from <see cref="PollInterval"/> up to this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxPollBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one delivery waits on a generation before it gives the task back to the queue (which resumes the same
    /// Runway task later): a gen4.5 clip usually takes one to three minutes, THROTTLED ones longer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxWaitPerDelivery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When the queue comes back for a generation still running at <see cref="MaxWaitPerDelivery"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ComeBackAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the create and each poll may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long downloading the finished clip may take (a 10 s clip is a few MB).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:30:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Repeats of a create answered 429 or 5xx: Runway made no task then, so the repeat cannot pay twice. A create that
    /// got no answer is never repeated (see <see cref="RunwayVideoGenerator"/>).
    /// </summary>
    [Range(0, 10)]
    public int MaxCreateRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest Retry-After a create waits out within a delivery; a longer one gives the task back to the queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Runway's limit on promptText, in UTF-16 code units.</summary>
    public const int MaxPromptLength = 1000;

    /// <summary>The durations <see cref="Model"/> takes on text_to_video (runwayml/sdk-node text-to-video.ts).</summary>
    public IReadOnlyList<int> Durations => DurationsOf(Model);

    /// <summary>The models this adapter knows the text_to_video shape of.</summary>
    public static IReadOnlyList<string> TextToVideoModels { get; } = ["gen4.5", "veo3", "veo3.1", "veo3.1_fast"];

    public static IReadOnlyList<int> DurationsOf(string model) => model switch
    {
        "veo3" => [8],
        "veo3.1" or "veo3.1_fast" => [4, 6, 8],
        _ => [.. Enumerable.Range(2, 9)],
    };

    /// <summary>
    /// The ratio asked for a row's Format. text_to_video offers only 720:1280 and 1280:720, so a square row gets the
    /// portrait clip and the renderer crops it to 1:1.
    /// </summary>
    public static string RatioFor(string format) => format == VideoChoices.Landscape ? "1280:720" : "720:1280";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // One rule for what a key looks like (ProviderKeys); the value never goes into the message.
        if (ProviderKeys.Problem(ApiKeySetting, ApiKey, prefix: null) is { } problem)
        {
            yield return new ValidationResult(problem + ".", [nameof(ApiKey)]);
        }
        if (!TextToVideoModels.Contains(Model, StringComparer.Ordinal))
        {
            yield return new ValidationResult(
                $"Runway:Model '{Model}' is not a text_to_video model this adapter knows; use one of {string.Join(", ", TextToVideoModels)}.",
                [nameof(Model)]);
        }
        else if (!CreditsPerSecond.ContainsKey(Model))
        {
            yield return new ValidationResult(
                $"Runway:CreditsPerSecond has no price for '{Model}'; add Runway:CreditsPerSecond:{Model} so its clips are costed.",
                [nameof(CreditsPerSecond)]);
        }
        if (ApiVersion.Any(char.IsWhiteSpace))
        {
            yield return new ValidationResult("Runway:ApiVersion has a space in it; set it to a date such as 2024-11-06.", [nameof(ApiVersion)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="RunwayOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class RunwayOptionsValidator : IValidateOptions<RunwayOptions>;
