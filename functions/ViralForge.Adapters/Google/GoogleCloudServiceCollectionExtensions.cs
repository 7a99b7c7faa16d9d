using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Providers;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Adapters.Google.Storage;
using ViralForge.Adapters.Google.Tasks;

namespace ViralForge.Adapters.Google;

/// <summary>The gcp profile: Google's services behind the ports, each validated at start-up from its own section.</summary>
public static class GoogleCloudServiceCollectionExtensions
{
    /// <summary>
    /// Cloud Tasks (Google:Tasks), Cloud Storage (Google:Storage), Cloud Run jobs as the renderer (Google:CloudRun) and
    /// the Google Sheets registry (Google:Sheets). The content providers (trends, script, visuals, voice, publisher) are
    /// still the offline ones until their production adapters exist, so the images carry ffmpeg and espeak-ng.
    /// </summary>
    public static IServiceCollection AddGoogleCloudAdapters(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddCloudTasksQueue(configuration)
            .AddCloudStorageBlobStore(configuration)
            .AddCloudRunRenderJobs(configuration)
            .AddGoogleSheets(configuration)
            .AddProviderChoice(StageName.Render, "cloud run job")
            .AddOfflineProviders();
}
