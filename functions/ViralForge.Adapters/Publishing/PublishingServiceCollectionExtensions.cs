using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Publishing;

/// <summary>Registers the publishers: the local folder always, YouTube when its OAuth client is set, and the router between them.</summary>
public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="PublisherRouter"/> as the <see cref="IPublisher"/> (unless one is registered already), the local
    /// folder behind it, and the YouTube publisher when YouTube:ClientId is set (the OAuth client `vf connect youtube`
    /// uses; the section also holds <see cref="YouTubeOptions"/>), its settings validated at start-up. Other platform
    /// publishers (TikTok) register themselves as <see cref="IPlatformPublisher"/>; the router finds every one.
    /// </summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalFolderPublisher>();
        if (YouTubeConfigured(configuration))
        {
            services.AddOptions<YouTubeOptions>().Bind(configuration.GetSection(YouTubeOptions.SectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YouTubeOptions>, YouTubeOptionsValidator>());
            // No resilience handler: the publisher resumes interrupted chunks itself, and a repeated session start would
            // charge the insert's quota twice. No redirects: YouTube's 308 means "resume from here", not "go there".
            services.AddHttpClient(YouTubePublisher.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformPublisher, YouTubePublisher>());
            services.AddYouTubeAnalytics(configuration);
            // Before the offline "local folder" choice the profile adds: the first choice for a stage is the one in effect.
            services.AddProviderChoice(StageName.Publish, "youtube (resumable upload, quota deferred to midnight Pacific); other platforms to the local folder unless connected");
        }
        services.TryAddSingleton<IPublisher, PublisherRouter>();
        return services;
    }

    /// <summary>Whether YouTube publishing is on: its OAuth client id is set.</summary>
    public static bool YouTubeConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{YouTubeOptions.SectionName}:ClientId"]);
    }
}
