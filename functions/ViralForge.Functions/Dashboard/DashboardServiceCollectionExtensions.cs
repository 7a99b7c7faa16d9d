using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Dashboard;

/// <summary>Registers the admin dashboard.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Settings from Dashboard (validated at start-up), its queries and actions, and antiforgery for its forms. Needs the
    /// add-on's registration (AddAddon) for the allow-list and the Google ID token check.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddAntiforgery();
        services.TryAddSingleton<DashboardQueries>();
        services.TryAddSingleton<DashboardActions>();
        services.TryAddSingleton<DashboardAccess>();
        return services;
    }
}
