using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.Functions.Addon;

namespace ViralForge.Functions.Api;

/// <summary>Registers the public Jobs API.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Settings from Api (validated at start-up), the keys, idempotency answers, rate limiter and caller check, and the
    /// sheet registry's "api:" sheets. Call after the profile's adapters (it wraps their <see cref="ISheetRegistry"/>) and
    /// after <see cref="AddonServiceCollectionExtensions.AddAddon"/>, whose Google ID token check and allow-list it shares.
    /// </summary>
    public static IServiceCollection AddJobsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.AddAddon(configuration);
        services.TryAddSingleton<ApiKeys>();
        services.TryAddSingleton<ApiIdempotency>();
        services.TryAddSingleton<ApiRateLimiter>();
        services.TryAddSingleton<ApiAuthenticator>();
        DecorateSheetRegistry(services);
        return services;
    }

    /// <summary>Wraps the registered <see cref="ISheetRegistry"/> in <see cref="ApiSheetRegistry"/>, once.</summary>
    private static void DecorateSheetRegistry(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SheetRegistryDecorated)))
        {
            return;
        }
        services.AddSingleton<SheetRegistryDecorated>();
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ISheetRegistry) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            throw new InvalidOperationException("AddJobsApi needs the profile's sheet registry: call it after AddProfileAdapters.");
        }
        var inner = services[index];
        services[index] = ServiceDescriptor.Singleton<ISheetRegistry>(sp => new ApiSheetRegistry(Create(sp, inner)));
    }

    private static ISheetRegistry Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ISheetRegistry
        ?? descriptor.ImplementationFactory?.Invoke(services) as ISheetRegistry
        ?? (ISheetRegistry)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    /// <summary>Marks the sheet registry as wrapped, so a second AddJobsApi does not wrap it twice.</summary>
    private sealed class SheetRegistryDecorated;
}
