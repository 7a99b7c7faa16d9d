using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.RenderJob;

/// <summary>Registers the render job: the core, the store, the adapters of the configured profile, and the runner.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddRenderJob(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ViralForgeOptions.SectionName);
        var databaseUrl = configuration[PostgresConnection.EnvironmentVariable] ?? section["DatabaseUrl"]
            ?? throw new RenderJobSettingsException(
                [$"No database: set {PostgresConnection.EnvironmentVariable} (a postgres:// URL or an Npgsql connection string)."]);

        // No schema migration here: the functions host owns the schema, and a render task only exists for
        // a job that host already made. A job image must not change the database under a running host.
        return services
            .AddViralForgeCore(configuration)
            .AddPostgresStore(databaseUrl)
            .AddProfileAdapters(section["Profile"] ?? "local", configuration)
            .AddSingleton<RenderJobRunner>();
    }

    /// <summary>The adapters behind the ports for one profile; the gcp profile slots in here.</summary>
    public static IServiceCollection AddProfileAdapters(this IServiceCollection services, string profile, IConfiguration configuration) => profile switch
    {
        // The same Google adapters as the functions host: it reads from Cloud Storage, enqueues review on Cloud Tasks.
        "gcp" => services.AddGoogleCloudAdapters(configuration),
        // Enqueue only: the functions host's dispatcher delivers the review task this job enqueues.
        "local" => services
            .AddLocalAdapters()
            .AddSingleton<ITaskQueue, PostgresTaskQueue>(),
        _ => throw new RenderJobSettingsException(
            [$"{ViralForgeOptions.SectionName}__Profile '{profile}' is not a profile; use 'local' or 'gcp'."]),
    };
}
