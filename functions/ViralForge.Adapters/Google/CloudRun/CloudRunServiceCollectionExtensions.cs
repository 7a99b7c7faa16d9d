using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>Registers the Cloud Run jobs client and the render job launcher.</summary>
public static class CloudRunServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="CloudRunJobsClient"/> and <see cref="RenderJobLauncher"/>, with settings from Google:CloudRun (validated at
    /// start-up) and Application Default Credentials unless an <see cref="IGoogleAccessTokenSource"/> is already registered.
    /// </summary>
    public static IServiceCollection AddCloudRunRenderJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CloudRunOptions>()
            .Bind(configuration.GetSection(CloudRunOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CloudRunOptions>, CloudRunOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGoogleAccessTokenSource, ApplicationDefaultTokenSource>();
        services.TryAddTransient<GoogleAuthHandler>();

        var http = services.AddHttpClient(CloudRunJobsClient.HttpClientName, (provider, client) =>
        {
            client.BaseAddress = provider.GetRequiredService<IOptions<CloudRunOptions>>().Value.BaseAddress;
            // The resilience handler times each attempt; HttpClient's own 100 s would cut across retries.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        // Outside the auth handler, so every attempt asks for a current token.
        http.AddResilienceHandler(CloudRunJobsClient.HttpClientName, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<CloudRunOptions>>().Value;
            if (o.MaxRetryAttempts > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(args.Context.GetRequestMessage()?.Method == HttpMethod.Get
                        ? HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        : CannotHaveRun(args.Outcome)),
                });
            }
            pipeline.AddTimeout(o.AttemptTimeout);
        });
        http.AddHttpMessageHandler<GoogleAuthHandler>();

        services.AddSingleton<CloudRunJobsClient>();
        services.AddSingleton<RenderJobLauncher>();
        return services;
    }

    /// <summary>
    /// jobs:run makes a new execution every time it gets through, so a POST is repeated only when it cannot have: quota
    /// refused it (429), or no connection was ever made. A 5xx or a timeout may hide a started execution; the caller's
    /// retry goes through <see cref="RenderJobLauncher"/>, which looks for it first.
    /// </summary>
    private static bool CannotHaveRun(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
        || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}
