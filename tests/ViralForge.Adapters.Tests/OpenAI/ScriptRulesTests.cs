using ViralForge.Adapters.OpenAI;

using ViralForge.Core.Jobs;
using ViralForge.Core.Scripts;

namespace ViralForge.Adapters.Tests.OpenAI;

public sealed class ScriptRulesTests
{
    [Theory]
    [InlineData("Don't knock the glass off, it's 3.5 metres down!", 9)]
    [InlineData("猫はなぜ物を落とすのか", 14 / 2.4)]
    [InlineData("Katzen — warum?", 2)]
    [InlineData("", 0)]
    public void Spoken_length_counts_words_and_cjk_characters(string text, double words) =>
        Assert.Equal(words, SpokenLength.Words(text), 6);

    [Fact]
    public void Tags_count_as_YouTube_counts_them_with_commas_and_quotes_around_spaced_tags() =>
        // 4 + (10 + 2 quotes) + 2 commas
        Assert.Equal(18, ScriptRules.TagCharacters(["cats", "cat facts", "x"]));

    [Fact]
    public void Tags_over_500_characters_and_an_empty_beat_are_reported()
    {
        var reply = new ScriptReply(
            "Title", "Hook here.", [new BeatReply(" ", "Card", "cat", "calm")], "Follow.", "D",
            [.. Enumerable.Range(0, 60).Select(i => $"tag number {i}")], []);

        var errors = ScriptRules.Check(reply, Row(2), 165);

        Assert.Contains("beat 1 has no narration", errors);
        Assert.Contains(errors, e => e.StartsWith("the tags take ", StringComparison.Ordinal) && e.EndsWith("; at most 500", StringComparison.Ordinal));
    }

    [Fact]
    public void The_rows_hashtags_come_first_then_the_models_and_shorts_for_youtube_each_once_and_end_the_description()
    {
        var reply = new ScriptReply("T", "H", [], "C", "Why cats do it.", [], ["#CATS", "cat facts"]);
        var row = Row(30) with { Hashtags = ["#cats", "kittens"] };

        Assert.Equal(["#cats", "#kittens", "#catfacts", "#shorts"], ScriptRules.Hashtags(reply, row));
        Assert.Equal("Why cats do it.\n\n#cats #kittens #catfacts #shorts", ScriptRules.Description(reply, row));
        Assert.Equal(["#cats", "#kittens", "#catfacts"], ScriptRules.Hashtags(reply, row with { Platforms = Platforms.TikTok }));
    }

    [Fact]
    public void A_japanese_script_is_fitted_by_morae()
    {
        // 30 s at 165 words a minute is 82.5 words, 71 to 94: 100 kanji are 200 morae, 83 words at 2.4 morae a word.
        var narration = new string('猫', 80);
        var reply = new ScriptReply("猫の科学", new string('猫', 10), [new BeatReply(narration, "重力テスト", "cat pushing glass", "playful")], new string('猫', 10), "D", [], []);

        Assert.Empty(ScriptRules.Check(reply, Row(30), 165));
        var tooLong = reply with { Beats = [new BeatReply(new string('猫', 120), "重力テスト", "cat pushing glass", "playful")] };
        Assert.NotEmpty(ScriptRules.Check(tooLong, Row(30), 165));
    }

    private static VideoRequest Row(int seconds) => OpenAIServices.Row(seconds);
}
