using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.ElevenLabs;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Voices;

/// <summary>Which provider speaks a row whose Voice is "default" (section Voices).</summary>
public sealed class VoiceRoutingOptions
{
    public const string SectionName = "Voices";

    public const string Auto = "auto";

    /// <summary>
    /// espeak, openai, elevenlabs, or auto: ElevenLabs when its key is set, else OpenAI when its key is set, else espeak-ng.
    /// A paid provider named here without its key falls back to espeak-ng.
    /// </summary>
    [Required]
    [RegularExpression("^(auto|espeak|openai|elevenlabs)$", ErrorMessage = "Voices:DefaultProvider must be auto, espeak, openai or elevenlabs.")]
    public string DefaultProvider { get; set; } = Auto;
}

/// <summary>Source-generated validation of <see cref="VoiceRoutingOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class VoiceRoutingOptionsValidator : IValidateOptions<VoiceRoutingOptions>;

/// <summary>
/// Picks the voice of each row by its Voice cell's provider (openai:alloy, elevenlabs:Rachel, espeak:en+f3; default is the
/// configured default provider) among those configured. A paid provider the row asks for whose key is not set is
/// spoken by espeak-ng, which notes on the row that it could not use the voice asked.
/// </summary>
public sealed class VoiceRouter(
    EspeakVoiceProvider espeak,
    IOptions<VoiceRoutingOptions> options,
    ElevenLabsVoiceProvider? elevenLabs = null,
    OpenAIVoiceProvider? openAI = null) : IVoiceProvider
{
    /// <summary>The provider that speaks a row whose Voice is "default".</summary>
    public string DefaultProvider => options.Value.DefaultProvider switch
    {
        VoiceChoice.ElevenLabs when elevenLabs is not null => VoiceChoice.ElevenLabs,
        VoiceChoice.OpenAI when openAI is not null => VoiceChoice.OpenAI,
        VoiceRoutingOptions.Auto when elevenLabs is not null => VoiceChoice.ElevenLabs,
        VoiceRoutingOptions.Auto when openAI is not null => VoiceChoice.OpenAI,
        _ => VoiceChoice.Espeak,
    };

    /// <summary>The provider that speaks <paramref name="voice"/> (a Voice cell).</summary>
    public IVoiceProvider For(string voice) => (VoiceChoice.Parse(voice)?.Provider ?? DefaultProvider) switch
    {
        VoiceChoice.ElevenLabs when elevenLabs is not null => elevenLabs,
        VoiceChoice.OpenAI when openAI is not null => openAI,
        _ => espeak,
    };

    public Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request.Voice).SynthesizeAsync(request, cancellationToken);
    }
}
