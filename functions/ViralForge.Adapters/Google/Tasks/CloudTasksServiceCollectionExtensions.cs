using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ViralForge.Core.Ports;
using ViralForge.ServiceDefaults;

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
        services.AddGoogleApiBasics<CloudTasksOptions, CloudTasksOptionsValidator>(configuration, CloudTasksOptions.SectionName);
        services.AddHttpClient(CloudTasksQueue.HttpClientName).AddGoogleResilience<CloudTasksOptions>(
            o => o.BaseAddress,
            // Every call is safe to repeat: creates are named (a repeat answers 409), queue patches are idempotent.
            o => ViralForgeResilience.ExponentialRetry(o.MaxRetryAttempts, o.RetryBaseDelay),
            o => o.AttemptTimeout);

        services.AddSingleton<CloudTasksQueue>();
        services.TryAddSingleton<ITaskQueue>(provider => provider.GetRequiredService<CloudTasksQueue>());
        services.AddSingleton<CloudTasksQueueAdmin>();
        return services;
    }
}
