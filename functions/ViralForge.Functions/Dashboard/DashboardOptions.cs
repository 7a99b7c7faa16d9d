using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Dashboard;

/// <summary>
/// The admin dashboard (section "Dashboard", docs/DASHBOARD.md): who may open it and how it pages and streams. The
/// people allowed are the add-on's (Addon:AllowedEmails and Addon:AllowedDomains), so one list says who runs ViralForge.
/// </summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Dashboard";

    /// <summary>Loopback: only this machine, no sign-in (the default with the local profile).</summary>
    public const string LoopbackAuth = "loopback";

    /// <summary>Google sign-in: a Google ID token for <see cref="OAuthClientId"/> whose verified email is allowed (the default with the gcp profile).</summary>
    public const string GoogleAuth = "google";

    /// <summary>The cookie the sign-in page stores the Google ID token in (an Authorization: Bearer header works too).</summary>
    public const string TokenCookie = "vf-dashboard-id";

    /// <summary>loopback or google; unset picks loopback with the local profile and google with gcp.</summary>
    public string? Auth { get; set; }

    /// <summary>
    /// The OAuth web client id the sign-in page asks Google Identity Services for tokens with: the aud every token must
    /// carry. With google auth and no client id the dashboard is not served (404), so a deployment without one shows nothing.
    /// </summary>
    public string? OAuthClientId { get; set; }

    /// <summary>Jobs per page of the list (default 25).</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>How often the /events stream asks the database what changed (default 1 s; one small query per open page).</summary>
    public TimeSpan EventsPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Auth is not (null or LoopbackAuth or GoogleAuth))
        {
            yield return new ValidationResult($"Dashboard:Auth '{Auth}' is not a mode; use {LoopbackAuth} (this machine only) or {GoogleAuth} (Google sign-in).", [nameof(Auth)]);
        }
        if (PageSize is < 1 or > 500)
        {
            yield return new ValidationResult($"Dashboard:PageSize {PageSize} must be from 1 to 500.", [nameof(PageSize)]);
        }
        if (EventsPollInterval < TimeSpan.FromMilliseconds(100) || EventsPollInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Dashboard:EventsPollInterval {EventsPollInterval} must be from 00:00:00.1 to 00:01:00.", [nameof(EventsPollInterval)]);
        }
        if (OAuthClientId is { } client && client.Trim().Length != client.Length)
        {
            yield return new ValidationResult("Dashboard:OAuthClientId has spaces around it; it must equal the tokens' aud exactly.", [nameof(OAuthClientId)]);
        }
    }
}

/// <summary>Runs <see cref="DashboardOptions.Validate"/> at start-up (ValidateOnStart) and checks google auth has someone to let in.</summary>
internal sealed class DashboardOptionsValidator(IOptions<Addon.AddonOptions> addon, IConfiguration configuration) : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!).ToList();
        if (DashboardAccess.Mode(options, configuration) == DashboardOptions.GoogleAuth && !string.IsNullOrWhiteSpace(options.OAuthClientId)
            && addon.Value.AllowedEmails.Count == 0 && addon.Value.AllowedDomains.Count == 0)
        {
            failures.Add("Dashboard:OAuthClientId is set but Addon:AllowedEmails and Addon:AllowedDomains are empty, so nobody could sign in; name who may use ViralForge there.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
