using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ViralForge.Core;
using ViralForge.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace ViralForge.RenderJob;

/// <summary>
/// The render job from start to exit code: read the environment, build the host, render once. Program
/// calls this with the process's environment; tests call it with their own, down the same path.
/// </summary>
public static class RenderJobEntry
{
    public const string ApplicationName = "viralforge-render-job";

    /// <param name="environment">The variables to run with (VF_JOB_ID, VF_GENERATION, CLOUD_RUN_*, VF_DATABASE_URL, ViralForge__*); they win over the process's own.</param>
    /// <param name="errors">Where configuration problems are written, one per line (stderr in Program).</param>
    /// <param name="cancellationToken">Stops the render, as SIGTERM and Ctrl+C do.</param>
    /// <param name="configureServices">Registrations made before the job's own (tests put simulated credentials here).</param>
    public static async Task<int> RunAsync(
        string[] args, IDictionary environment, TextWriter errors, CancellationToken cancellationToken = default, Action<IServiceCollection>? configureServices = null)
    {
        try
        {
            // Settings first: a malformed override is reported before anything touches the blob store.
            var settings = RenderJobSettings.FromEnvironment(environment);
            using var host = CreateHost(args, environment, configureServices);
            StartupProblems.ValidateSettings(host.Services);
            await host.StartAsync(cancellationToken);

            // Stopping is what the console lifetime signals on SIGTERM and Ctrl+C: the render is cancelled, nothing is
            // stored as its result, and the process exits instead of being killed mid-write.
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            var code = await host.Services.GetRequiredService<RenderJobRunner>().RunAsync(settings, stop.Token);
            await host.StopAsync(CancellationToken.None);
            return code;
        }
        catch (Exception ex) when (StartupProblems.Of(ex) is { } problems)
        {
            await WriteProblemsAsync(errors, problems);
            return RenderJobExitCodes.BadConfiguration;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RenderJobExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // The host could not be built or started (the runner handles everything after that). Said on
            // stderr because the logger may not exist yet, and not swallowed: a non-zero exit is retried.
            await WriteProblemsAsync(errors, [ex.ToString()]);
            return RenderJobExitCodes.Unexpected;
        }
    }

    /// <summary>The generic host with the host defaults (Cloud Logging-shaped JSON on the console) and the job's services.</summary>
    public static IHost CreateHost(string[] args, IDictionary environment, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = ApplicationName });
        builder.Configuration.AddInMemoryCollection(AsConfiguration(environment));
        builder.Configuration.AddCommandLine(args);

        // The job only ever runs on Cloud Run (or in its tests), so its lines are always Cloud Logging's JSON.
        builder.AddViralForgeDefaults(LogFormat.CloudLogging);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);

        configureServices?.Invoke(builder.Services);
        builder.Services.AddRenderJob(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Environment variables as configuration keys, with the environment provider's rule: A__B is A:B.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            var key = entry.Key.ToString();
            if (!string.IsNullOrEmpty(key))
            {
                yield return new(key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), entry.Value?.ToString());
            }
        }
    }

    private static Task WriteProblemsAsync(TextWriter errors, IReadOnlyList<string> problems) =>
        StartupProblems.WriteAsync(ApplicationName, errors, problems);
}
