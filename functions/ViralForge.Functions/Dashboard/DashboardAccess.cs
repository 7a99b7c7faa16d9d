using System.Net;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Functions.Addon;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Dashboard;

/// <summary>Who is looking at the dashboard: "local" at this machine, or the signed-in person's email.</summary>
public sealed record DashboardViewer(string Name, bool SignedIn);

/// <summary>The access check's answer: the viewer, or the status and the one sentence to show instead.</summary>
public sealed record DashboardAccessCheck(DashboardViewer? Viewer, int StatusCode = StatusCodes.Status200OK, string? Refusal = null, string? LogReason = null);

/// <summary>
/// Who may use the dashboard. Loopback (local): the request comes over loopback and names a loopback host (or
/// Review:PageBaseUrl's), so a page elsewhere cannot reach it through DNS rebinding, as on the review page. Google
/// (production): a Google ID token (the sign-in page's cookie, or Authorization: Bearer) checked by the shared
/// <see cref="GoogleIdTokenValidator"/> for Dashboard:OAuthClientId, whose verified email the add-on's allow-list
/// allows. Every change is also a same-origin form post with an antiforgery token (<see cref="RefuseCrossSite"/>).
/// </summary>
public sealed class DashboardAccess(
    IOptions<DashboardOptions> options, IOptions<AddonOptions> addon, IOptions<ViralForgeOptions> viralForge, IConfiguration configuration,
    GoogleIdTokenValidator tokens)
{
    internal const string SignInNeeded = "Sign in with Google to open the ViralForge dashboard.";
    internal const string CannotCheck = "ViralForge cannot check sign-ins right now; try again in a minute.";

    /// <summary>The mode in force: Dashboard:Auth, else loopback with the local profile and google with gcp.</summary>
    public static string Mode(DashboardOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Auth ?? (ViralForgeProfiles.Read(configuration) == ViralForgeProfile.Gcp ? DashboardOptions.GoogleAuth : DashboardOptions.LoopbackAuth);
    }

    public string CurrentMode => Mode(options.Value, configuration);

    /// <summary>False under google auth without Dashboard:OAuthClientId: nothing could sign in, so nothing is served.</summary>
    public bool Served => CurrentMode == DashboardOptions.LoopbackAuth || !string.IsNullOrWhiteSpace(options.Value.OAuthClientId);

    /// <summary>The client id the sign-in page asks Google for (null under loopback).</summary>
    public string? ClientId => CurrentMode == DashboardOptions.GoogleAuth ? options.Value.OAuthClientId : null;

    public async ValueTask<DashboardAccessCheck> CheckAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (CurrentMode == DashboardOptions.LoopbackAuth)
        {
            return RefuseNonLocal(http, viralForge.Value.Review.PageBaseUrl) is { } refusal
                ? new DashboardAccessCheck(null, StatusCodes.Status403Forbidden, refusal, refusal)
                : new DashboardAccessCheck(new DashboardViewer("local", SignedIn: false));
        }

        var token = BearerToken.From(http.Request) ?? (http.Request.Cookies[DashboardOptions.TokenCookie] is { Length: > 0 } cookie ? cookie : null);
        var check = await tokens.ValidateAsync(token, options.Value.OAuthClientId!, cancellationToken);
        if (check.Identity is not { } identity)
        {
            var refusal = check.Refusal!;
            return refusal.Verdict == InboundVerdict.Unavailable
                ? new DashboardAccessCheck(null, StatusCodes.Status503ServiceUnavailable, CannotCheck, refusal.Reason)
                : new DashboardAccessCheck(null, StatusCodes.Status401Unauthorized, SignInNeeded, refusal.Reason);
        }
        var admission = addon.Value.Admit(identity);
        return admission switch
        {
            { Admitted: true } => new DashboardAccessCheck(new DashboardViewer(admission.Email!, SignedIn: true)),
            { Email: null } => new DashboardAccessCheck(null, StatusCodes.Status403Forbidden,
                "Your Google account's email address is not verified, so ViralForge cannot tell who you are.", admission.Refusal),
            _ => new DashboardAccessCheck(null, StatusCodes.Status403Forbidden,
                $"{admission.Email} is not allowed to use ViralForge; ask whoever runs it to add you to Addon:AllowedEmails.", admission.Refusal),
        };
    }

    /// <summary>Null when the request may see the local dashboard, otherwise why not.</summary>
    public static string? RefuseNonLocal(HttpContext context, Uri? pageBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return "The dashboard answers only this machine (a loopback connection); in production set Dashboard:Auth to google.";
        }
        var host = context.Request.Host.Host.Trim('[', ']');
        var loopbackName = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        if (!loopbackName && !string.Equals(host, pageBaseUrl?.Host, StringComparison.OrdinalIgnoreCase))
        {
            return "The dashboard answers only at localhost, a loopback address or ViralForge:Review:PageBaseUrl.";
        }
        return null;
    }

    /// <summary>Null when a change came from the dashboard's own pages (Origin, else Referer, on this host), otherwise why not.</summary>
    public static string? RefuseCrossSite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site")
        {
            return "The request came from another site (Sec-Fetch-Site: cross-site), so nothing was changed.";
        }
        var origin = request.Headers.Origin.ToString();
        var source = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        if (source.Length == 0 || source == "null")
        {
            return "The request did not say which page sent it (no Origin or Referer), so nothing was changed.";
        }
        // The scheme is not compared: behind Cloud Run's front end the host sees http while the browser says https.
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Host.Trim('[', ']'), request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || (request.Host.Port is { } port && uri.Port != port))
        {
            return "The request came from another site, so nothing was changed.";
        }
        return null;
    }
}
