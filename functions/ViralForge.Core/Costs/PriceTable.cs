namespace ViralForge.Core.Costs;

/// <summary>
/// What the paid providers charge, with the date the prices were read. The defaults are API_PROVIDERS.md 1f and 2 as
/// of 2026-12-04; the adapters' options carry their own tables (bound from OpenAI:Prices, ElevenLabs:Prices), which
/// override these rows, and every ledger row records the date of the table it was priced from.
/// </summary>
public sealed class PriceTable
{
    /// <summary>The date of the defaults below.</summary>
    public static readonly DateOnly DefaultPricesAsOf = new(2026, 12, 4);

    /// <summary>The date these prices were read.</summary>
    public DateOnly PricesAsOf { get; set; } = DefaultPricesAsOf;

    /// <summary>Chat models (the script writer), USD per million tokens. The same shape as OpenAI:Prices.</summary>
    public Dictionary<string, TokenPrice> ChatModels { get; set; } = new(StringComparer.Ordinal)
    {
        // gpt-5.4-mini is a third-party figure (API_PROVIDERS.md 1f): re-read the vendor's pricing page before launch.
        ["gpt-5.4-mini"] = new() { InputPerMillion = 0.75m, CachedInputPerMillion = 0.075m, OutputPerMillion = 4.50m },
        ["gpt-5-mini"] = new() { InputPerMillion = 0.25m, CachedInputPerMillion = 0.025m, OutputPerMillion = 2.00m },
        ["gpt-4o-mini"] = new() { InputPerMillion = 0.15m, CachedInputPerMillion = 0.075m, OutputPerMillion = 0.60m },
    };

    /// <summary>OpenAI speech models billed per character of input, USD per million characters.</summary>
    public Dictionary<string, decimal> SpeechPerMillionCharacters { get; set; } = new(StringComparer.Ordinal)
    {
        ["tts-1"] = 15m,
        ["tts-1-hd"] = 30m,
    };

    /// <summary>OpenAI speech models billed per token: text in, audio out (USD per million tokens).</summary>
    public Dictionary<string, TokenPrice> SpeechTokenModels { get; set; } = new(StringComparer.Ordinal)
    {
        ["gpt-4o-mini-tts"] = new() { InputPerMillion = 0.60m, OutputPerMillion = 12m },
    };

    /// <summary>
    /// Audio tokens a token-billed speech model makes per minute of speech: OpenAI's own "≈ $0.015/min" for
    /// gpt-4o-mini-tts at $12 per million audio tokens.
    /// </summary>
    public decimal SpeechAudioTokensPerMinute { get; set; } = 1250m;

    /// <summary>whisper-1, which aligns OpenAI speech to words (speech returns no timings), USD per minute of audio.</summary>
    public decimal WhisperPerMinute { get; set; } = 0.006m;

    /// <summary>ElevenLabs models: USD per thousand characters and credits per character (API_PROVIDERS.md 2, Billing).</summary>
    public Dictionary<string, CharacterPrice> ElevenLabsModels { get; set; } = new(StringComparer.Ordinal)
    {
        // [conflict] in the sources: $0.05/$0.10 per 1K "on every plan" against Business-tier $0.06/$0.12; the lower is used.
        ["eleven_multilingual_v2"] = new() { UsdPerThousand = 0.10m, CreditsPerCharacter = 1m },
        ["eleven_v3"] = new() { UsdPerThousand = 0.10m, CreditsPerCharacter = 1m },
        ["eleven_flash_v2_5"] = new() { UsdPerThousand = 0.05m, CreditsPerCharacter = 0.5m },
        ["eleven_turbo_v2_5"] = new() { UsdPerThousand = 0.05m, CreditsPerCharacter = 0.5m },
    };

    /// <summary>
    /// Runway video models: credits per second of output (API_PROVIDERS.md 5a, runwayml/skills rw-api-reference, read
    /// 2026-04-21). Where a model's rate is a range (veo3.1 20-40, veo3.1_fast 10-15: audio and resolution change it) the
    /// top of the range is kept, so the ledger never under-states what was paid.
    /// </summary>
    public Dictionary<string, decimal> RunwayCreditsPerSecond { get; set; } = new(StringComparer.Ordinal)
    {
        ["gen4.5"] = 12m,
        ["gen4_turbo"] = 5m,
        ["veo3"] = 40m,
        ["veo3.1"] = 40m,
        ["veo3.1_fast"] = 15m,
    };

    /// <summary>USD per Runway credit (prepaid, $10 minimum; runwayml/skills rw-setup-api-key, 2026-04-21).</summary>
    public decimal RunwayUsdPerCredit { get; set; } = 0.01m;

    /// <summary>The date the Runway prices above were read.</summary>
    public DateOnly RunwayPricesAsOf { get; set; } = new(2026, 4, 21);

    /// <summary>
    /// Veo on Vertex AI, USD per second of output without and with generated audio. [unverified]: one integrator recorded
    /// $0.15/s for an 8 s 720x1280 clip with audio (2026-07); the silent rate is Google's list price as remembered, not
    /// re-read (API_PROVIDERS.md 5b). Re-read the Vertex AI pricing page before launch.
    /// </summary>
    public Dictionary<string, VideoSecondPrice> VeoModels { get; set; } = new(StringComparer.Ordinal)
    {
        ["veo-3.1-fast-generate-001"] = new() { UsdPerSecond = 0.10m, UsdPerSecondWithAudio = 0.15m },
        ["veo-3.1-generate-001"] = new() { UsdPerSecond = 0.20m, UsdPerSecondWithAudio = 0.40m },
    };

    /// <summary>The date the Veo prices above were read.</summary>
    public DateOnly VeoPricesAsOf { get; set; } = new(2026, 7, 1);

    /// <summary>The defaults of today's table.</summary>
    public static PriceTable Default() => new();

    /// <summary>What <paramref name="inputTokens"/> in and <paramref name="outputTokens"/> out cost on a chat model; null when the table has no row for it.</summary>
    public decimal? ChatCost(string model, decimal inputTokens, decimal outputTokens) =>
        ChatModels.TryGetValue(model, out var price) ? price.Cost(inputTokens, outputTokens) : null;
}

/// <summary>One token-billed model's prices, USD per million tokens.</summary>
public sealed class TokenPrice
{
    public decimal InputPerMillion { get; set; }

    /// <summary>Prompt tokens served from the cache; the input price when not set.</summary>
    public decimal? CachedInputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    public decimal Cost(decimal inputTokens, decimal outputTokens) =>
        (inputTokens * InputPerMillion + outputTokens * OutputPerMillion) / 1_000_000m;
}

/// <summary>One character-billed model's prices.</summary>
public sealed class CharacterPrice
{
    public decimal UsdPerThousand { get; set; }

    public decimal CreditsPerCharacter { get; set; } = 1m;

    public decimal Cost(decimal characters) => characters * UsdPerThousand / 1000m;
}

/// <summary>One video model billed per second of output, USD.</summary>
public sealed class VideoSecondPrice
{
    public decimal UsdPerSecond { get; set; }

    /// <summary>The rate when the model also generates a soundtrack.</summary>
    public decimal UsdPerSecondWithAudio { get; set; }

    public decimal Cost(decimal seconds, bool withAudio) => seconds * (withAudio ? UsdPerSecondWithAudio : UsdPerSecond);
}
