using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.Voices;

/// <summary>Registers the voices: espeak-ng always, ElevenLabs and OpenAI when their keys are set, and the router between them.</summary>
public static class VoiceServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="VoiceRouter"/> as the <see cref="IVoiceProvider"/> (unless one is registered already), espeak-ng
    /// behind it, and each paid voice whose key (ElevenLabs:ApiKey, OpenAI:ApiKey) is set, its settings validated at start-up.
    /// </summary>
    public static IServiceCollection AddVoices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<VoiceRoutingOptions>().Bind(configuration.GetSection(VoiceRoutingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VoiceRoutingOptions>, VoiceRoutingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Render.FfmpegRunner>();
        services.TryAddSingleton<EspeakVoiceProvider>();
        services.TryAddSingleton<NarrationAudio>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{ElevenLabsOptions.SectionName}:{nameof(ElevenLabsOptions.ApiKey)}"]))
        {
            services.AddOptions<ElevenLabsOptions>().Bind(configuration.GetSection(ElevenLabsOptions.SectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElevenLabsOptions>, ElevenLabsOptionsValidator>());
            // The provider repeats what is safe to repeat itself (VoiceHttp): a resilience handler's retries would pay twice.
            services.AddHttpClient(ElevenLabsVoiceProvider.HttpClientName);
            services.TryAddSingleton<ElevenLabsVoiceProvider>();
        }
        if (!string.IsNullOrWhiteSpace(configuration[$"{OpenAIVoiceOptions.SectionName}:{nameof(OpenAIVoiceOptions.ApiKey)}"]))
        {
            services.AddOptions<OpenAIVoiceOptions>().Bind(configuration.GetSection(OpenAIVoiceOptions.SectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIVoiceOptions>, OpenAIVoiceOptionsValidator>());
            services.AddHttpClient(OpenAIVoiceProvider.HttpClientName);
            services.TryAddSingleton<OpenAIVoiceProvider>();
        }
        services.TryAddSingleton<IVoiceProvider, VoiceRouter>();
        if (DescribeVoiceProviders(configuration) is { } voices)
        {
            // Before the offline "espeak-ng" choice the profile adds: the first choice for a stage is the one in effect.
            services.AddProviderChoice(StageName.Voice, voices);
        }
        return services;
    }

    /// <summary>
    /// The voice stage's start-up line when a paid voice is configured ("elevenlabs by default; also openai, espeak-ng by
    /// the Voice column"), or null when only espeak-ng speaks.
    /// </summary>
    public static string? DescribeVoiceProviders(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = new List<string>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{ElevenLabsOptions.SectionName}:{nameof(ElevenLabsOptions.ApiKey)}"]))
        {
            configured.Add(VoiceChoice.ElevenLabs);
        }
        if (!string.IsNullOrWhiteSpace(configuration[$"{OpenAIVoiceOptions.SectionName}:{nameof(OpenAIVoiceOptions.ApiKey)}"]))
        {
            configured.Add(VoiceChoice.OpenAI);
        }
        if (configured.Count == 0)
        {
            return null;
        }
        var asked = configuration[$"{VoiceRoutingOptions.SectionName}:{nameof(VoiceRoutingOptions.DefaultProvider)}"];
        var chosen = string.IsNullOrWhiteSpace(asked) || asked == VoiceRoutingOptions.Auto ? configured[0] : asked;
        var named = chosen == VoiceChoice.Espeak ? "espeak-ng" : chosen;
        var others = configured.Append("espeak-ng").Where(c => c != named);
        return $"{named} by default; also {string.Join(", ", others)} by the Voice column";
    }
}
