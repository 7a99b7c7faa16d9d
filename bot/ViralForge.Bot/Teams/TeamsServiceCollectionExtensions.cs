using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using ViralForge.Core.Ports;
using ViralForge.Functions.Auth;
using ViralForge.ServiceDefaults;

namespace ViralForge.Bot.Teams;

/// <summary>Registers the Teams review surface and maps its messaging endpoint.</summary>
public static class TeamsServiceCollectionExtensions
{
    /// <summary>Where Teams (the Bot Connector) posts activities: the bot's messaging endpoint.</summary>
    public const string MessagesPath = "/api/messages";

    /// <summary>The HttpClient that fetches Bot Framework's OpenID metadata and keys.</summary>
    public const string KeysHttpClientName = "teams-keys";

    /// <summary>
    /// Teams settings (validated at start-up, so a half-configured Teams fails the start naming what is missing), and,
    /// only when Teams is configured, the token checks, the Connector client, the invoke handler and the poster.
    /// </summary>
    public static IServiceCollection AddTeamsReview(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TeamsOptions>().Bind(configuration.GetSection(TeamsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        if (!TeamsOptions.IsConfigured(configuration))
        {
            return services;
        }
        services.TryAddSingleton(TimeProvider.System);

        // Teams waits for the answer to a click, so the fetch of the keys stays short.
        services.AddSigningKeys<BotFrameworkSigningKeys>(KeysHttpClientName, attemptTimeout: TimeSpan.FromSeconds(4), totalTimeout: TimeSpan.FromSeconds(10));
        services.AddSingleton<BotFrameworkTokenValidator>();

        // Asking for a token changes nothing at Microsoft, so every transient failure is retried.
        services.AddHttpClient(BotFrameworkTokenSource.HttpClientName)
            .AddTeamsResilience(HttpClientResiliencePredicates.IsTransient);
        services.AddSingleton<BotFrameworkTokenSource>();
        services.TryAddTransient<BotConnectorAuthHandler>();

        // POST creates a message: retried only when Teams says it did nothing (throttled, precondition); see BotConnectorClient.
        services.AddHttpClient(BotConnectorClient.SendClientName)
            .AddTeamsResilience(outcome => outcome.Result is { } r && r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed)
            .AddHttpMessageHandler<BotConnectorAuthHandler>();
        // PUT replaces an activity with the same content: throttling, gateway errors and timeouts are all retried.
        services.AddHttpClient(BotConnectorClient.UpdateClientName)
            .AddTeamsResilience(outcome => outcome.Exception is TimeoutRejectedException
                || outcome.Result is { } r && r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
                    or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            .AddHttpMessageHandler<BotConnectorAuthHandler>();
        services.AddSingleton<BotConnectorClient>();

        services.AddSingleton<TeamsInvokeHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewPoster, TeamsReviewPoster>());
        return services;
    }

    /// <summary>
    /// POST /api/messages: the Connector's token is checked first (401/403, and the body read only after), then a card
    /// click ("adaptiveCard/action" invoke) is answered with the next card; every other activity gets 200 and is
    /// ignored. 404 when Teams is not configured.
    /// </summary>
    public static IEndpointRouteBuilder MapTeamsMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost(MessagesPath, async (HttpContext http) =>
        {
            var services = http.RequestServices;
            if (services.GetService<BotFrameworkTokenValidator>() is not { } validator)
            {
                return Results.NotFound();
            }
            var log = services.GetRequiredService<ILogger<TeamsInvokeHandler>>();
            var inbound = await validator.ValidateAsync(http.Request, http.RequestAborted);
            if (!inbound.Trusted)
            {
                log.TeamsRefused(inbound.Status, inbound.Reason ?? "");
                if (inbound.Status == StatusCodes.Status401Unauthorized)
                {
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                }
                else if (inbound.Status == StatusCodes.Status503ServiceUnavailable)
                {
                    http.Response.Headers.RetryAfter = ((int)BotFrameworkSigningKeys.MinRefetchInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }
                return Results.StatusCode(inbound.Status);
            }

            var activity = inbound.Activity!;
            if (activity.Type != "invoke" || activity.Name != TeamsInvokeHandler.InvokeName)
            {
                log.TeamsIgnored(activity.Type ?? "untyped");
                return Results.Ok();
            }
            var answer = await services.GetRequiredService<TeamsInvokeHandler>().HandleAsync(activity, http.RequestAborted);
            return Results.Text(answer.ToJsonString(), "application/json; charset=utf-8", statusCode: StatusCodes.Status200OK);
        });
        return app;
    }

    /// <summary>The outside clients' pipeline (<see cref="ViralForgeResilience"/>) with Teams' retry settings, retrying what <paramref name="retryable"/> allows.</summary>
    private static IHttpClientBuilder AddTeamsResilience(this IHttpClientBuilder http, Func<Outcome<HttpResponseMessage>, bool> retryable) =>
        http.AddRetryAndAttemptTimeout<TeamsOptions>(
            http.Name,
            o => ViralForgeResilience.ExponentialRetry(o.MaxRetryAttempts, o.RetryBaseDelay, args => ValueTask.FromResult(retryable(args.Outcome))),
            o => o.AttemptTimeout);
}
