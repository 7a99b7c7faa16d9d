using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Addon;

/// <summary>Registers the Sheets add-on's backend.</summary>
public static class AddonServiceCollectionExtensions
{
    /// <summary>
    /// Settings from Addon (validated at start-up), the shared Google ID token check, the API keys, the rate limiter and
    /// the caller checks. Registered in every profile; <see cref="AddonEndpoints.MapAddonEndpoints"/> serves the
    /// endpoints only when Addon:OAuthClientId is set.
    /// </summary>
    public static IServiceCollection AddAddon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AddonOptions>().Bind(configuration.GetSection(AddonOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AddonOptions>, AddonOptionsValidator>());
        services.AddGoogleIdTokens(configuration);
        services.TryAddSingleton<AddonKeys>();
        services.TryAddSingleton<AddonRateLimiter>();
        services.TryAddSingleton<AddonAuthenticator>();
        return services;
    }
}
