using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Google.Tasks;

/// <summary>
/// Where the Cloud Tasks queues live and where their tasks are sent (section Google:Tasks). Each task goes to
/// the Cloud Run service of its stage, with an OIDC token for <see cref="InvokerServiceAccount"/> whose audience is
/// that service's URL.
/// </summary>
public sealed class CloudTasksOptions : IValidatableObject
{
    public const string SectionName = "Google:Tasks";

    /// <summary>The project that holds the vf-* queues.</summary>
    [Required(ErrorMessage = "Google:Tasks:ProjectId is required: the project that holds the vf-* queues.")]
    [RegularExpression("^[A-Za-z0-9:.-]+$", ErrorMessage = "Google:Tasks:ProjectId may only hold letters, digits, '-', ':' and '.'.")]
    public string ProjectId { get; set; } = "";

    /// <summary>The queues' region, such as europe-west1.</summary>
    [Required(ErrorMessage = "Google:Tasks:Location is required: the region of the queues, such as europe-west1.")]
    [RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Google:Tasks:Location must be a region id such as europe-west1.")]
    public string Location { get; set; } = "";

    /// <summary>The Cloud Tasks API; only tests point it elsewhere.</summary>
    [Required(ErrorMessage = "Google:Tasks:BaseAddress is required.")]
    public Uri BaseAddress { get; set; } = new("https://cloudtasks.googleapis.com/");

    /// <summary>
    /// The Cloud Run service that handles each stage, keyed by stage (render) or queue (vf-render). A task's URL
    /// is the service URL plus its path (/stages/render); the token's audience is the service URL.
    /// </summary>
    public Dictionary<string, Uri> ServiceUrls { get; set; } = [];

    /// <summary>For stages not in <see cref="ServiceUrls"/>: a URL with {stage} and/or {queue}, such as https://vf-{stage}-abc123-ew.a.run.app.</summary>
    public string? UrlTemplate { get; set; }

    /// <summary>The service account Cloud Tasks signs the OIDC token as; it needs roles/run.invoker on the services.</summary>
    [Required(ErrorMessage = "Google:Tasks:InvokerServiceAccount is required: the service account whose OIDC token Cloud Tasks sends to the stage services.")]
    [EmailAddress(ErrorMessage = "Google:Tasks:InvokerServiceAccount must be a service account email.")]
    public string InvokerServiceAccount { get; set; } = "";

    /// <summary>How long one API call may take before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a call that hit 408, 429, 5xx, a dropped connection or <see cref="AttemptTimeout"/>.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's wait; it doubles (with jitter) for each further retry, unless Retry-After says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ServiceUrls.Count == 0 && string.IsNullOrWhiteSpace(UrlTemplate))
        {
            yield return new ValidationResult(
                "Google:Tasks:ServiceUrls or Google:Tasks:UrlTemplate must say where each stage's tasks go (the Cloud Run service URL of the stage).",
                [nameof(ServiceUrls), nameof(UrlTemplate)]);
        }
        foreach (var (key, url) in ServiceUrls)
        {
            if (!IsHttpUrl(url))
            {
                yield return new ValidationResult($"Google:Tasks:ServiceUrls:{key} '{url}' must be an absolute http(s) URL.", [nameof(ServiceUrls)]);
            }
        }
        if (!string.IsNullOrWhiteSpace(UrlTemplate)
            && !(Uri.TryCreate(UrlTemplate.Replace("{stage}", "render", StringComparison.Ordinal).Replace("{queue}", "vf-render", StringComparison.Ordinal), UriKind.Absolute, out var sample) && IsHttpUrl(sample)))
        {
            yield return new ValidationResult($"Google:Tasks:UrlTemplate '{UrlTemplate}' must be an absolute http(s) URL once {{stage}} and {{queue}} are filled in.", [nameof(UrlTemplate)]);
        }
    }

    private static bool IsHttpUrl(Uri? url) => url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}

/// <summary>Source-generated validation of <see cref="CloudTasksOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class CloudTasksOptionsValidator : IValidateOptions<CloudTasksOptions>;
