using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ViralForge.Core.Providers;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// The OpenAI account, models, limits and price table (section OpenAI). The script writer and the moderator are used
/// only when <see cref="ApiKey"/> is set; the model ids and prices churn, so they live here, never in code.
/// </summary>
public sealed class OpenAIOptions : IValidatableObject
{
    public const string SectionName = "OpenAI";

    /// <summary>The secret key (Secret Manager in gcp, an environment variable locally). Never logged, never in an error.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API base, /v1 included (the client appends /chat/completions, /moderations); tests point it at WireMock.</summary>
    [Required(ErrorMessage = "OpenAI:Endpoint is required.")]
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    /// <summary>The chat model that writes scripts with Structured Outputs; it needs a row in <see cref="Prices"/>.</summary>
    [Required(ErrorMessage = "OpenAI:ScriptModel is required.")]
    public string ScriptModel { get; set; } = "gpt-5.4-mini";

    /// <summary>
    /// The chat model that writes the analysis stage's trend insight (ViralForge:Analysis:Insight); the script model when
    /// unset. It needs a row in <see cref="Prices"/>.
    /// </summary>
    public string? InsightModel { get; set; }

    /// <summary>The moderation model; moderation is free.</summary>
    [Required(ErrorMessage = "OpenAI:ModerationModel is required.")]
    public string ModerationModel { get; set; } = "omni-moderation-latest";

    /// <summary>
    /// The script call's output budget (max_completion_tokens). Reasoning models spend part of it thinking, so it is far
    /// above the ~400 tokens a 60 s script takes; an answer cut off at this budget fails the row naming this setting.
    /// </summary>
    [Range(256, 128_000)]
    public int MaxOutputTokens { get; set; } = 4000;

    /// <summary>How long one request may take before it is abandoned (and retried, like a 5xx).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Retries of one call after a 408, 429, 5xx, a dropped connection or a timeout, before the stage gives the task back to the queue.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Script and moderation requests at once from this process. In production the vf-script queue's
    /// --max-concurrent-dispatches is the same number (cloudbuild.yaml's _SCRIPT_MAX_CONCURRENT, checked by CloudBuildTests).
    /// </summary>
    [Range(1, 100)]
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>
    /// Requests started in any minute, under the lowest paid tier's requests per minute for the chat models (API_PROVIDERS.md
    /// section 1). The vf-script queue dispatches at most this over 60 a second (_SCRIPT_MAX_PER_SECOND).
    /// </summary>
    [Range(1, 10_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>The first retry's wait when the answer gives no Retry-After; it doubles for each further retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest Retry-After this process waits out; a longer one ends the attempt at once and the queue comes back
    /// later, rather than holding a stage lease (and a CPU's worth of host) asleep.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The date the <see cref="Prices"/> were read; every ledger row carries it.</summary>
    public DateOnly PricesAsOf { get; set; } = new(2026, 12, 4);

    /// <summary>USD per million tokens, per model id (the chat model's; re-read the vendor's pricing page before launch).</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.Ordinal)
    {
        // API_PROVIDERS.md 1f (2026-12-04): third-party figures for gpt-5.4-mini, first-party for the others.
        ["gpt-5.4-mini"] = new() { InputPerMillion = 0.75m, CachedInputPerMillion = 0.075m, OutputPerMillion = 4.50m },
        ["gpt-5-mini"] = new() { InputPerMillion = 0.25m, CachedInputPerMillion = 0.025m, OutputPerMillion = 2.00m },
        ["gpt-4o-mini"] = new() { InputPerMillion = 0.15m, CachedInputPerMillion = 0.075m, OutputPerMillion = 0.60m },
    };

    /// <summary>Whether the OpenAI providers are to be used at all.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // One rule for what a key looks like (ProviderKeys, which the host's start-up report applies first); the key's
        // value never goes into the message: a malformed key is usually a pasted secret with a stray character.
        if (ProviderKeys.Problem(ProviderKeys.OpenAI, ApiKey, prefix: null) is not null)
        {
            yield return new ValidationResult(ProviderKeys.Malformed(ProviderKeys.OpenAI), [nameof(ApiKey)]);
        }
        if (!Prices.ContainsKey(ScriptModel))
        {
            yield return new ValidationResult(
                $"OpenAI:Prices has no row for OpenAI:ScriptModel '{ScriptModel}': add OpenAI:Prices:{ScriptModel}:InputPerMillion and OutputPerMillion, so its calls are costed.",
                [nameof(Prices)]);
        }
        if (!string.IsNullOrWhiteSpace(InsightModel) && !Prices.ContainsKey(InsightModel))
        {
            yield return new ValidationResult(
                $"OpenAI:Prices has no row for OpenAI:InsightModel '{InsightModel}': add OpenAI:Prices:{InsightModel}:InputPerMillion and OutputPerMillion, so its calls are costed.",
                [nameof(Prices)]);
        }
        foreach (var (model, price) in Prices)
        {
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0 || price.CachedInputPerMillion < 0)
            {
                yield return new ValidationResult($"OpenAI:Prices:{model} has a negative price.", [nameof(Prices)]);
            }
        }
    }

    /// <summary>What <paramref name="usage"/> cost on <paramref name="model"/>'s row of the price table (cached input at its own rate).</summary>
    public decimal Cost(string model, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!Prices.TryGetValue(model, out var price))
        {
            return 0m;
        }
        var cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        return ((usage.InputTokens - cached) * price.InputPerMillion
            + cached * (price.CachedInputPerMillion ?? price.InputPerMillion)
            + usage.OutputTokens * price.OutputPerMillion) / 1_000_000m;
    }
}

/// <summary>One model's prices in USD per million tokens.</summary>
public sealed class ModelPrice
{
    public decimal InputPerMillion { get; set; }

    /// <summary>Prompt tokens served from the cache; the input price when not set.</summary>
    public decimal? CachedInputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }
}

/// <summary>The tokens one chat call used, as its usage reports them (cached tokens are part of the input).</summary>
public sealed record TokenUsage(int InputTokens, int CachedInputTokens, int OutputTokens)
{
    public int Total => InputTokens + OutputTokens;
}

/// <summary>Source-generated validation of <see cref="OpenAIOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>;
