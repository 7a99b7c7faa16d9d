using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Pexels;
using ViralForge.Adapters.Pixabay;
using ViralForge.Adapters.Postgres;
using ViralForge.Adapters.Runway;
using ViralForge.Adapters.Vertex;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Visuals;

/// <summary>Registers the visuals: the ffmpeg generator always, Pexels and Pixabay when their keys are set, and the router.</summary>
public static class VisualsServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="VisualsRouter"/> as the <see cref="IVisualsProvider"/> (unless one is registered already), the
    /// <see cref="FfmpegVisualsProvider"/> behind it, each stock site whose key (Pexels:ApiKey, Pixabay:ApiKey) is set
    /// with its settings validated at start-up, the search cache, and the sheet's clip history from PostgreSQL.
    /// The video models (<see cref="IVideoGenerator"/>) are registered by their own extensions; the router takes all there are.
    /// </summary>
    public static IServiceCollection AddVisuals(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<VisualsOptions>().Bind(configuration.GetSection(VisualsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VisualsOptions>, VisualsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Render.FfmpegRunner>();
        services.TryAddSingleton<FfmpegVisualsProvider>();
        services.TryAddSingleton<StockSearchCache>();
        // Both profiles keep jobs in PostgreSQL; a host without it (a test) has no history and repeats clips freely.
        services.TryAddSingleton<IClipHistory>(sp => sp.GetService<NpgsqlDataSource>() is { } database ? new PostgresClipHistory(database) : new InMemoryClipHistory());
        if (IsSet(configuration, PexelsOptions.ApiKeySetting))
        {
            services.AddOptions<PexelsOptions>().Bind(configuration.GetSection(PexelsOptions.SectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PexelsOptions>, PexelsOptionsValidator>());
            // No resilience handler: the client repeats only what is safe itself (StockHttp) and counts every request
            // against Pexels' hourly limit, which blind retries underneath it would spend unseen.
            // The key travels in the Authorization header: its value is never written by the client's trace logging.
            services.AddHttpClient(PexelsClient.HttpClientName).RedactLoggedHeaders(["Authorization"]);
            services.TryAddSingleton<PexelsClient>();
            services.AddSingleton<IStockFootageSource>(sp => sp.GetRequiredService<PexelsClient>());
        }
        if (IsSet(configuration, PixabayOptions.ApiKeySetting))
        {
            services.AddOptions<PixabayOptions>().Bind(configuration.GetSection(PixabayOptions.SectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PixabayOptions>, PixabayOptionsValidator>());
            services.AddHttpClient(PixabayClient.HttpClientName);
            services.TryAddSingleton<PixabayClient>();
            services.AddSingleton<IStockFootageSource>(sp => sp.GetRequiredService<PixabayClient>());
        }
        // The video models register themselves only where their key (Runway:ApiKey) or project (Veo:Project) is set.
        services.AddRunway(configuration);
        services.AddVeo(configuration);
        services.TryAddSingleton<IVisualsProvider, VisualsRouter>();
        if (DescribeVisualsProviders(configuration) is { } line)
        {
            // Before the offline "ffmpeg backgrounds" choice the profile adds: the first choice for a stage is the one in effect.
            services.AddProviderChoice(StageName.Visuals, line);
        }
        return services;
    }

    /// <summary>
    /// The visuals stage's start-up line when a stock site or video model is configured ("stock: pexels, pixabay; ai:
    /// none; default generated"), or null when only the offline generator makes visuals.
    /// </summary>
    public static string? DescribeVisualsProviders(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var listed = configuration.GetSection($"{VisualsOptions.SectionName}:{nameof(VisualsOptions.StockSources)}").Get<List<string>>();
        var order = listed is { Count: > 0 } ? listed.Distinct(StringComparer.Ordinal).ToList() : [.. VisualsOptions.DefaultStockSources];
        var stock = order.Where(s => s switch
        {
            VisualsOptions.Pexels => IsSet(configuration, PexelsOptions.ApiKeySetting),
            VisualsOptions.Pixabay => IsSet(configuration, PixabayOptions.ApiKeySetting),
            _ => false,
        }).ToList();
        // The video models' own settings (their adapters' sections); the line names what the router will find.
        var ai = new List<string>();
        if (IsSet(configuration, RunwayOptions.ApiKeySetting))
        {
            ai.Add(VisualsOptions.Runway);
        }
        if (IsSet(configuration, VeoOptions.ProjectSetting))
        {
            ai.Add(VisualsOptions.Veo);
        }
        if (stock.Count == 0 && ai.Count == 0)
        {
            return null;
        }
        var asked = configuration[$"{VisualsOptions.SectionName}:{nameof(VisualsOptions.AiProvider)}"];
        if (!string.IsNullOrWhiteSpace(asked) && ai.Remove(asked))
        {
            ai.Insert(0, asked);
        }
        var defaults = configuration[$"{ViralForgeOptions.SectionName}:{nameof(ViralForgeOptions.Defaults)}:{nameof(RowDefaultsOptions.Visuals)}"];
        var byDefault = string.IsNullOrWhiteSpace(defaults) ? VideoChoices.DefaultVisuals : defaults.Trim().ToLowerInvariant();
        return $"stock: {(stock.Count == 0 ? "none" : string.Join(", ", stock))}; ai: {(ai.Count == 0 ? "none" : string.Join(", ", ai))}; default {byDefault}";
    }

    private static bool IsSet(IConfiguration configuration, string setting) => !string.IsNullOrWhiteSpace(configuration[setting]);
}
