using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.TikTok;
using ViralForge.Core.Metrics;
using ViralForge.ServiceDefaults;

namespace ViralForge.Adapters.YouTube;

/// <summary>Registers the analytics loop's readers: YouTube's beside the YouTube publisher, TikTok's beside the TikTok one.</summary>
public static class YouTubeAnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="YouTubeAnalyticsClient"/> as an <see cref="IVideoStatsReader"/>, its settings (section YouTubeAnalytics)
    /// validated at start-up; its client retries 429, 5xx and timeouts a little (reads are safe to repeat) before the queue does.
    /// </summary>
    public static IServiceCollection AddYouTubeAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<YouTubeAnalyticsOptions>().Bind(configuration.GetSection(YouTubeAnalyticsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YouTubeAnalyticsOptions>, YouTubeAnalyticsOptionsValidator>());
        services.AddHttpClient(YouTubeAnalyticsClient.HttpClientName)
            .AddRetryAndAttemptTimeout<YouTubeAnalyticsOptions>(YouTubeAnalyticsClient.HttpClientName,
                o => ViralForgeResilience.ExponentialRetry(o.MaxRetries, o.RetryBaseDelay), o => o.Timeout);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVideoStatsReader, YouTubeAnalyticsClient>());
        return services;
    }

    /// <summary><see cref="TikTokVideoQueryClient"/> as an <see cref="IVideoStatsReader"/>, on TikTok's settings (its timeout and retries).</summary>
    public static IServiceCollection AddTikTokVideoQuery(this IServiceCollection services)
    {
        services.AddHttpClient(TikTokVideoQueryClient.HttpClientName)
            .AddRetryAndAttemptTimeout<TikTokOptions>(TikTokVideoQueryClient.HttpClientName,
                o => ViralForgeResilience.ExponentialRetry(o.MaxRetries, o.RetryBaseDelay), o => o.Timeout);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVideoStatsReader, TikTokVideoQueryClient>());
        return services;
    }
}
