using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Functions.Auth;

/// <summary>Whether a caller is trusted: yes, not authenticated at all (401), or authenticated but not allowed (403).</summary>
public enum InboundVerdict
{
    Trusted,
    Unauthenticated,
    Forbidden,
}

/// <summary>The verdict and, when refused, why (for the log only: callers learn nothing beyond the status code).</summary>
public sealed record InboundDecision(InboundVerdict Verdict, string? Reason = null)
{
    public static InboundDecision Trusted { get; } = new(InboundVerdict.Trusted);

    public static InboundDecision Unauthenticated(string reason) => new(InboundVerdict.Unauthenticated, reason);

    public static InboundDecision Forbidden(string reason) => new(InboundVerdict.Forbidden, reason);
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
/// and is not allowed. Runs before the handler, so a refused request has no effect.
/// </summary>
internal sealed partial class AuthenticateCaller(IInboundAuthenticator authenticator, ILogger<AuthenticateCaller> log) : IEndpointFilter
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
                Refused(log, http.Request.Path, 403, decision.Reason ?? "");
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            default:
                Refused(log, http.Request.Path, 401, decision.Reason ?? "");
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Refused {Path} with {Status}: {Reason}")]
    private static partial void Refused(ILogger logger, string path, int status, string reason);
}
