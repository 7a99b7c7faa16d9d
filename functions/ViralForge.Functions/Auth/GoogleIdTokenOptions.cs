using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>
/// What every check of a Google ID token shares, whoever the token is for (section "Google:Auth"): where Google
/// publishes its signing keys, how long they are kept, the issuers Google signs as, and the clock skew allowed. The
/// audience and the allow-list belong to each kind of caller: Cloud Tasks (<see cref="GoogleOidcOptions"/>) and the
/// Sheets add-on (Addon:OAuthClientId and its allow-lists).
/// </summary>
public class GoogleIdTokenOptions : IValidatableObject
{
    public const string SectionName = "Google:Auth";

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

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
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
        for (var i = 0; i < Issuers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Issuers[i]))
            {
                yield return new ValidationResult($"Google:Auth:Issuers:{i} is empty.", [nameof(Issuers)]);
            }
        }
    }

    protected static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}

/// <summary>Validates <see cref="GoogleIdTokenOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class GoogleIdTokenOptionsValidator : IValidateOptions<GoogleIdTokenOptions>;
