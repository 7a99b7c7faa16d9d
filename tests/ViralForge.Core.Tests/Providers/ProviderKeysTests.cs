using Microsoft.Extensions.Configuration;
using ViralForge.Core.Jobs;
using ViralForge.Core.Providers;

namespace ViralForge.Core.Tests.Providers;

public sealed class ProviderKeysTests
{
    private const string GoodOpenAIKey = "sk-proj-abcdefghijklmnopqrstuvwxyz0123";
    private const string GoodElevenLabsKey = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Unset_and_well_formed_keys_are_no_problem()
    {
        Assert.Empty(ProviderKeys.Problems(Settings()));
        Assert.Empty(ProviderKeys.Problems(Settings((ProviderKeys.OpenAI, GoodOpenAIKey), (ProviderKeys.ElevenLabs, GoodElevenLabsKey))));
        Assert.True(ProviderKeys.IsSet(Settings((ProviderKeys.OpenAI, GoodOpenAIKey)), ProviderKeys.OpenAI));
        Assert.False(ProviderKeys.IsSet(Settings(), ProviderKeys.ElevenLabs));
    }

    [Theory]
    [InlineData(GoodOpenAIKey + "\n", "OpenAI:ApiKey has a space, line break")]
    [InlineData(" " + GoodOpenAIKey, "OpenAI:ApiKey has a space, line break")]
    [InlineData("   ", "OpenAI:ApiKey is only whitespace")]
    [InlineData("\"" + GoodOpenAIKey + "\"", "OpenAI:ApiKey has a quote")]
    [InlineData("pk-abcdefghijklmnopqrstuvwxyz", "OpenAI:ApiKey does not start with 'sk-'")]
    [InlineData("sk-short", "OpenAI:ApiKey is 8 characters long")]
    public void A_malformed_OpenAI_key_is_one_line_naming_the_setting_and_never_the_value(string key, string start)
    {
        var problem = Assert.Single(ProviderKeys.Problems(Settings((ProviderKeys.OpenAI, key))));

        Assert.StartsWith(start, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijkl", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void ElevenLabs_documents_no_prefix_so_only_its_characters_and_length_are_checked()
    {
        var problems = ProviderKeys.Problems(Settings((ProviderKeys.ElevenLabs, GoodElevenLabsKey + " "), (ProviderKeys.OpenAI, GoodOpenAIKey)));

        Assert.StartsWith("ElevenLabs:ApiKey has a space", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Empty(ProviderKeys.Problems(Settings((ProviderKeys.ElevenLabs, "sk_" + GoodElevenLabsKey))));
    }

    [Fact]
    public void The_first_choice_registered_for_a_stage_wins_and_stages_come_in_pipeline_order()
    {
        var lines = ProviderChoices.InEffect([
            new ProviderChoice(StageName.Voice, "elevenlabs eleven_multilingual_v2"),
            new ProviderChoice(StageName.Script, "openai gpt-4o-mini"),
            new ProviderChoice(StageName.Script, "template writer (offline)"),
            new ProviderChoice(StageName.Voice, "espeak-ng (offline)"),
            new ProviderChoice(StageName.Trends, "sample trends (offline)"),
        ]).Select(c => c.ToString());

        Assert.Equal(["trends: sample trends (offline)", "script: openai gpt-4o-mini", "voice: elevenlabs eleven_multilingual_v2"], lines);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
