using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters;
using ViralForge.Adapters.Google;
using ViralForge.Core;

namespace ViralForge.RenderJob;

/// <summary>Registers the render job: the settings, the blob store and renderer of the configured profile, and the runner.</summary>
public static class ServiceCollectionExtensions
{
    /// <remarks>
    /// No database: the job reads its request from the blob store and answers there, and the render stage's delivery
    /// does every write to the job store. No schema migration either: the functions host owns the schema.
    /// </remarks>
    public static IServiceCollection AddRenderJob(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ViralForgeOptions.SectionName);
        return services
            .AddViralForgeCore(configuration)
            .AddProfileAdapters(section["Profile"] ?? "local", section["Review:Mode"] ?? "auto", configuration)
            .AddSingleton<RenderJobRunner>();
    }

    /// <summary>The adapters behind the ports for one profile; the job uses the blob store and the in-process renderer.</summary>
    public static IServiceCollection AddProfileAdapters(this IServiceCollection services, string profile, string reviewMode, IConfiguration configuration) => profile switch
    {
        "gcp" => services.AddGoogleCloudAdapters(configuration, reviewMode),
        "local" => services.AddLocalAdapters(reviewMode),
        _ => throw new RenderJobSettingsException(
            [$"{ViralForgeOptions.SectionName}__Profile '{profile}' is not a profile; use 'local' or 'gcp'."]),
    };
}
