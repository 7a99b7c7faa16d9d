using System.Net;

namespace ViralForge.Bot.LocalPage;

/// <summary>
/// Who may use the review page: it is for the person at this machine. Requests must come over loopback and name a
/// loopback host (or the configured page address), so a web page elsewhere cannot reach it through DNS rebinding; a
/// decision must also come from this page's own origin (Origin, else Referer) and not be a cross-site fetch.
/// The antiforgery token is checked on top of this, by the endpoint.
/// </summary>
public static class CrossSiteGuard
{
    /// <summary>Null when the request may see the page, otherwise why not.</summary>
    public static string? RefuseNonLocal(HttpContext context, Uri? pageBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return "The review page answers only this machine (a loopback connection).";
        }
        var host = context.Request.Host.Host;
        if (!IsLoopbackName(host) && !string.Equals(host, pageBaseUrl?.Host, StringComparison.OrdinalIgnoreCase))
        {
            return "The review page answers only at localhost, a loopback address or ViralForge:Review:PageBaseUrl.";
        }
        return null;
    }

    /// <summary>Null when a state-changing request came from this page itself, otherwise why it is refused.</summary>
    public static string? RefuseCrossSite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site")
        {
            return "The decision came from another site (Sec-Fetch-Site: cross-site), so it was refused.";
        }
        var origin = request.Headers.Origin.ToString();
        var source = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        if (source.Length == 0 || source == "null")
        {
            return "The decision did not say which page sent it (no Origin or Referer), so it was refused.";
        }
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || !SameOrigin(uri, request))
        {
            return "The decision came from another site, so it was refused.";
        }
        return null;
    }

    private static bool SameOrigin(Uri uri, HttpRequest request)
    {
        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host.Trim('[', ']'), request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && uri.Port == port;
    }

    private static bool IsLoopbackName(string host)
    {
        host = host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
