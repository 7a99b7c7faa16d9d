using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>
/// How stage endpoints check Cloud Tasks' OIDC tokens (section "Google:Auth"): the audience each task was minted for
/// (this service's URL), the service accounts allowed to call, and where Google publishes its signing keys.
/// </summary>
public sealed class GoogleOidcOptions : IValidatableObject
{
    public const string SectionName = "Google:Auth";

    /// <summary>This service's URL, which Cloud Tasks puts in the token's aud (oidcToken.audience).</summary>
    [Required(ErrorMessage = "Google:Auth:Audience is required: the URL of this Cloud Run service, as given to Cloud Tasks as the OIDC audience.")]
    public string? Audience { get; set; }

    /// <summary>Service accounts whose tokens are accepted (the Cloud Tasks invoker). Empty is refused at start-up: it would refuse every task.</summary>
    [MinLength(1, ErrorMessage = "Google:Auth:AllowedServiceAccounts needs at least one email (the Cloud Tasks invoker service account); an empty list would refuse every task.")]
    public List<string> AllowedServiceAccounts { get; set; } = [];

    /// <summary>Google's JSON Web Key Set.</summary>
    [Required(ErrorMessage = "Google:Auth:JwksUri is required.")]
    public string JwksUri { get; set; } = "https://www.googleapis.com/oauth2/v3/certs";

    /// <summary>Both spellings Google uses for its issuer. Issuers set in configuration are added to these two (the binder appends to a list).</summary>
    [MinLength(1, ErrorMessage = "Google:Auth:Issuers needs at least one issuer.")]
    public List<string> Issuers { get; set; } = ["https://accounts.google.com", "accounts.google.com"];

    /// <summary>Tolerated clock difference for exp, nbf and iat: 0 to 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest fetched keys are used before fetching again; a shorter Cache-Control max-age from Google wins. A
    /// token with a key id not in the cache fetches sooner (Google publishes a new key before it signs with it).
    /// 1 minute to 1 day.
    /// </summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Checked here rather than with [Range]/[Url], whose messages from the source generator do not name the setting.
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult($"Google:Auth:ClockSkew {ClockSkew} must be from 0 to 5 minutes.", [nameof(ClockSkew)]);
        }
        if (KeyCacheDuration < TimeSpan.FromMinutes(1) || KeyCacheDuration > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"Google:Auth:KeyCacheDuration {KeyCacheDuration} must be from 1 minute to 1 day.", [nameof(KeyCacheDuration)]);
        }
        if (!IsHttpUrl(JwksUri))
        {
            yield return new ValidationResult($"Google:Auth:JwksUri '{JwksUri}' must be an http(s) URL.", [nameof(JwksUri)]);
        }
        // The attributes check the lists' length; an entry left blank (an unset environment variable) would pass them.
        for (var i = 0; i < AllowedServiceAccounts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(AllowedServiceAccounts[i]) || !AllowedServiceAccounts[i].Contains('@', StringComparison.Ordinal))
            {
                yield return new ValidationResult(
                    $"Google:Auth:AllowedServiceAccounts:{i} '{AllowedServiceAccounts[i]}' must be a service account email.", [nameof(AllowedServiceAccounts)]);
            }
        }
        for (var i = 0; i < Issuers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Issuers[i]))
            {
                yield return new ValidationResult($"Google:Auth:Issuers:{i} is empty.", [nameof(Issuers)]);
            }
        }
        if (Audience is not null && !IsHttpUrl(Audience))
        {
            yield return new ValidationResult(
                $"Google:Auth:Audience '{Audience}' must be this service's URL, such as https://vf-script-123456789012.europe-west1.run.app.", [nameof(Audience)]);
        }
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}

/// <summary>Validates <see cref="GoogleOidcOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class GoogleOidcOptionsValidator : IValidateOptions<GoogleOidcOptions>;
