using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ViralForge.Adapters.Google;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Vertex;

/// <summary>Registers Veo on Vertex AI as an AI video generator where its project is set.</summary>
public static class VeoServiceCollectionExtensions
{
    /// <summary>
    /// With Veo:Project set: <see cref="VeoVideoGenerator"/> as one of the <see cref="IVideoGenerator"/>s, its settings
    /// from the Veo section validated at start-up, calling as Application Default Credentials unless an
    /// <see cref="IGoogleAccessTokenSource"/> is registered already. Without a project nothing is registered. The generator
    /// needs an <see cref="ICostLedger"/> and an <see cref="IBlobStore"/> when it is first resolved.
    /// </summary>
    public static IServiceCollection AddVeo(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsConfigured(configuration))
        {
            return services;
        }
        services.AddGoogleApiBasics<VeoOptions, VeoOptionsValidator>(configuration, VeoOptions.SectionName);
        // No resilience handler: the generator repeats only what cannot pay twice (polls, a start answered 429 or 5xx).
        services.AddHttpClient(VeoVideoGenerator.HttpClientName);
        services.TryAddSingleton<VeoVideoGenerator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVideoGenerator, VeoVideoGenerator>(sp => sp.GetRequiredService<VeoVideoGenerator>()));
        return services;
    }

    /// <summary>Whether Veo:Project is set, so <see cref="AddVeo"/> registers the generator.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[VeoOptions.ProjectSetting]);
    }
}
