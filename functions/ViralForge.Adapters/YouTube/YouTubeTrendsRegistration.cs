using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.ServiceDefaults;

namespace ViralForge.Adapters.YouTube;

/// <summary>Registers the YouTube trends provider when YouTube:ApiKey is set (either profile); without it the offline sample stays.</summary>
public static class YouTubeTrendsRegistration
{
    /// <summary>
    /// The <see cref="YouTubeTrendsProvider"/> as the <see cref="ITrendsProvider"/>, its client, the snapshots in
    /// PostgreSQL and the refresher, with the settings validated at start-up, when YouTube:ApiKey is set. Before the
    /// profile's offline providers, which then leave the port alone.
    /// </summary>
    public static IServiceCollection AddYouTubeTrends(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrEmpty(configuration[YouTubeTrendsOptions.ApiKeySetting]))
        {
            return services;
        }
        services.AddOptions<YouTubeTrendsOptions>().Bind(configuration.GetSection(YouTubeTrendsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YouTubeTrendsOptions>, YouTubeTrendsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // No retry underneath: the client repeats a read itself, because YouTube charges every repeat and the ledger
        // must count it. The key is a header, and its value is redacted from the client's trace logging.
        services.AddHttpClient(YouTubeTrendsClient.HttpClientName)
            .RedactLoggedHeaders([YouTubeTrendsClient.ApiKeyHeader])
            .AddRetryAndAttemptTimeout<YouTubeTrendsOptions>("youtube-trends", _ => null, o => o.Timeout);
        services.TryAddSingleton<ITrendSnapshots, PostgresTrendSnapshots>();
        services.TryAddSingleton<YouTubeTrendsClient>();
        services.TryAddSingleton<YouTubeTrendsRefresher>();
        services.TryAddSingleton<ITrendsProvider, YouTubeTrendsProvider>();
        services.AddProviderChoice(StageName.Trends, "youtube mostPopular charts and topic searches, cached in PostgreSQL (TikTok rows: YouTube Shorts)");
        return services;
    }

    /// <summary>The periodic refresh where the local queue runs (<c>vf serve</c>); it does nothing without YouTube:ApiKey.</summary>
    public static IServiceCollection AddLocalTrendsRefresh(this IServiceCollection services)
    {
        services.AddHostedService<YouTubeTrendsRefreshService>();
        return services;
    }
}
