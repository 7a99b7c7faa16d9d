using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// The OpenAI voice's settings, bound from the same OpenAI section as the script writer's (OpenAI:ApiKey, OpenAI:Endpoint
/// are shared; the voice's own keys are named Voice* and Transcription*).
/// </summary>
public sealed class OpenAIVoiceOptions : IValidatableObject
{
    public const string SectionName = "OpenAI";

    /// <summary>The bearer key; OpenAI voices are offered only when it is set.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API root with its /v1; paths are appended to it. Tests point it at WireMock.</summary>
    [Required(ErrorMessage = "OpenAI:Endpoint is required, such as https://api.openai.com/v1.")]
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    /// <summary>gpt-4o-mini-tts (takes the row's Style as instructions) or tts-1 / tts-1-hd (ignore instructions).</summary>
    [Required(ErrorMessage = "OpenAI:VoiceModel is required, such as gpt-4o-mini-tts.")]
    public string VoiceModel { get; set; } = "gpt-4o-mini-tts";

    /// <summary>The voice of a row whose Voice is default while OpenAI is the default provider.</summary>
    [Required(ErrorMessage = "OpenAI:DefaultVoice is required, such as alloy.")]
    public string DefaultVoice { get; set; } = "alloy";

    /// <summary>The voice for a reviewer's "a female voice" when the row's voice does not sound female (OpenAIVoiceProvider.VoiceGenders).</summary>
    [Required(ErrorMessage = "OpenAI:FemaleVoice is required, such as coral.")]
    public string FemaleVoice { get; set; } = "coral";

    /// <summary>The voice for a reviewer's "a male voice" when the row's voice does not sound male.</summary>
    [Required(ErrorMessage = "OpenAI:MaleVoice is required, such as onyx.")]
    public string MaleVoice { get; set; } = "onyx";

    /// <summary>whisper-1: the only OpenAI transcription model that gives word timestamps (verbose_json).</summary>
    [Required(ErrorMessage = "OpenAI:TranscriptionModel is required: whisper-1.")]
    public string TranscriptionModel { get; set; } = "whisper-1";

    /// <summary>/audio/speech takes at most 4,096 characters of input.</summary>
    [Range(100, 4096)]
    public int MaxCharactersPerRequest { get; set; } = 4096;

    /// <summary>
    /// USD per input character: tts-1 is $15 per 1M characters; gpt-4o-mini-tts bills tokens (about $0.015 a minute), which
    /// at about 1,000 characters a minute is the same $0.000015 a character.
    /// </summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal VoiceUsdPerCharacter { get; set; } = 0.000015m;

    /// <summary>whisper-1 is $0.006 a minute of audio.</summary>
    [Range(typeof(decimal), "0", "10")]
    public decimal TranscriptionUsdPerMinute { get; set; } = 0.006m;

    /// <summary>The date of the prices above (developers.openai.com model pages, 2026).</summary>
    public DateOnly PricesAsOf { get; set; } = new(2026, 12, 4);

    [Range(1, 100)]
    public int VoiceMaxConcurrentRequests { get; set; } = 4;

    [Range(1, 10_000)]
    public int VoiceRequestsPerMinute { get; set; } = 50;

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan VoiceTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Repeats of a call answered 429 (with a Retry-After) or 5xx, within one delivery.</summary>
    [Range(0, 10)]
    public int VoiceMaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan VoiceRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest Retry-After waited within a delivery; a longer one fails the attempt for the queue to retry later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan VoiceMaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the voice model takes instructions (the tts-1 family ignores them, or refuses).</summary>
    public bool TakesInstructions => !VoiceModel.StartsWith("tts-1", StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The one rule for what a key looks like (ProviderKeys, which the start-up report applies first), so a key the
        // report passes is never refused here; the value never goes into the message.
        if (ProviderKeys.Problem(ProviderKeys.OpenAI, ApiKey, prefix: null) is not null)
        {
            yield return new ValidationResult(ProviderKeys.Malformed(ProviderKeys.OpenAI), [nameof(ApiKey)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="OpenAIVoiceOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class OpenAIVoiceOptionsValidator : IValidateOptions<OpenAIVoiceOptions>;
