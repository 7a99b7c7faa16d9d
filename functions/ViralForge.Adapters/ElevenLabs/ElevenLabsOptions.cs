using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.ElevenLabs;

/// <summary>The ElevenLabs voice (section ElevenLabs): key, model, output format, limits and the price table with its date.</summary>
public sealed class ElevenLabsOptions : IValidatableObject
{
    public const string SectionName = "ElevenLabs";

    /// <summary>The xi-api-key; ElevenLabs voices are offered only when it is set (from Secret Manager in gcp, env locally).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API; tests point it at WireMock, and data-residency accounts at api.eu.residency.elevenlabs.io.</summary>
    [Required(ErrorMessage = "ElevenLabs:BaseUrl is required.")]
    public Uri BaseUrl { get; set; } = new("https://api.elevenlabs.io/");

    /// <summary>
    /// eleven_multilingual_v2 by default: caption timings stay true on long clips (eleven_v3's drift late, elevenlabs-python #772)
    /// and it speaks 29 languages.
    /// </summary>
    [Required(ErrorMessage = "ElevenLabs:Model is required, such as eleven_multilingual_v2.")]
    public string Model { get; set; } = "eleven_multilingual_v2";

    /// <summary>codec_samplerate[_bitrate]; mp3_44100_128 is on every plan.</summary>
    [Required(ErrorMessage = "ElevenLabs:OutputFormat is required, such as mp3_44100_128.")]
    [RegularExpression("^(mp3|wav|opus)_[0-9]+(_[0-9]+)?$", ErrorMessage = "ElevenLabs:OutputFormat must be mp3, wav or opus as codec_samplerate[_bitrate], such as mp3_44100_128 (headerless pcm cannot be decoded without its rate).")]
    public string OutputFormat { get; set; } = "mp3_44100_128";

    /// <summary>The voice of a row whose Voice is elevenlabs without a name, or default when ElevenLabs is the default provider.</summary>
    public string DefaultVoice { get; set; } = "Rachel";

    /// <summary>
    /// Characters one request may carry. 0 means the model's own limit (models.mdx, Aug 2025): 3,000 for eleven_v3,
    /// 10,000 for multilingual v2, 30,000 for the English v2 models, 40,000 for flash/turbo v2.5.
    /// </summary>
    [Range(0, 40_000)]
    public int MaxCharactersPerRequest { get; set; }

    /// <summary>
    /// USD per credit, from the price table of <see cref="PricesAsOf"/>: $0.10 per 1K characters for multilingual v2 at 1 credit a
    /// character, and $0.05 per 1K for flash/turbo at 0.5 credit, are both $0.0001 a credit.
    /// </summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal UsdPerCredit { get; set; } = 0.0001m;

    /// <summary>
    /// Credits one character costs (1 for multilingual v2 and v3, 0.5 for flash and turbo), used when a response lacks the
    /// character-cost header that states the credits billed.
    /// </summary>
    [Range(typeof(decimal), "0", "10")]
    public decimal CreditsPerCharacter { get; set; } = 1m;

    /// <summary>The date of the prices above (developer.puter.com, Jun 2026).</summary>
    public DateOnly PricesAsOf { get; set; } = new(2026, 6, 1);

    /// <summary>Calls at once from this process (the plan's concurrency: Creator 5 for multilingual v2).</summary>
    [Range(1, 100)]
    public int MaxConcurrentRequests { get; set; } = 2;

    [Range(1, 10_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>How long one call may take; a 60 s narration usually takes 5-15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Repeats of a call answered 429 or 5xx, within one delivery.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest Retry-After waited within a delivery; a longer one fails the attempt for the queue to retry later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the voices list is kept before it is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan VoicesCacheFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The per-request character limit of <see cref="Model"/>, or <see cref="MaxCharactersPerRequest"/> when set.</summary>
    public int CharacterLimit => MaxCharactersPerRequest > 0 ? MaxCharactersPerRequest : Model switch
    {
        "eleven_v3" => 3_000,
        "eleven_multilingual_v2" or "eleven_multilingual_v1" or "eleven_monolingual_v1" => 10_000,
        "eleven_flash_v2" or "eleven_turbo_v2" => 30_000,
        "eleven_flash_v2_5" or "eleven_turbo_v2_5" => 40_000,
        // A model this table does not know gets the smallest limit, which every model accepts.
        _ => 3_000,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The one rule for what a key looks like (ProviderKeys, which the start-up report applies first), so a key the
        // report passes is never refused here; the value never goes into the message.
        if (ProviderKeys.Problem(ProviderKeys.ElevenLabs, ApiKey, prefix: null) is not null)
        {
            yield return new ValidationResult(ProviderKeys.Malformed(ProviderKeys.ElevenLabs), [nameof(ApiKey)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="ElevenLabsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class ElevenLabsOptionsValidator : IValidateOptions<ElevenLabsOptions>;
