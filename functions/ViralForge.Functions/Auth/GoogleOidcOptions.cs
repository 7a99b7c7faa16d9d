using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>
/// How stage endpoints check Cloud Tasks' OIDC tokens (section "Google:Auth"): the audience each task was minted for
/// (this service's URL) and the service accounts allowed to call, on top of the key and token settings every Google ID
/// token check shares (<see cref="GoogleIdTokenOptions"/>).
/// </summary>
public sealed class GoogleOidcOptions : GoogleIdTokenOptions
{
    /// <summary>This service's URL, which Cloud Tasks puts in the token's aud (oidcToken.audience).</summary>
    [Required(ErrorMessage = "Google:Auth:Audience is required: the URL of this Cloud Run service, as given to Cloud Tasks as the OIDC audience.")]
    public string? Audience { get; set; }

    /// <summary>Service accounts whose tokens are accepted (the Cloud Tasks invoker). Empty is refused at start-up: it would refuse every task.</summary>
    [MinLength(1, ErrorMessage = "Google:Auth:AllowedServiceAccounts needs at least one email (the Cloud Tasks invoker service account); an empty list would refuse every task.")]
    public List<string> AllowedServiceAccounts { get; set; } = [];

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }
        // The attributes check the list's length; an entry left blank (an unset environment variable) would pass them.
        for (var i = 0; i < AllowedServiceAccounts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(AllowedServiceAccounts[i]) || !AllowedServiceAccounts[i].Contains('@', StringComparison.Ordinal))
            {
                yield return new ValidationResult(
                    $"Google:Auth:AllowedServiceAccounts:{i} '{AllowedServiceAccounts[i]}' must be a service account email.", [nameof(AllowedServiceAccounts)]);
            }
        }
        if (Audience is not null && !IsHttpUrl(Audience))
        {
            yield return new ValidationResult(
                $"Google:Auth:Audience '{Audience}' must be this service's URL, such as https://vf-script-123456789012.europe-west1.run.app.", [nameof(Audience)]);
        }
    }
}

/// <summary>Validates <see cref="GoogleOidcOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class GoogleOidcOptionsValidator : IValidateOptions<GoogleOidcOptions>;
