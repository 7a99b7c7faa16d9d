using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Costs;

namespace ViralForge.Adapters.Vertex;

/// <summary>
/// Veo on Vertex AI (section Veo): project, region, model, output shape, price, and how long a delivery waits on a
/// generation. Veo is offered only when <see cref="Project"/> is set; it calls as the service account (Application
/// Default Credentials, scope cloud-platform), which needs roles/aiplatform.user in the project.
/// </summary>
public sealed class VeoOptions : IValidatableObject
{
    public const string SectionName = "Veo";

    /// <summary>The setting whose value turns Veo on.</summary>
    public const string ProjectSetting = "Veo:Project";

    /// <summary>The Google Cloud project that runs (and pays for) the generations.</summary>
    [RegularExpression("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", ErrorMessage = "Veo:Project must be a project id: 6-30 lowercase letters, digits and hyphens, starting with a letter.")]
    public string Project { get; set; } = "";

    /// <summary>The Vertex AI region that serves Veo.</summary>
    [Required(ErrorMessage = "Veo:Location is required, such as us-central1.")]
    [RegularExpression("^[a-z]+(-[a-z0-9]+)+$|^global$", ErrorMessage = "Veo:Location must be a region such as us-central1.")]
    public string Location { get; set; } = "us-central1";

    /// <summary>The GA Veo model on Vertex (the Gemini API's preview ids were shut down on 2026-10-22).</summary>
    [Required(ErrorMessage = "Veo:Model is required, such as veo-3.1-fast-generate-001.")]
    public string Model { get; set; } = "veo-3.1-fast-generate-001";

    /// <summary>The regional endpoint, {LOCATION} replaced by <see cref="Location"/>; tests point it at WireMock.</summary>
    [Required(ErrorMessage = "Veo:BaseUrl is required.")]
    public string BaseUrl { get; set; } = "https://{LOCATION}-aiplatform.googleapis.com";

    /// <summary>
    /// gs://bucket/folder/ where Veo writes its clips; unset, the clip comes back inline as base64 in the operation
    /// (simpler, and nothing is left in a bucket). The service account needs to read what Veo writes there.
    /// </summary>
    [RegularExpression("^(gs://[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](/.*)?)?$", ErrorMessage = "Veo:StorageUri must be a gs://bucket/folder/ URI, or unset for clips answered inline.")]
    public string? StorageUri { get; set; }

    /// <summary>The Cloud Storage JSON API that a gs:// clip is read through; only tests point it elsewhere.</summary>
    [Required(ErrorMessage = "Veo:StorageBaseUrl is required.")]
    public Uri StorageBaseUrl { get; set; } = new("https://storage.googleapis.com/");

    /// <summary>The lengths Veo makes: durationSeconds takes only 4, 6 or 8 (5 or 7 fail with "Unsupported output video duration").</summary>
    public static IReadOnlyList<int> VeoDurations { get; } = [4, 6, 8];

    /// <summary>
    /// The lengths to ask for, some of 4, 6 and 8; empty means all three. (Empty by default because configuration binding
    /// adds to a list's default items instead of replacing them.)
    /// </summary>
    public List<int> Durations { get; set; } = [];

    /// <summary><see cref="Durations"/>, or all of Veo's when none are set.</summary>
    public IReadOnlyList<int> AllowedDurations => Durations.Count == 0 ? VeoDurations : Durations;

    /// <summary>720p or 1080p; 720p is enough for a 1080x1920 short once scaled, and cheaper where the price differs.</summary>
    [RegularExpression("^(720p|1080p)$", ErrorMessage = "Veo:Resolution must be 720p or 1080p.")]
    public string Resolution { get; set; } = "720p";

    /// <summary>Off: the short has its own narration, and a soundtrack costs more per second.</summary>
    public bool GenerateAudio { get; set; }

    /// <summary>allow_adult (people, no children), dont_allow, or allow_all where the project is allowed it.</summary>
    [RegularExpression("^(allow_adult|dont_allow|allow_all)$", ErrorMessage = "Veo:PersonGeneration must be allow_adult, dont_allow or allow_all.")]
    public string PersonGeneration { get; set; } = "allow_adult";

    /// <summary>USD per second of output, per model, without and with audio (the price table's; [unverified]).</summary>
    public Dictionary<string, VideoSecondPrice> Prices { get; set; } = new(PriceTable.Default().VeoModels, StringComparer.Ordinal);

    /// <summary>The date of the prices above; every ledger row carries it.</summary>
    public DateOnly PricesAsOf { get; set; } = PriceTable.Default().VeoPricesAsOf;

    /// <summary>The wait between polls; a fast-model clip takes about 60-90 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PollJitter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait after a poll answered 429, 5xx or nothing; the wait doubles from <see cref="PollInterval"/> up to this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxPollBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one delivery waits on an operation before the queue takes it back (and later resumes the same one).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxWaitPerDelivery { get; set; } = TimeSpan.FromMinutes(4);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ComeBackAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the start and each poll may take (an inline clip arrives in the poll's answer: a few MB).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    [Range(typeof(TimeSpan), "00:00:00.050", "00:30:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Repeats of a start answered 429 (the project's per-minute quota) or 5xx, which made no operation.</summary>
    [Range(0, 10)]
    public int MaxCreateRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The endpoint for <see cref="Location"/>.</summary>
    public Uri Endpoint => new(BaseUrl.Replace("{LOCATION}", Location, StringComparison.Ordinal).TrimEnd('/') + "/");

    /// <summary>The model's resource path, which :predictLongRunning and :fetchPredictOperation are appended to.</summary>
    public string ModelPath => $"v1/projects/{Project}/locations/{Location}/publishers/google/models/{Model}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Project))
        {
            yield return new ValidationResult("Veo:Project is required: the Google Cloud project that runs Veo.", [nameof(Project)]);
        }
        if (Durations.Any(d => !VeoDurations.Contains(d)))
        {
            yield return new ValidationResult("Veo:Durations must be some of 4, 6 and 8: the only lengths Veo makes.", [nameof(Durations)]);
        }
        if (!Prices.ContainsKey(Model))
        {
            yield return new ValidationResult($"Veo:Prices has no price for '{Model}'; add Veo:Prices:{Model}:UsdPerSecond so its clips are costed.", [nameof(Prices)]);
        }
        if (!Uri.TryCreate(BaseUrl.Replace("{LOCATION}", Location, StringComparison.Ordinal), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"Veo:BaseUrl '{BaseUrl}' is not an http(s) URL once {{LOCATION}} is replaced.", [nameof(BaseUrl)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="VeoOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class VeoOptionsValidator : IValidateOptions<VeoOptions>;
