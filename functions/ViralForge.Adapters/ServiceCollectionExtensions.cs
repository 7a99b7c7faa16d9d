using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Ports;
using ViralForge.Render;

namespace ViralForge.Adapters;

/// <summary>Registers the adapters behind the core's ports.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The job store, the review ledger and the schema migrator on one NpgsqlDataSource.</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(PostgresConnection.ToConnectionString(connectionString)).Build());
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<IJobStore, PostgresJobStore>();
        services.AddSingleton<IReviewLedger, PostgresReviewLedger>();
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

    /// <summary>Files, the CSV sheet and the offline providers: no account and no network. A port registered before this call keeps its registration.</summary>
    public static IServiceCollection AddLocalAdapters(this IServiceCollection services)
    {
        services.TryAddSingleton<IBlobStore, LocalBlobStore>();
        services.TryAddSingleton<ISheetRegistry, LocalSheetRegistry>();
        services.TryAddSingleton<ITrendsProvider, SampleTrendsProvider>();
        services.TryAddSingleton<IScriptWriter, TemplateScriptWriter>();
        services.TryAddSingleton<FfmpegRunner>();
        services.TryAddSingleton<IVisualsProvider, FfmpegVisualsProvider>();
        services.TryAddSingleton<IVoiceProvider, EspeakVoiceProvider>();
        services.TryAddSingleton<IRenderer, FfmpegRenderer>();
        services.TryAddSingleton<IPublisher, LocalFolderPublisher>();
        // The review channel is the core's (AddReview picks it from Review:Mode), not an adapter.
        return services;
    }
}
