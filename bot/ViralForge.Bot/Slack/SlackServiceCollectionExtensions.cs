using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.ServiceDefaults;

namespace ViralForge.Bot.Slack;

/// <summary>Registers the Slack review surface, and maps its interaction endpoint.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Slack's settings (validated at start-up either way), and, only when Slack:BotToken, Slack:SigningSecret and
    /// Slack:Channel are all set: the Web API client, the signature verifier, the interaction handler, the responder and
    /// <see cref="SlackReviewPoster"/> as an <see cref="IReviewPoster"/>. With none of them set the bot runs without Slack.
    /// </summary>
    public static IServiceCollection AddSlackReview(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());

        var section = configuration.GetSection(SlackOptions.SectionName);
        var configured = new SlackOptions { BotToken = section["BotToken"], SigningSecret = section["SigningSecret"], Channel = section["Channel"] }.IsConfigured;
        if (!configured)
        {
            // Off, or half set up, which ValidateOnStart reports naming what is missing.
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<SlackWebApiClient>((provider, client) =>
            {
                var o = provider.GetRequiredService<IOptions<SlackOptions>>().Value;
                client.BaseAddress = o.ApiBaseUrl.AbsoluteUri.EndsWith('/') ? o.ApiBaseUrl : new Uri(o.ApiBaseUrl.AbsoluteUri + "/");
            })
            // What is safe to repeat depends on the Web API method (see SlackWebApiClient); a 429's Retry-After is the
            // wait Slack asks for.
            .AddRetryAndAttemptTimeout<SlackOptions>(
                "slack",
                o => ViralForgeResilience.ExponentialRetry(o.MaxRetryAttempts, o.RetryBaseDelay,
                    args => ValueTask.FromResult(SlackWebApiClient.ShouldRetry(args.Outcome, args.Context.GetRequestMessage()))),
                o => o.RequestTimeout);

        services.AddSingleton<SlackSignatureVerifier>();
        services.AddSingleton<SlackUserNames>();
        services.AddSingleton<SlackResponder>();
        services.AddHostedService(provider => provider.GetRequiredService<SlackResponder>());
        services.AddTransient<SlackInteractionHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReviewPoster, SlackReviewPoster>());
        return services;
    }

    /// <summary>POST /slack/interactions; 404 when Slack is off. Slack's signature, not the queue's token, guards it.</summary>
    public static IEndpointRouteBuilder MapSlackInteractions(this IEndpointRouteBuilder app)
    {
        app.MapPost(SlackInteractionHandler.Path, async Task<IResult> (HttpContext http) =>
            http.RequestServices.GetService<SlackInteractionHandler>() is { } handler
                ? await handler.HandleAsync(http.Request, http.RequestAborted)
                : Results.NotFound());
        return app;
    }
}
