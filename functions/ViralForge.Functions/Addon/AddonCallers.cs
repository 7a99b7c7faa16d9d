using System.Globalization;
using Microsoft.Extensions.Options;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Addon;

/// <summary>The credentials an endpoint takes.</summary>
public enum AddonCredential
{
    /// <summary>The add-on's identity token.</summary>
    IdentityToken,

    /// <summary>The person's API key (the formula functions, which cannot get an identity token).</summary>
    ApiKey,

    /// <summary>Whatever the host trusts already (the queue) first, then the add-on's identity token or an API key.</summary>
    HostOrAddon,
}

/// <summary>
/// Checks an endpoint's caller before its handler runs, then the person's rate limit; refusals go through
/// <see cref="AuthenticateCaller.Refuse"/>, the one mapping to 401/403/503, with a sentence for the sidebar.
/// </summary>
public static class AddonCallers
{
    private const string CallerItem = "ViralForge.Addon.Caller";

    /// <summary>The person the filter let in; only on endpoints with <see cref="RequireAddonCaller{TBuilder}"/>.</summary>
    public static string Caller(HttpContext http) =>
        http.Items[CallerItem] as string ?? throw new InvalidOperationException("The endpoint has no add-on caller filter.");

    public static TBuilder RequireAddonCaller<TBuilder>(this TBuilder builder, AddonCredential credential) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var log = services.GetRequiredService<ILogger<AddonAuthenticator>>();
            var check = await CheckAsync(credential, http, services);
            var decision = check.Decision;
            if (decision.Verdict != InboundVerdict.Trusted)
            {
                return AuthenticateCaller.Refuse(http, decision, log, check.Detail);
            }
            if (decision.Caller is { } caller)
            {
                var limiter = services.GetRequiredService<AddonRateLimiter>();
                if (!limiter.TryAcquire(caller, out var retryAfter))
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                    var perMinute = services.GetRequiredService<IOptions<AddonOptions>>().Value.RequestsPerMinute;
                    log.RateLimited(caller, http.Request.Path, seconds);
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                        detail: $"Too many requests from {caller}: {perMinute} a minute are allowed; try again in {seconds} s.");
                }
                http.Items[CallerItem] = caller;
            }
            return await next(context);
        });

    private static async ValueTask<AddonCheck> CheckAsync(AddonCredential credential, HttpContext http, IServiceProvider services)
    {
        var addon = services.GetRequiredService<AddonAuthenticator>();
        var cancellationToken = http.RequestAborted;
        switch (credential)
        {
            case AddonCredential.IdentityToken:
                return await addon.IdentityTokenAsync(http.Request, cancellationToken);
            case AddonCredential.ApiKey:
                return await addon.ApiKeyAsync(http.Request, cancellationToken);
            default:
                var host = await services.GetRequiredService<IInboundAuthenticator>().AuthenticateAsync(http.Request, cancellationToken);
                if (host.Verdict == InboundVerdict.Trusted || !services.GetRequiredService<IOptions<AddonOptions>>().Value.Enabled)
                {
                    return new AddonCheck(host);
                }
                var person = BearerToken.From(http.Request)?.StartsWith(AddonKeys.Prefix, StringComparison.Ordinal) == true
                    ? await addon.ApiKeyAsync(http.Request, cancellationToken)
                    : await addon.IdentityTokenAsync(http.Request, cancellationToken);
                // Neither let it in: answer with the more telling refusal (a genuine token for someone not allowed
                // beats a token meant for the other kind of caller).
                return person.Decision.Verdict == InboundVerdict.Trusted || Rank(person.Decision) >= Rank(host) ? person : new AddonCheck(host);
        }
    }

    private static int Rank(InboundDecision decision) => decision.Verdict switch
    {
        InboundVerdict.Forbidden => 2,
        InboundVerdict.Unavailable => 1,
        _ => 0,
    };
}
