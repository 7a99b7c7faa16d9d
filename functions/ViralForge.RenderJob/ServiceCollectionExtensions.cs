using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters;
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
        return services
            .AddViralForgeCore(configuration)
            .AddProfileAdapters(ViralForgeProfiles.Read(configuration), configuration)
            .AddSingleton<RenderJobRunner>();
    }
}
