using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Functions;

/// <summary>Decides whether a request comes from whom the endpoint trusts (the queue, the add-on, ...).</summary>
public interface IInboundAuthenticator
{
    /// <summary>Null when the caller is trusted, otherwise why not (for the log, never for the caller).</summary>
    string? Reject(HttpRequest request);
}

/// <summary>
/// Locally the dispatcher and the host share a random bearer token. Production replaces this with
/// Cloud Tasks OIDC token checks behind the same interface.
/// </summary>
public sealed class LocalBearerAuthenticator(string token) : IInboundAuthenticator
{
    private readonly byte[] expected = Encoding.UTF8.GetBytes(token);

    public string? Reject(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return "no Authorization header";
        }
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "Authorization is not a bearer token";
        }
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..]);
        return CryptographicOperations.FixedTimeEquals(presented, expected) ? null : "wrong bearer token";
    }
}

/// <summary>An endpoint filter that answers 401 to untrusted callers before the handler runs.</summary>
internal sealed class AuthenticateCaller(IInboundAuthenticator authenticator, ILogger<AuthenticateCaller> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var reason = authenticator.Reject(context.HttpContext.Request);
        if (reason is not null)
        {
            log.LogWarning("Refused {Path}: {Reason}", context.HttpContext.Request.Path, reason);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
        return await next(context);
    }
}
