using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>
/// How stage endpoints check Cloud Tasks' OIDC tokens (section "Google:Auth"): the audience each task was minted for
/// (this service's URL), the service accounts allowed to call, and where Google publishes its signing keys.
/// </summary>
public sealed class GoogleOidcOptions
{
    public const string SectionName = "Google:Auth";

    /// <summary>This service's URL, which Cloud Tasks puts in the token's aud (oidcToken.audience).</summary>
    [Required(ErrorMessage = "Google:Auth:Audience is required: the URL of this Cloud Run service, as given to Cloud Tasks as the OIDC audience.")]
    [Url(ErrorMessage = "Google:Auth:Audience must be a URL such as https://vf-script-abc-uc.a.run.app.")]
    public string? Audience { get; set; }

    /// <summary>Service accounts whose tokens are accepted (the Cloud Tasks invoker). Empty refuses everyone.</summary>
    [MinLength(1, ErrorMessage = "Google:Auth:AllowedServiceAccounts needs at least one email (the Cloud Tasks invoker service account); an empty list would refuse every task.")]
    public List<string> AllowedServiceAccounts { get; set; } = [];

    /// <summary>Google's JSON Web Key Set.</summary>
    [Required, Url(ErrorMessage = "Google:Auth:JwksUri must be a URL.")]
    public string JwksUri { get; set; } = "https://www.googleapis.com/oauth2/v3/certs";

    /// <summary>Both spellings Google uses for its issuer.</summary>
    [MinLength(1, ErrorMessage = "Google:Auth:Issuers needs at least one issuer.")]
    public List<string> Issuers { get; set; } = ["https://accounts.google.com", "accounts.google.com"];

    /// <summary>Tolerated clock difference for exp, nbf and iat.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Google:Auth:ClockSkew must be from 0 to 5 minutes.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long fetched keys are used before fetching again (Google rotates them every few days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Google:Auth:KeyCacheDuration must be from 1 minute to 1 day.")]
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Validates <see cref="GoogleOidcOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class GoogleOidcOptionsValidator : IValidateOptions<GoogleOidcOptions>;
