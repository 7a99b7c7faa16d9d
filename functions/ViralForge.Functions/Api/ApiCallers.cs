using System.Globalization;
using Microsoft.Extensions.Options;
using ViralForge.Functions.Addon;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Api;

/// <summary>
/// Who called a /v1 endpoint: <paramref name="Name"/> is the key's owner or the Google account's email (what the job's
/// history records for a decision), <paramref name="Scheme"/> "api-key" or "google", <paramref name="KeyId"/> the key's id.
/// </summary>
public sealed record ApiCaller(string Name, ApiScope Scope, string Scheme, long? KeyId = null)
{
    public const string ApiKeyScheme = "api-key";
    public const string GoogleScheme = "google";

    /// <summary>What the rate limit counts against: the key, or the Google account.</summary>
    public string RateLimitPartition => KeyId is { } id ? $"key:{id.ToString(CultureInfo.InvariantCulture)}" : $"google:{Name}";
}

/// <summary>The scope an endpoint needs, as endpoint metadata (<see cref="ApiCallers.RequireApiScope{TBuilder}"/>).</summary>
public sealed record ApiScopeRequirement(ApiScope Scope);

/// <summary>An API caller's check: the caller, or the refusal with the sentence the client is shown.</summary>
public sealed record ApiCheck(ApiCaller? Caller, InboundDecision? Refusal = null, string? Detail = null);

/// <summary>
/// Checks the credentials of a /v1 request: an API key ("vfa_…", sql/013_api_keys.sql) with its scope, or a Google ID
/// token (the add-on's validator, aud Api:GoogleAudience or Addon:OAuthClientId) whose verified email is on the add-on's
/// allow-list; such a person may write.
/// </summary>
public sealed class ApiAuthenticator(ApiKeys keys, GoogleIdTokenValidator tokens, IOptions<ApiOptions> api, IOptions<AddonOptions> addon)
{
    internal const string NoCredentials = "Send an API key or a Google ID token as \"Authorization: Bearer <token>\".";
    internal const string KeyFailed = "The API key is malformed, unknown or revoked; make a new one with vf api-key create or POST /v1/keys.";
    internal const string TokenFailed = "The Google ID token could not be verified (signature, audience, issuer or expiry); get a fresh one.";
    internal const string CannotCheck = "ViralForge cannot check Google sign-ins right now; try again in a minute.";
    internal const string NoGoogle = "This server takes only API keys: Google ID tokens need Api:GoogleAudience (or Addon:OAuthClientId) set.";

    /// <summary>The audience Google ID tokens must carry, or null when the API takes only keys.</summary>
    public string? GoogleAudience => api.Value.GoogleAudience is { Length: > 0 } audience ? audience : addon.Value.OAuthClientId is { Length: > 0 } client ? client : null;

    public async ValueTask<ApiCheck> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (BearerToken.From(request) is not { Length: > 0 } token)
        {
            return new ApiCheck(null, InboundDecision.Unauthenticated("no bearer token"), NoCredentials);
        }
        if (token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            return await keys.FindAsync(token, cancellationToken) is { } holder
                ? new ApiCheck(new ApiCaller(holder.Owner, holder.Scope, ApiCaller.ApiKeyScheme, holder.Id))
                : new ApiCheck(null, InboundDecision.Unauthenticated("the API key is malformed, unknown or revoked"), KeyFailed);
        }
        if (GoogleAudience is not { } audience)
        {
            return new ApiCheck(null, InboundDecision.Unauthenticated("not an API key, and Google ID tokens are off"), NoGoogle);
        }
        var check = await tokens.ValidateAsync(token, audience, cancellationToken);
        if (check.Identity is not { } identity)
        {
            var unavailable = check.Refusal!.Verdict == InboundVerdict.Unavailable;
            return new ApiCheck(null, check.Refusal, unavailable ? CannotCheck : TokenFailed);
        }
        var admission = addon.Value.Admit(identity);
        return admission switch
        {
            { Admitted: true } => new ApiCheck(new ApiCaller(admission.Email!, ApiScope.Write, ApiCaller.GoogleScheme)),
            { Email: null } => new ApiCheck(null, InboundDecision.Forbidden(admission.Refusal!),
                "The Google account's email address is not verified, so ViralForge cannot tell who you are."),
            _ => new ApiCheck(null, InboundDecision.Forbidden(admission.Refusal!),
                $"{admission.Email} is not allowed to use ViralForge; ask whoever runs it to add you (Addon:AllowedEmails or Addon:AllowedDomains)."),
        };
    }
}

/// <summary>
/// The /v1 group's filter and what endpoints ask of it. Every endpoint on the group authenticates its caller
/// (<see cref="ApiAuthenticator"/>), counts against the caller's rate limit (429 with Retry-After), and checks the scope the
/// endpoint needs: <see cref="RequireApiScope{TBuilder}"/> when given, otherwise read for GET and HEAD and write for every
/// other method. Refusals are problem+json (401, 403, 429, 503); the handler then never runs.
/// </summary>
public static class ApiCallers
{
    private const string CallerItem = "ViralForge.Api.Caller";

    /// <summary>The caller the filter let in; only inside the /v1 group.</summary>
    public static ApiCaller Caller(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[CallerItem] as ApiCaller ?? throw new InvalidOperationException("The endpoint is not on the /v1 group (MapJobsApi).");
    }

    /// <summary>Says which scope the endpoint needs (e.g. write for a POST a read key must not make).</summary>
    public static TBuilder RequireApiScope<TBuilder>(this TBuilder builder, ApiScope scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiScopeRequirement(scope));

    /// <summary>The scope a request to this endpoint needs.</summary>
    public static ApiScope RequiredScope(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.GetEndpoint()?.Metadata.GetMetadata<ApiScopeRequirement>() is { } requirement)
        {
            return requirement.Scope;
        }
        return HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? ApiScope.Read : ApiScope.Write;
    }

    /// <summary>Authentication, rate limit and scope, in that order, for every endpoint of the group.</summary>
    internal static RouteGroupBuilder RequireApiCaller(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var log = services.GetRequiredService<ILogger<ApiAuthenticator>>();
            var check = await services.GetRequiredService<ApiAuthenticator>().AuthenticateAsync(http.Request, http.RequestAborted);
            if (check.Caller is not { } caller)
            {
                return AuthenticateCaller.Refuse(http, check.Refusal!, log, check.Detail);
            }
            if (!services.GetRequiredService<ApiRateLimiter>().TryAcquire(caller.RateLimitPartition, out var retryAfter))
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var perMinute = services.GetRequiredService<IOptions<ApiOptions>>().Value.RequestsPerMinute;
                log.ApiRateLimited(caller.RateLimitPartition, http.Request.Path, seconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                    detail: $"Too many requests with this {(caller.KeyId is null ? "Google account" : "API key")}: {perMinute} a minute are allowed; try again in {seconds} s.");
            }
            var needed = RequiredScope(http);
            if (needed == ApiScope.Write && caller.Scope != ApiScope.Write)
            {
                return AuthenticateCaller.Refuse(http, InboundDecision.Forbidden($"a read key of {caller.Name} on a write endpoint"), log,
                    $"This API key can only read; {http.Request.Method} {http.Request.Path} needs a key with write scope.");
            }
            http.Items[CallerItem] = caller;
            return await next(context);
        });
}

/// <summary>Requests per minute per API key or Google account (<see cref="ApiOptions.RequestsPerMinute"/>), in <see cref="Auth.PerCallerWindows"/>.</summary>
public sealed class ApiRateLimiter(IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly Auth.PerCallerWindows windows = new(time, StringComparer.Ordinal);

    /// <summary>Takes one request from the partition's allowance; when none is left, how long until the window ends.</summary>
    public bool TryAcquire(string partition, out TimeSpan retryAfter) => windows.TryAcquire(partition, options.Value.RequestsPerMinute, out retryAfter);
}
