using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.OpenAI;
using ViralForge.Adapters.Postgres;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.Publishing;
using ViralForge.Adapters.Visuals;
using ViralForge.Adapters.Voices;
using ViralForge.Adapters.YouTube;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.Render;

namespace ViralForge.Adapters;

/// <summary>Registers the adapters behind the core's ports.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The job store, the review and cost ledgers and the schema migrator on one NpgsqlDataSource (both profiles).</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(PostgresConnection.ToConnectionString(connectionString)).Build());
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<IJobStore, PostgresJobStore>();
        services.AddSingleton<IReviewLedger, PostgresReviewLedger>();
        services.AddSingleton<ICostLedger, PostgresCostLedger>();
        services.AddSingleton<IRenderSpeed, PostgresRenderSpeed>();
        // The analytics loop's table and its tasks (the publish stage schedules them where there is a store to keep reads in).
        services.AddSingleton<Core.Metrics.IVideoMetricsStore, PostgresVideoMetrics>();
        services.AddSingleton<Core.Metrics.MetricsTasks>();
        return services;
    }

    /// <summary>The task queue in PostgreSQL and the dispatcher that delivers its tasks to this host.</summary>
    public static IServiceCollection AddLocalTaskQueue(this IServiceCollection services, string bearerToken)
    {
        services.AddSingleton<ITaskQueue, PostgresTaskQueue>();
        services.AddSingleton(new LocalQueueTarget(bearerToken));
        services.AddHttpClient(LocalTaskDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHostedService<LocalTaskDispatcher>();
        return services;
    }

    /// <summary>
    /// The adapters of one profile, each port registered once: <see cref="AddLocalAdapters"/> or
    /// <see cref="GoogleCloudServiceCollectionExtensions.AddGoogleCloudAdapters"/>. Every registration is a TryAdd, so a
    /// host or test that registers its own adapter for a port first keeps it; no profile relies on another's order.
    /// The real content providers whose key is set come first (OpenAI:ApiKey: the OpenAI script writer and moderator),
    /// in either profile, so the offline ones fill only the ports left.
    /// </summary>
    public static IServiceCollection AddProfileAdapters(this IServiceCollection services, ViralForgeProfile profile, IConfiguration configuration) => profile switch
    {
        ViralForgeProfile.Local => services.AddOpenAI(configuration).AddVoices(configuration).AddVisuals(configuration).AddPlatformAccounts(configuration).AddTikTok(configuration).AddPublishing(configuration).AddYouTubeTrends(configuration).AddLocalAdapters(),
        ViralForgeProfile.Gcp => services.AddOpenAI(configuration).AddVoices(configuration).AddVisuals(configuration).AddPlatformAccounts(configuration).AddTikTok(configuration).AddPublishing(configuration).AddYouTubeTrends(configuration).AddGoogleCloudAdapters(configuration),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown profile."),
    };

    /// <summary>Files, the CSV sheet, FFmpeg in-process as the renderer, and the offline providers: no account and no network.</summary>
    public static IServiceCollection AddLocalAdapters(this IServiceCollection services)
    {
        services.TryAddSingleton<IBlobStore, LocalBlobStore>();
        services.TryAddSingleton<ISheetRegistry, LocalSheetRegistry>();
        services.TryAddSingleton<IRenderer>(sp => sp.GetRequiredService<InProcessRenderer>());
        services.AddProviderChoice(StageName.Render, "ffmpeg in this process");
        return services.AddOfflineProviders();
    }

    /// <summary>
    /// The content providers that need no account (sample trends, the template writer, FFmpeg visuals, espeak-ng, the
    /// folder publisher) and the FFmpeg renderer, which the render job runs in every profile.
    /// </summary>
    public static IServiceCollection AddOfflineProviders(this IServiceCollection services)
    {
        services.TryAddSingleton<ITrendsProvider, SampleTrendsProvider>();
        services.TryAddSingleton<IScriptWriter, TemplateScriptWriter>();
        services.TryAddSingleton<ITrendInsightWriter, NoTrendInsightWriter>();
        services.TryAddSingleton<IScriptModerator, PassThroughScriptModerator>();
        services.TryAddSingleton<FfmpegRunner>();
        services.TryAddSingleton<IVisualsProvider, FfmpegVisualsProvider>();
        services.TryAddSingleton<IVoiceProvider, EspeakVoiceProvider>();
        services.TryAddSingleton<FfmpegRenderer>();
        services.TryAddSingleton<InProcessRenderer>();
        services.TryAddSingleton<IPublisher, LocalFolderPublisher>();
        // What the start-up report says where no real provider was registered first (the first choice per stage wins).
        services.AddProviderChoice(StageName.Trends, "sample trends (offline)");
        services.AddProviderChoice(StageName.Script, "template writer (offline)");
        services.AddProviderChoice(StageName.Visuals, "ffmpeg backgrounds (offline)");
        services.AddProviderChoice(StageName.Voice, "espeak-ng (offline)");
        services.AddProviderChoice(StageName.Render, "ffmpeg");
        services.AddProviderChoice(StageName.Publish, "local folder (offline)");
        return services;
    }
}
