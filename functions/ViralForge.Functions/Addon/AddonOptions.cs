using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Addon;

/// <summary>
/// The Google Sheets add-on's backend (section "Addon", docs/ADDON_API.md): whose identity tokens are accepted, who
/// may call, and how much. Without <see cref="OAuthClientId"/> the add-on's endpoints are not served (404).
/// </summary>
public sealed class AddonOptions : IValidatableObject
{
    public const string SectionName = "Addon";

    /// <summary>
    /// The add-on's Apps Script OAuth client id: the aud of the identity tokens ScriptApp.getIdentityToken() makes
    /// (decode one token to learn it). Unset turns the add-on's endpoints off.
    /// </summary>
    public string? OAuthClientId { get; set; }

    /// <summary>People allowed to use the add-on, by email (case does not matter).</summary>
    public List<string> AllowedEmails { get; set; } = [];

    /// <summary>
    /// Domains whose people may use the add-on (example.com): the token's email must be at the domain and, when the
    /// token names a Workspace domain (hd), that too must be on this list.
    /// </summary>
    public List<string> AllowedDomains { get; set; } = [];

    /// <summary>Requests each person may make in a minute, over all add-on endpoints.</summary>
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>The most rows one POST /jobs may carry (the add-on sends 50).</summary>
    public int MaxRowsPerRequest { get; set; } = 100;

    /// <summary>The most job ids one POST /jobs/status may carry.</summary>
    public int MaxStatusIdsPerRequest { get; set; } = 500;

    /// <summary>Whether the add-on's endpoints are served.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(OAuthClientId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Checked here rather than with [Range], whose messages from the source generator do not name the setting.
        if (RequestsPerMinute is < 1 or > 10_000)
        {
            yield return new ValidationResult($"Addon:RequestsPerMinute {RequestsPerMinute} must be from 1 to 10000.", [nameof(RequestsPerMinute)]);
        }
        if (MaxRowsPerRequest is < 1 or > 1_000)
        {
            yield return new ValidationResult($"Addon:MaxRowsPerRequest {MaxRowsPerRequest} must be from 1 to 1000.", [nameof(MaxRowsPerRequest)]);
        }
        if (MaxStatusIdsPerRequest is < 1 or > 5_000)
        {
            yield return new ValidationResult($"Addon:MaxStatusIdsPerRequest {MaxStatusIdsPerRequest} must be from 1 to 5000.", [nameof(MaxStatusIdsPerRequest)]);
        }
        for (var i = 0; i < AllowedEmails.Count; i++)
        {
            var email = AllowedEmails[i]?.Trim() ?? "";
            if (email.Length == 0 || email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@'))
            {
                yield return new ValidationResult($"Addon:AllowedEmails:{i} '{AllowedEmails[i]}' must be an email such as ana@example.com.", [nameof(AllowedEmails)]);
            }
        }
        for (var i = 0; i < AllowedDomains.Count; i++)
        {
            var domain = AllowedDomains[i]?.Trim() ?? "";
            if (domain.Length == 0 || domain.Contains('@', StringComparison.Ordinal) || !domain.Contains('.', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"Addon:AllowedDomains:{i} '{AllowedDomains[i]}' must be a domain such as example.com (no @).", [nameof(AllowedDomains)]);
            }
        }
        if (Enabled && AllowedEmails.Count == 0 && AllowedDomains.Count == 0)
        {
            yield return new ValidationResult(
                "Addon:AllowedEmails or Addon:AllowedDomains must name who may use the add-on; with Addon:OAuthClientId set and both empty, everyone would be refused.",
                [nameof(AllowedEmails), nameof(AllowedDomains)]);
        }
        if (OAuthClientId is { } client && client.Trim().Length != client.Length)
        {
            yield return new ValidationResult("Addon:OAuthClientId has spaces around it; it must equal the tokens' aud exactly.", [nameof(OAuthClientId)]);
        }
    }

    /// <summary>
    /// Who a Google ID token lets in, by the one rule the add-on, the Jobs API and the dashboard share: a verified email,
    /// trimmed and lower-cased, that <see cref="Allows"/>. Each caller words the refusal for its own reader; the
    /// <see cref="GoogleAdmission.Refusal"/> here is the reason for the log.
    /// </summary>
    public GoogleAdmission Admit(Auth.GoogleIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Email is not { Length: > 0 } raw || !identity.EmailVerified)
        {
            return new GoogleAdmission(null, "the token has no verified email");
        }
        var email = raw.Trim().ToLowerInvariant();
        return Allows(email, identity.HostedDomain)
            ? new GoogleAdmission(email, null)
            : new GoogleAdmission(email, $"{email} (hd {identity.HostedDomain ?? "none"}) is not on Addon:AllowedEmails or Addon:AllowedDomains");
    }

    /// <summary>
    /// Whether a verified email may use the add-on: on <see cref="AllowedEmails"/>, or at a domain on
    /// <see cref="AllowedDomains"/> whose Workspace domain (hd, when the token has one) is allowed too.
    /// </summary>
    public bool Allows(string email, string? hostedDomain)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (AllowedEmails.Any(e => string.Equals(e.Trim(), email, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        var at = email.LastIndexOf('@');
        if (at <= 0)
        {
            return false;
        }
        var domain = email[(at + 1)..];
        return IsAllowedDomain(domain) && (hostedDomain is null || IsAllowedDomain(hostedDomain));
    }

    private bool IsAllowedDomain(string domain) =>
        AllowedDomains.Any(d => string.Equals(d.Trim(), domain, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Validates <see cref="AddonOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class AddonOptionsValidator : IValidateOptions<AddonOptions>;

/// <summary>What <see cref="AddonOptions.Admit"/> made of a Google identity.</summary>
/// <param name="Email">The verified email, normalised; null when the token has none.</param>
/// <param name="Refusal">Why it is not let in, for the log; null when it is.</param>
public sealed record GoogleAdmission(string? Email, string? Refusal)
{
    public bool Admitted => Refusal is null;
}
