using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ViralForge.Core;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters;

/// <summary>Says at start-up, one line per stage, which provider each stage of this host uses.</summary>
public sealed class ProviderReport(IEnumerable<ProviderChoice> choices, ILogger<ProviderReport> log) : IHostedService
{
    /// <summary>The lines, in pipeline order: "script: openai gpt-4o-mini", "voice: espeak-ng (offline)".</summary>
    public IReadOnlyList<string> Lines { get; } = [.. ProviderChoices.InEffect(choices).Select(c => c.ToString())];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var line in Lines)
        {
            log.StageProvider(line);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Registers the start-up provider report and checks the paid providers' keys.</summary>
public static class ProviderReportServiceCollectionExtensions
{
    /// <summary>
    /// Checks every paid provider's key that is set (<see cref="ProviderKeys"/>), so a malformed one stops the host with
    /// one line naming the setting, before anything is built that would use it; then registers <see cref="ProviderReport"/>.
    /// Call it after the profile's adapters, whose registrations add the choices.
    /// </summary>
    public static IServiceCollection AddProviderReport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (ProviderKeys.Problems(configuration) is { Count: > 0 } problems)
        {
            throw new ViralForgeSettingsException(problems);
        }
        services.AddSingleton<ProviderReport>();
        services.AddHostedService(sp => sp.GetRequiredService<ProviderReport>());
        return services;
    }
}
