using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Google.Tasks;

/// <summary>Registers Cloud Tasks as the task queue.</summary>
public static class CloudTasksServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="CloudTasksQueue"/> as <see cref="ITaskQueue"/> and <see cref="CloudTasksQueueAdmin"/>, with settings from
    /// Google:Tasks (validated at start-up) and Application Default Credentials unless an
    /// <see cref="IGoogleAccessTokenSource"/> is already registered.
    /// </summary>
    public static IServiceCollection AddCloudTasksQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CloudTasksOptions>()
            .Bind(configuration.GetSection(CloudTasksOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CloudTasksOptions>, CloudTasksOptionsValidator>());
        services.TryAddSingleton<IGoogleAccessTokenSource, ApplicationDefaultTokenSource>();
        services.TryAddTransient<GoogleAuthHandler>();

        var http = services.AddHttpClient(CloudTasksQueue.HttpClientName, (provider, client) =>
        {
            client.BaseAddress = provider.GetRequiredService<IOptions<CloudTasksOptions>>().Value.BaseAddress;
            // The resilience handler times each attempt; HttpClient's own 100 s would cut across retries.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        // Outside the auth handler, so every attempt asks for a current token.
        http.AddResilienceHandler(CloudTasksQueue.HttpClientName, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<CloudTasksOptions>>().Value;
            if (o.MaxRetryAttempts > 0)
            {
                // Every call is safe to repeat: creates are named (a repeat answers 409), queue patches are idempotent.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
            }
            pipeline.AddTimeout(o.AttemptTimeout);
        });
        http.AddHttpMessageHandler<GoogleAuthHandler>();

        services.AddSingleton<CloudTasksQueue>();
        services.AddSingleton<ITaskQueue>(provider => provider.GetRequiredService<CloudTasksQueue>());
        services.AddSingleton<CloudTasksQueueAdmin>();
        return services;
    }
}
