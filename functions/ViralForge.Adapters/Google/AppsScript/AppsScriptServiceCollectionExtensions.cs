using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.ServiceDefaults;

namespace ViralForge.Adapters.Google.AppsScript;

/// <summary>Registers the Apps Script API client.</summary>
public static class AppsScriptServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="AppsScriptProjects"/> as <see cref="IAppsScriptProjects"/>, with settings from Google:AppsScript (validated
    /// at start-up). Register the user's token as <see cref="IGoogleAccessTokenSource"/> first: Application Default
    /// Credentials (the fallback) are usually a service account, which cannot edit a user's script.
    /// </summary>
    public static IServiceCollection AddAppsScriptProjects(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGoogleApiBasics<AppsScriptOptions, AppsScriptOptionsValidator>(configuration, AppsScriptOptions.SectionName);
        services.AddHttpClient(AppsScriptProjects.HttpClientName).AddGoogleResilience<AppsScriptOptions>(
            o => o.BaseAddress,
            // updateContent replaces every file: sending it again leaves the same project.
            o => ViralForgeResilience.ExponentialRetry(o.MaxRetryAttempts, o.RetryBaseDelay),
            o => o.AttemptTimeout);
        services.AddSingleton<IAppsScriptProjects, AppsScriptProjects>();
        return services;
    }
}
