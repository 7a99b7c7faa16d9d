using ViralForge.Core.Costs;

namespace ViralForge.Core.Tests.Costs;

/// <summary>What a 30 s and a 60 s short cost per provider, computed from the price table (docs/PROVIDERS.md is its output).</summary>
public sealed class ShortCostsTests
{
    private static readonly ShortCosts Costs = ShortCosts.Compute(PriceTable.Default());

    [Fact]
    public void Narration_units_follow_the_words_per_minute()
    {
        var assumptions = new CostAssumptions(WordsPerMinute: 150);

        Assert.Equal(75m, assumptions.Words(30));
        Assert.Equal(450m, assumptions.Characters(30));
        Assert.Equal(900m, assumptions.Characters(60));
    }

    [Fact]
    public void ElevenLabs_costs_its_price_per_thousand_characters_and_reports_credits()
    {
        // 165 wpm: 82.5 words, 495 characters in 30 s; 990 in 60 s.
        var multilingual = Provider("elevenlabs eleven_multilingual_v2");
        var flash = Provider("elevenlabs eleven_flash_v2_5");

        Assert.Equal(0.0495m, ShortCosts.Usd(multilingual, 30));
        Assert.Equal(0.099m, ShortCosts.Usd(multilingual, 60));
        Assert.Equal(0.0495m, ShortCosts.Usd(flash, 60));
        Assert.Equal("990 characters (495 credits)", flash.ByLength.Single(l => l.Seconds == 60).Units);
    }

    [Fact]
    public void An_OpenAI_voice_pays_for_speech_and_for_the_whisper_alignment()
    {
        var tts = Provider("openai tts-1 + whisper-1");

        // 495 characters at $15/1M plus 0.5 min of whisper at $0.006/min.
        Assert.Equal(495m * 15m / 1_000_000m + 0.003m, ShortCosts.Usd(tts, 30));
        Assert.Equal(0.006m, ShortCosts.Usd(Provider("openai whisper-1 (word timings for an OpenAI voice)"), 60));
    }

    [Fact]
    public void The_trend_insight_is_listed_per_chat_model_at_one_price_for_any_length_and_in_no_combination()
    {
        var insight = Assert.Single(Costs.Providers, p => p.Stage == "analysis" && p.Provider.StartsWith("openai gpt-4o-mini ", StringComparison.Ordinal));

        // 1,250 prompt tokens and 250 out at gpt-4o-mini's $0.15 / $0.60 per million, whatever the video's length.
        Assert.Equal((1250m * 0.15m + 250m * 0.60m) / 1_000_000m, ShortCosts.Usd(insight, 30));
        Assert.Equal(ShortCosts.Usd(insight, 30), ShortCosts.Usd(insight, 60));
        Assert.Equal(PriceTable.Default().ChatModels.Count, Costs.Providers.Count(p => p.Stage == "analysis"));
        Assert.DoesNotContain(Costs.Combinations, c => c.Script.Contains("insight", StringComparison.Ordinal) || c.Voice.Contains("insight", StringComparison.Ordinal));
    }

    [Fact]
    public void A_script_costs_its_prompt_and_its_output_tokens_at_the_model_rows_prices()
    {
        var mini = Provider("openai gpt-4o-mini");

        // 1,500 prompt tokens in; 82.5 words * 1.4 + 350 = 466 tokens out (30 s).
        Assert.Equal((1500m * 0.15m + 466m * 0.60m) / 1_000_000m, ShortCosts.Usd(mini, 30));
    }

    [Fact]
    public void A_changed_price_changes_the_table_and_its_date()
    {
        var prices = PriceTable.Default();
        prices.PricesAsOf = new DateOnly(2027, 1, 15);
        prices.ElevenLabsModels["eleven_multilingual_v2"].UsdPerThousand = 0.20m;

        var costs = ShortCosts.Compute(prices);

        Assert.Equal(0.198m, ShortCosts.Usd(costs.Providers.Single(p => p.Provider == "elevenlabs eleven_multilingual_v2"), 60));
        Assert.Contains("Prices of 2027-01-15", costs.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_script_and_voice_pair_is_a_combination_whose_cost_is_the_sum_and_offline_costs_nothing()
    {
        var offline = Costs.Combinations.Single(c => c.Script == "template writer (offline)" && c.Voice == "espeak-ng (offline)");
        var paid = Costs.Combinations.Single(c => c.Script == "openai gpt-4o-mini" && c.Voice == "elevenlabs eleven_multilingual_v2");

        Assert.Equal(4 * 8, Costs.Combinations.Count);
        Assert.All(offline.ByLength, l => Assert.Equal(0m, l.Usd));
        Assert.Equal(ShortCosts.Usd(Provider("openai gpt-4o-mini"), 60) + 0.099m, paid.ByLength.Single(l => l.Seconds == 60).Usd);
        Assert.Contains("| openai gpt-4o-mini | elevenlabs eleven_multilingual_v2 |", Costs.ToMarkdown(), StringComparison.Ordinal);
    }

    private static ProviderCost Provider(string name) => Costs.Providers.Single(p => p.Provider == name);
}
