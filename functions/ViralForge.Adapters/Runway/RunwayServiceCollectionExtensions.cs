using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Runway;

/// <summary>Registers Runway as an AI video generator where its key is set.</summary>
public static class RunwayServiceCollectionExtensions
{
    /// <summary>
    /// With Runway:ApiKey set: <see cref="RunwayVideoGenerator"/> as one of the <see cref="IVideoGenerator"/>s, its
    /// settings from the Runway section validated at start-up. Without a key nothing is registered. The generator needs
    /// an <see cref="ICostLedger"/> and an <see cref="IBlobStore"/> when it is first resolved (the functions host has both).
    /// </summary>
    public static IServiceCollection AddRunway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsConfigured(configuration))
        {
            return services;
        }
        services.AddOptions<RunwayOptions>().Bind(configuration.GetSection(RunwayOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunwayOptions>, RunwayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // No resilience handler: the generator repeats only what cannot pay twice (polls, a create answered 429 or 5xx).
        services.AddHttpClient(RunwayVideoGenerator.HttpClientName);
        services.TryAddSingleton<RunwayVideoGenerator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVideoGenerator, RunwayVideoGenerator>(sp => sp.GetRequiredService<RunwayVideoGenerator>()));
        return services;
    }

    /// <summary>Whether Runway:ApiKey is set, so <see cref="AddRunway"/> registers the generator.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[RunwayOptions.ApiKeySetting]);
    }
}
