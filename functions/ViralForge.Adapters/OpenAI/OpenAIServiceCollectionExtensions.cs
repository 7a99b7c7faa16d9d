using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.OpenAI;

/// <summary>Registers the OpenAI providers where a key is set.</summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// With OpenAI:ApiKey set: <see cref="OpenAIScriptWriter"/> as <see cref="IScriptWriter"/> and
    /// <see cref="OpenAIModerator"/> as <see cref="IScriptModerator"/>, their settings from the OpenAI section validated
    /// at start-up; and, where ViralForge:Analysis:Insight is on (<see cref="AnalysisOptions.InsightOn"/>: by default in
    /// the gcp profile), <see cref="OpenAIInsightWriter"/> as <see cref="ITrendInsightWriter"/>. Without a key nothing is registered and the offline writer and pass-through moderator stay. Both
    /// need an <see cref="ICostLedger"/> (the host's store registers it) when they are first resolved. Call before the offline providers: every
    /// registration is a TryAdd, the first one wins.
    /// </summary>
    public static IServiceCollection AddOpenAI(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Read first: ViralForge:Analysis:Insight=true without a key stops the host naming both settings.
        var insight = AnalysisOptions.InsightOn(configuration, ViralForgeProfiles.Read(configuration), IsConfigured(configuration));
        if (!IsConfigured(configuration))
        {
            return services;
        }
        services.AddOptions<OpenAIOptions>().Bind(configuration.GetSection(OpenAIOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIOptions>, OpenAIOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OpenAICallPolicy>();
        // Factories, so that a host that never runs the script stage (the render job, which has no database and so no
        // cost ledger) still builds with the key in its environment; the functions host resolves them with its stages.
        services.TryAddSingleton<IScriptWriter>(sp => ActivatorUtilities.CreateInstance<OpenAIScriptWriter>(sp));
        services.TryAddSingleton<IScriptModerator>(sp => ActivatorUtilities.CreateInstance<OpenAIModerator>(sp));
        // Before the offline choice the local and gcp adapters add: the first choice for a stage is the one in effect.
        services.AddProviderChoice(StageName.Script, DescribeScriptProvider(configuration)!);
        if (insight)
        {
            services.TryAddSingleton<ITrendInsightWriter>(sp => ActivatorUtilities.CreateInstance<OpenAIInsightWriter>(sp));
            services.AddProviderChoice(StageName.Analysis, DescribeInsightProvider(configuration));
        }
        return services;
    }

    /// <summary>Whether OpenAI:ApiKey is set, so <see cref="AddOpenAI"/> registers the OpenAI providers.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration.GetSection(OpenAIOptions.SectionName)[nameof(OpenAIOptions.ApiKey)]);
    }

    /// <summary>The analysis stage's start-up line with the insight on: "statistics + openai gpt-5.4-mini insight".</summary>
    public static string DescribeInsightProvider(IConfiguration configuration)
    {
        var settings = new OpenAIOptions();
        configuration.GetSection(OpenAIOptions.SectionName).Bind(settings);
        return $"statistics + openai {(string.IsNullOrWhiteSpace(settings.InsightModel) ? settings.ScriptModel : settings.InsightModel)} insight";
    }

    /// <summary>
    /// Hook for the start-up line that names each stage's provider: the script stage's provider as that line should
    /// show it ("openai gpt-5.4-mini, moderated by omni-moderation-latest"), or null when the offline writer is used.
    /// </summary>
    public static string? DescribeScriptProvider(IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return null;
        }
        var settings = new OpenAIOptions();
        configuration.GetSection(OpenAIOptions.SectionName).Bind(settings);
        return $"openai {settings.ScriptModel}, moderated by {settings.ModerationModel}";
    }
}
