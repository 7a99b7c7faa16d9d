using System.Globalization;
using System.Text;

namespace ViralForge.Core.Costs;

/// <summary>
/// How much of each unit a short of a given length takes, as the estimate assumes it. The defaults are the house's:
/// the narration speed of ViralForge:Media:WordsPerMinute, English's ~6 characters per word with its space, and a
/// script call's prompt (row, trend analysis, rules, schema) of about 1,500 tokens.
/// </summary>
public sealed record CostAssumptions(
    int WordsPerMinute = 165,
    decimal CharactersPerWord = 6m,
    decimal ScriptPromptTokens = 1500m,
    decimal ScriptTokensPerWord = 1.4m,
    decimal ScriptOverheadTokens = 350m,
    decimal TextCharactersPerToken = 4m,
    decimal InsightPromptTokens = 1250m,
    decimal InsightOutputTokens = 250m)
{
    /// <summary>Words of narration in <paramref name="seconds"/> of speech.</summary>
    public decimal Words(int seconds) => seconds * (decimal)WordsPerMinute / 60m;

    /// <summary>Characters of narration (what character-billed voices charge for).</summary>
    public decimal Characters(int seconds) => Math.Round(Words(seconds) * CharactersPerWord);

    /// <summary>
    /// The script call's output: the narration's words plus the JSON around them (title, description, tags, each beat's
    /// card, query and mood). Reasoning models also bill their thinking as output, which this leaves out.
    /// </summary>
    public decimal ScriptOutputTokens(int seconds) => Math.Round(Words(seconds) * ScriptTokensPerWord + ScriptOverheadTokens);
}

/// <summary>One provider's units and cost for one stage of a short, at each length.</summary>
public sealed record ProviderCost(string Stage, string Provider, IReadOnlyList<(int Seconds, string Units, decimal Usd)> ByLength);

/// <summary>One way to make a short (a script provider and a voice provider) and what it costs at each length.</summary>
public sealed record CombinationCost(string Script, string Voice, IReadOnlyList<(int Seconds, decimal Usd)> ByLength);

/// <summary>
/// What a short costs per provider and per combination, from a price table: computed by the same tables the adapters
/// charge from, so docs/PROVIDERS.md is regenerated (vf cost --prices), not typed by hand.
/// </summary>
public sealed record ShortCosts(DateOnly PricesAsOf, CostAssumptions Assumptions, IReadOnlyList<int> Lengths,
    IReadOnlyList<ProviderCost> Providers, IReadOnlyList<CombinationCost> Combinations)
{
    public const string Offline = "offline";

    /// <summary>The lengths the docs quote: the 30 s and 60 s shorts.</summary>
    public static readonly IReadOnlyList<int> StandardLengths = [30, 60];

    public static ShortCosts Compute(PriceTable prices, CostAssumptions? assumptions = null, IReadOnlyList<int>? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var a = assumptions ?? new CostAssumptions();
        var at = lengths ?? StandardLengths;

        var scripts = new List<ProviderCost> { Free("script", "template writer (offline)", at) };
        foreach (var (model, price) in prices.ChatModels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            scripts.Add(new ProviderCost("script", $"openai {model}", [.. at.Select(s =>
            {
                var output = a.ScriptOutputTokens(s);
                return (s, $"{Number(a.ScriptPromptTokens)} + {Number(output)} tokens", price.Cost(a.ScriptPromptTokens, output));
            })]));
        }

        // The analysis stage's trend insight is one call per trend snapshot (a niche and region, every 6 h), shared by
        // every row of it, so it is listed but in no combination: a short's share of it is that call over the rows.
        var insights = new List<ProviderCost>();
        foreach (var (model, price) in prices.ChatModels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            insights.Add(new ProviderCost("analysis", $"openai {model} trend insight (once per niche every 6 h, shared by its rows)",
                [.. at.Select(s => (s, $"{Number(a.InsightPromptTokens)} + {Number(a.InsightOutputTokens)} tokens", price.Cost(a.InsightPromptTokens, a.InsightOutputTokens)))]));
        }

        var voices = new List<ProviderCost> { Free("voice", "espeak-ng (offline)", at) };
        var whisper = new ProviderCost("voice", "openai whisper-1 (word timings for an OpenAI voice)",
            [.. at.Select(s => (s, $"{s} s", s / 60m * prices.WhisperPerMinute))]);
        foreach (var (model, perMillion) in prices.SpeechPerMillionCharacters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            voices.Add(new ProviderCost("voice", $"openai {model} + whisper-1", [.. at.Select(s =>
            {
                var characters = a.Characters(s);
                return (s, $"{Number(characters)} characters + {s} s", characters * perMillion / 1_000_000m + Usd(whisper, s));
            })]));
        }
        foreach (var (model, price) in prices.SpeechTokenModels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            voices.Add(new ProviderCost("voice", $"openai {model} + whisper-1", [.. at.Select(s =>
            {
                var text = Math.Round(a.Characters(s) / a.TextCharactersPerToken);
                var audio = Math.Round(s / 60m * prices.SpeechAudioTokensPerMinute);
                return (s, $"{Number(text)} + {Number(audio)} tokens + {s} s", price.Cost(text, audio) + Usd(whisper, s));
            })]));
        }
        foreach (var (model, price) in prices.ElevenLabsModels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            voices.Add(new ProviderCost("voice", $"elevenlabs {model}", [.. at.Select(s =>
            {
                var characters = a.Characters(s);
                return (s, $"{Number(characters)} characters ({Number(characters * price.CreditsPerCharacter)} credits)", price.Cost(characters));
            })]));
        }

        var combinations = (
            from script in scripts
            from voice in voices
            select new CombinationCost(script.Provider, voice.Provider, [.. at.Select(s => (s, Usd(script, s) + Usd(voice, s)))]))
            .ToList();
        return new ShortCosts(prices.PricesAsOf, a, at, [.. scripts, .. insights, whisper, .. voices], combinations);
    }

    /// <summary>The two tables as Markdown, as docs/PROVIDERS.md carries them.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var lengths = string.Join(" | ", Lengths.Select(s => $"{s} s units | {s} s USD"));
        text.AppendLine(CultureInfo.InvariantCulture, $"Prices of {PricesAsOf:yyyy-MM-dd}; narration at {Assumptions.WordsPerMinute} words per minute, {Number(Assumptions.CharactersPerWord)} characters per word; a script prompt of {Number(Assumptions.ScriptPromptTokens)} tokens.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage | provider | {lengths} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---|---|{string.Concat(Lengths.Select(_ => "---:|---:|"))}");
        foreach (var p in Providers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {p.Stage} | {p.Provider} | {string.Join(" | ", p.ByLength.Select(l => $"{l.Units} | {Dollars(l.Usd)}"))} |");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| script | voice | {string.Join(" | ", Lengths.Select(s => $"{s} s short"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---|---|{string.Concat(Lengths.Select(_ => "---:|"))}");
        foreach (var c in Combinations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Script} | {c.Voice} | {string.Join(" | ", c.ByLength.Select(l => Dollars(l.Usd)))} |");
        }
        return text.ToString();
    }

    /// <summary>The USD of <paramref name="provider"/> at <paramref name="seconds"/>.</summary>
    public static decimal Usd(ProviderCost provider, int seconds)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.ByLength.First(l => l.Seconds == seconds).Usd;
    }

    private static ProviderCost Free(string stage, string provider, IReadOnlyList<int> lengths) =>
        new(stage, provider, [.. lengths.Select(s => (s, "-", 0m))]);

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Dollars(decimal usd) => JobCost.Display(usd);
}
