using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Functions.Auth;

/// <summary>
/// Whether a caller is trusted: yes, not authenticated at all (401), authenticated but not allowed (403), or not
/// decidable right now because what the check needs is out of reach (503, so the queue retries).
/// </summary>
public enum InboundVerdict
{
    Trusted,
    Unauthenticated,
    Forbidden,
    Unavailable,
}

/// <summary>The verdict and, when refused, why (for the log only: callers learn nothing beyond the status code).</summary>
public sealed record InboundDecision(InboundVerdict Verdict, string? Reason = null)
{
    public static InboundDecision Trusted { get; } = new(InboundVerdict.Trusted);

    public static InboundDecision Unauthenticated(string reason) => new(InboundVerdict.Unauthenticated, reason);

    public static InboundDecision Forbidden(string reason) => new(InboundVerdict.Forbidden, reason);

    public static InboundDecision Unavailable(string reason) => new(InboundVerdict.Unavailable, reason);
}

/// <summary>Decides whether a request comes from whom the endpoint trusts (the queue, the add-on, ...).</summary>
public interface IInboundAuthenticator
{
    ValueTask<InboundDecision> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Locally the dispatcher and the host share a random bearer token. Production replaces this with
/// Cloud Tasks OIDC token checks (<see cref="GoogleOidcAuthenticator"/>) behind the same interface.
/// </summary>
public sealed class LocalBearerAuthenticator(string token) : IInboundAuthenticator
{
    private readonly byte[] expected = Encoding.UTF8.GetBytes(token);

    public ValueTask<InboundDecision> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (BearerToken.From(request) is not { } presented)
        {
            return ValueTask.FromResult(InboundDecision.Unauthenticated("no bearer token"));
        }

        return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected)
            ? InboundDecision.Trusted
            : InboundDecision.Unauthenticated("wrong bearer token"));
    }
}

/// <summary>Reads "Authorization: Bearer &lt;token&gt;"; null when the header is missing, another scheme, or empty.</summary>
public static class BearerToken
{
    public static string? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > "Bearer ".Length
            ? header["Bearer ".Length..].Trim()
            : null;
    }
}

/// <summary>
/// The one place inbound auth outcomes become HTTP: 401 when the caller did not prove who it is, 403 when it did
/// and is not allowed, 503 (with Retry-After) when the check itself could not run. Runs before the handler, so a
/// refused request has no effect.
/// </summary>
public sealed class AuthenticateCaller(IInboundAuthenticator authenticator, ILogger<AuthenticateCaller> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var decision = await authenticator.AuthenticateAsync(http.Request, http.RequestAborted);
        switch (decision.Verdict)
        {
            case InboundVerdict.Trusted:
                return await next(context);
            case InboundVerdict.Forbidden:
                log.Refused(http.Request.Path, StatusCodes.Status403Forbidden, decision.Reason ?? "");
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            case InboundVerdict.Unavailable:
                log.Refused(http.Request.Path, StatusCodes.Status503ServiceUnavailable, decision.Reason ?? "");
                // The soonest the keys will be fetched again; Cloud Tasks backs off at least that long.
                http.Response.Headers.RetryAfter = ((int)GoogleSigningKeys.MinRefetchInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cannot check the caller now");
            default:
                log.Refused(http.Request.Path, StatusCodes.Status401Unauthorized, decision.Reason ?? "");
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
    }
}
