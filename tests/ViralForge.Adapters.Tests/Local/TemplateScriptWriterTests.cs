using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.Tests.Local;

public sealed class TemplateScriptWriterTests
{
    private const string Notes = "Mention the 4-7-8 breathing trick. Keep rest periods short!\nFinish with a stretch";

    [Fact]
    public async Task Same_row_and_analysis_give_the_same_script()
    {
        var analysis = await FitnessAnalysis();
        var request = Row(45);

        var first = await Writer().WriteAsync(request, analysis, CancellationToken.None);
        var second = await Writer().WriteAsync(request, analysis, CancellationToken.None);

        Assert.Equal(first.Title, second.Title);
        Assert.Equal(first.Hook, second.Hook);
        Assert.Equal(first.Beats, second.Beats);
        Assert.Equal(first.CallToAction, second.CallToAction);
        Assert.Equal(first.Description, second.Description);
        Assert.Equal(first.Tags, second.Tags);
        Assert.Equal(first.EstimatedSeconds, second.EstimatedSeconds);
    }

    [Theory]
    [InlineData(10, 165, Notes)]
    [InlineData(30, 165, Notes)]
    [InlineData(60, 165, Notes)]
    [InlineData(90, 165, Notes)]
    [InlineData(10, 165, "")]
    [InlineData(30, 165, "")]
    [InlineData(60, 165, "")]
    [InlineData(90, 165, "")]
    [InlineData(10, 120, Notes)]
    [InlineData(90, 120, "")]
    [InlineData(10, 220, "")]
    [InlineData(90, 220, Notes)]
    [InlineData(15, 165, "One very long note that keeps going and going with many words so that it cannot fit whole into a short video at all.")]
    public async Task Narration_fits_the_row_duration_within_15_percent(int seconds, int wordsPerMinute, string notes)
    {
        var writer = Writer(wordsPerMinute);

        var script = await writer.WriteAsync(Row(seconds, notes: notes), await FitnessAnalysis(), CancellationToken.None);

        var estimated = Words(script.NarrationText) / (double)wordsPerMinute * 60;
        Assert.InRange(estimated, seconds * 0.85, seconds * 1.15);
        Assert.Equal(estimated, script.EstimatedSeconds, 9);
        Assert.Equal(wordsPerMinute, script.WordsPerMinute);
        Assert.NotEmpty(script.Beats);
        Assert.All(script.Beats, b => Assert.False(string.IsNullOrWhiteSpace(b.Narration)));
    }

    [Fact]
    public async Task Longer_rows_get_more_beats()
    {
        var analysis = await FitnessAnalysis();
        var counts = new List<int>();
        foreach (var seconds in new[] { 10, 30, 60, 90 })
        {
            counts.Add((await Writer().WriteAsync(Row(seconds), analysis, CancellationToken.None)).Beats.Count);
        }

        Assert.Equal(counts.Order(), counts);
        Assert.True(counts[^1] > counts[0], string.Join(", ", counts));
    }

    [Fact]
    public async Task Notes_sentences_become_beats_first()
    {
        var script = await Writer().WriteAsync(Row(30, notes: Notes), await FitnessAnalysis(), CancellationToken.None);

        Assert.Equal("Mention the 4-7-8 breathing trick.", script.Beats[0].Narration);
        Assert.Equal("Keep rest periods short!", script.Beats[1].Narration);
        Assert.Equal("Finish with a stretch.", script.Beats[2].Narration);
    }

    [Fact]
    public async Task Every_card_is_at_most_six_words()
    {
        var analysis = await FitnessAnalysis();
        const string longNotes = "Explain in great detail why progressive overload matters for every single beginner. Add one more.";
        foreach (var seconds in new[] { 10, 30, 60, 90 })
        {
            var script = await Writer().WriteAsync(Row(seconds, notes: longNotes), analysis, CancellationToken.None);

            Assert.All(script.Beats, b =>
            {
                Assert.False(string.IsNullOrWhiteSpace(b.CardText));
                Assert.True(Words(b.CardText) <= TemplateScriptWriter.MaxCardWords, b.CardText);
            });
        }
    }

    [Fact]
    public async Task Title_stays_within_the_YouTube_limit_for_a_long_topic()
    {
        var topic = string.Join(' ', Enumerable.Repeat("extraordinarily detailed kettlebell programming", 12));

        var script = await Writer().WriteAsync(Row(30, topic: topic), await FitnessAnalysis(), CancellationToken.None);

        Assert.InRange(script.Title.Length, 1, TemplateScriptWriter.MaxTitleLength);
        Assert.False(script.Title.EndsWith(' '));
        Assert.InRange(Words(script.NarrationText) / 165.0 * 60, 30 * 0.85, 30 * 1.15);
    }

    [Fact]
    public async Task Tags_put_row_hashtags_first_and_drop_duplicates()
    {
        var request = Row(30) with { Hashtags = ["#fitness", "#HomeWorkout", "Home Workout", "#GYM", "#fitness", "#abs"] };

        var script = await Writer().WriteAsync(request, await FitnessAnalysis(), CancellationToken.None);

        Assert.Equal(["fitness", "HomeWorkout", "GYM", "abs"], script.Tags.Take(4));
        var keys = script.Tags.Select(t => new string(t.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant()).ToList();
        Assert.Equal(keys.Distinct().Count(), keys.Count);
        Assert.DoesNotContain("home workout", script.Tags);
        Assert.DoesNotContain("gym", script.Tags);
    }

    [Fact]
    public async Task Tags_are_capped_at_fifteen()
    {
        var request = Row(30) with { Hashtags = Enumerable.Range(1, 20).Select(i => $"#tag{i}").ToList() };

        var script = await Writer().WriteAsync(request, await FitnessAnalysis(), CancellationToken.None);

        Assert.Equal(TemplateScriptWriter.MaxTags, script.Tags.Count);
        Assert.Equal("tag1", script.Tags[0]);
    }

    [Fact]
    public async Task Description_carries_the_hashtags()
    {
        var script = await Writer().WriteAsync(Row(30), await FitnessAnalysis(), CancellationToken.None);

        Assert.Contains("#fitness", script.Description, StringComparison.Ordinal);
        Assert.Contains("#HomeWorkout", script.Description, StringComparison.Ordinal);
        Assert.Contains("#shorts", script.Description, StringComparison.Ordinal);
        Assert.StartsWith(script.Hook, script.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Platforms.YouTube, "subscribe", "follow")]
    [InlineData(Platforms.TikTok, "follow", "subscribe")]
    public async Task Call_to_action_fits_the_platform(Platforms platforms, string expected, string absent)
    {
        foreach (var seconds in new[] { 10, 60 })
        {
            var script = await Writer().WriteAsync(Row(seconds) with { Platforms = platforms }, await FitnessAnalysis(), CancellationToken.None);

            Assert.Contains(expected, script.CallToAction, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(absent, script.CallToAction, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Tiktok_only_rows_do_not_get_the_shorts_hashtag()
    {
        var script = await Writer().WriteAsync(Row(30) with { Platforms = Platforms.TikTok }, await FitnessAnalysis(), CancellationToken.None);

        Assert.DoesNotContain("#shorts", script.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HookKinds.Question, "Did you know this about meal prep?")]
    [InlineData(HookKinds.HowTo, "How to get meal prep right, fast.")]
    [InlineData(HookKinds.Pov, "POV: you finally figured out meal prep.")]
    [InlineData(HookKinds.Imperative, "Stop scrolling if you care about meal prep.")]
    [InlineData(HookKinds.PersonalStory, "I tried meal prep so you don't have to.")]
    [InlineData(HookKinds.SecondPerson, "You are doing meal prep wrong.")]
    [InlineData(HookKinds.Secret, "The secret to meal prep nobody talks about.")]
    [InlineData(HookKinds.Other, "Here is what to know about meal prep.")]
    public async Task Hook_follows_the_most_common_pattern(string kind, string hook)
    {
        // A less common number pattern is there to be ignored; "other" only ever stands alone (see below).
        var analysis = kind == HookKinds.Other
            ? Analysis(new HookPattern(kind, 5, 0.5, "x"))
            : Analysis(new HookPattern(kind, 5, 0.5, "x"), new HookPattern(HookKinds.Number, 4, 0.4, "y"));

        var script = await Writer().WriteAsync(Row(30, topic: "Meal prep"), analysis, CancellationToken.None);

        Assert.Equal(hook, script.Hook);
    }

    [Fact]
    public async Task Number_hook_counts_the_beats()
    {
        var analysis = Analysis(new HookPattern(HookKinds.Number, 5, 0.5, "5 ways"));

        var script = await Writer().WriteAsync(Row(30, topic: "Meal prep"), analysis, CancellationToken.None);

        Assert.Equal($"{script.Beats.Count} things about meal prep nobody tells you.", script.Hook);
    }

    [Fact]
    public async Task Other_is_used_only_when_no_named_pattern_trends()
    {
        var analysis = Analysis(new HookPattern(HookKinds.Other, 6, 0.6, "x"), new HookPattern(HookKinds.Pov, 4, 0.4, "POV: y"));

        var script = await Writer().WriteAsync(Row(30, topic: "Meal prep"), analysis, CancellationToken.None);

        Assert.StartsWith("POV:", script.Hook, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_language_without_templates_gets_the_english_script_and_a_note_saying_so()
    {
        var analysis = await FitnessAnalysis();

        var english = await Writer().WriteAsync(Row(30), analysis, CancellationToken.None);
        var british = await Writer().WriteAsync(Row(30) with { Language = "en-GB" }, analysis, CancellationToken.None);
        var korean = await Writer().WriteAsync(Row(30) with { Language = "ko" }, analysis, CancellationToken.None);

        Assert.Equal(english.NarrationText, korean.NarrationText);
        Assert.Empty(english.Notes ?? []);
        Assert.Empty(british.Notes ?? []);
        var note = Assert.Single(korean.Notes ?? []);
        Assert.Equal("the offline script writer has no templates for Language=ko (it writes en, es, ja, pt, fr and de); the script is in English", note);
    }

    [Theory]
    [InlineData("es", "Ejercicios en casa para principiantes", 10)]
    [InlineData("es", "Ejercicios en casa para principiantes", 30)]
    [InlineData("es", "Ejercicios en casa para principiantes", 90)]
    [InlineData("ja", "初心者のための自宅トレーニング", 10)]
    [InlineData("ja", "初心者のための自宅トレーニング", 30)]
    [InlineData("ja", "初心者のための自宅トレーニング", 90)]
    public async Task Spanish_and_japanese_rows_get_a_script_in_their_language_fitted_as_it_is_spoken(string language, string topic, int seconds)
    {
        var row = Row(seconds, topic: topic, notes: "") with { Language = language };

        var script = await Writer().WriteAsync(row, await FitnessAnalysis(), CancellationToken.None);

        Assert.Empty(script.Notes ?? []);
        Assert.InRange(script.EstimatedSeconds, seconds * 0.85, seconds * 1.15);
        Assert.Equal(SpokenLength.Seconds(script.NarrationText, 165), script.EstimatedSeconds, 9);
        // None of the English template sentences, and the language's own words.
        Assert.DoesNotContain("Subscribe", script.NarrationText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" the ", script.NarrationText, StringComparison.Ordinal);
        if (language == "es")
        {
            Assert.Contains("suscríbete", script.CallToAction, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Contains("登録", script.CallToAction, StringComparison.Ordinal);
            Assert.Contains(topic, script.NarrationText, StringComparison.Ordinal);
            // Japanese has no spaces between words: counted by whitespace, 30 s of it was a handful of "words".
            Assert.True(SpokenLength.Words(script.NarrationText) > 2 * script.NarrationText.Split(' ').Length * 0.5);
        }
    }

    [Theory]
    [InlineData("pt", "Cuidados com plantas", "se inscreva")]
    [InlineData("fr", "Entretien des plantes", "abonne-toi")]
    [InlineData("de", "Zimmerpflanzen pflegen", "abonnier")]
    [InlineData("pt", "Cuidados com plantas", "Isto é o que você precisa saber sobre cuidados com plantas.")]
    [InlineData("fr", "Entretien des plantes", "Voici ce qu'il faut savoir sur entretien des plantes.")]
    [InlineData("de", "Zimmerpflanzen pflegen", "Das solltest du über Zimmerpflanzen pflegen wissen.")]
    public async Task Portuguese_french_and_german_rows_get_a_script_in_their_language(string language, string topic, string expected)
    {
        foreach (var seconds in new[] { 10, 30, 90 })
        {
            var row = Row(seconds, topic: topic, notes: "") with { Language = language };

            var script = await Writer().WriteAsync(row, NoTrends(), CancellationToken.None);

            Assert.Empty(script.Notes ?? []);
            Assert.InRange(script.EstimatedSeconds, seconds * 0.85, seconds * 1.15);
            Assert.DoesNotContain(" the ", script.NarrationText, StringComparison.Ordinal);
            if (seconds == 30)
            {
                Assert.Contains(expected, script.NarrationText, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task A_japanese_row_is_counted_by_morae_not_by_spaces()
    {
        // 30 s at 165 words a minute is about 82 words, or 180 morae: far more than whitespace would allow.
        var script = await Writer().WriteAsync(Row(30, topic: "観葉植物の育て方", notes: "") with { Language = "ja" }, NoTrends(), CancellationToken.None);

        var morae = script.NarrationText.Count(c => c is >= '\u3041' and <= '\u30FA' && "ゃゅょぁぃぅぇぉャュョァィゥェォ".IndexOf(c) < 0);
        var kanji = script.NarrationText.Count(c => c is >= '\u4E00' and <= '\u9FFF');
        Assert.InRange((morae + 2 * kanji) / SpokenLength.MoraePerWord / 165 * 60, 30 * 0.85, 30 * 1.15);
    }

    [Fact]
    public async Task A_row_the_templates_cannot_fit_is_refused_with_the_reason()
    {
        // The hook alone names the whole Japanese topic, which has no spaces to shorten it at: over 10 s by itself.
        var topic = string.Concat(Enumerable.Repeat("観葉植物の育て方", 6));
        var row = Row(10, topic: topic, notes: "") with { Language = "ja" };

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => Writer().WriteAsync(row, NoTrends(), CancellationToken.None));

        Assert.StartsWith("the offline script writer's ja templates give about ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not the 10 s of Duration", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Houseplant care for beginners")]
    [InlineData("es", "Cuidado de plantas de interior")]
    [InlineData("ja", "観葉植物の育て方")]
    public async Task A_topic_without_trends_borrows_no_other_niche(string language, string topic)
    {
        var sample = await new SampleTrendsProvider().GetTrendingAsync(new TrendQuery(Platforms.Both, topic, language, "US", 25), CancellationToken.None);
        var analysis = TrendAnalyzer.Analyze(sample);
        var row = new VideoRequest(topic, Platforms.Both, 30, "bold", "default", language, null, [], "");

        var script = await Writer().WriteAsync(row, analysis, CancellationToken.None);

        var everything = string.Join("\n", [script.Title, script.NarrationText, script.Description, .. script.Tags, .. script.Beats.Select(b => b.CardText)]).ToLowerInvariant();
        foreach (var niche in new SampleTrendsProvider().Niches)
        {
            Assert.DoesNotContain(niche, everything, StringComparison.Ordinal);
        }
        foreach (var word in new[] { "pet", "dog", "cat", "perro", "gato", "trending", "tendencia", "also watch" })
        {
            Assert.DoesNotContain(word, everything, StringComparison.Ordinal);
        }
        Assert.Empty(script.Tags);
        Assert.InRange(script.EstimatedSeconds, 30 * 0.85, 30 * 1.15);
        // The whole topic, though "care" and "beginners" count for no niche.
        Assert.Contains(topic, script.Hook, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_regenerated_script_differs_and_honours_shorter_and_mention_without_reading_the_feedback_out()
    {
        var analysis = await FitnessAnalysis();
        var first = await Writer().WriteAsync(Row(60, notes: ""), analysis, CancellationToken.None);

        var feedback = Row(60, notes: "") with { Notes = "Reviewer feedback: Make it shorter and mention the warm-up stretches." };
        var second = await Writer().WriteAsync(feedback, analysis, CancellationToken.None);

        Assert.NotEqual(first.Hook, second.Hook);
        // After the mention, the advice starts further down the list.
        Assert.NotEqual(first.Beats[0].Narration, second.Beats[1].Narration);
        Assert.Equal("And do not forget the warm-up stretches.", second.Beats[0].Narration);
        Assert.True(second.EstimatedSeconds < first.EstimatedSeconds - 3, $"{second.EstimatedSeconds} s is not shorter than {first.EstimatedSeconds} s");
        Assert.InRange(second.EstimatedSeconds, 60 * 0.85, 60 * 1.15);
        Assert.DoesNotContain("feedback", second.NarrationText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("shorter", second.NarrationText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_reviewer_who_asks_for_funnier_gets_the_playful_hook_in_the_rows_language()
    {
        var row = Row(30, topic: "Ejercicios en casa", notes: "Reviewer feedback: funnier please") with { Language = "es" };

        var script = await Writer().WriteAsync(row, await FitnessAnalysis(), CancellationToken.None);

        Assert.Equal("Aviso: ejercicios en casa está a punto de convertirse en tu nueva obsesión favorita.", script.Hook);
    }

    [Fact]
    public async Task Row_without_a_topic_or_duration_is_refused()
    {
        var analysis = await FitnessAnalysis();

        await Assert.ThrowsAsync<ArgumentException>(() => Writer().WriteAsync(Row(30, topic: "  "), analysis, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Writer().WriteAsync(Row(0), analysis, CancellationToken.None));
    }

    private static TemplateScriptWriter Writer(int wordsPerMinute = 165) =>
        new(Options.Create(new ViralForgeOptions { Media = new MediaOptions { WordsPerMinute = wordsPerMinute } }));

    private static VideoRequest Row(int seconds, string topic = "Home workout for beginners", string notes = Notes) =>
        new(topic, Platforms.Both, seconds, "bold", "alloy", "en", null, ["#fitness", "#HomeWorkout"], notes);

    private static TrendAnalysis NoTrends() => TrendAnalyzer.Empty("");

    private static async Task<TrendAnalysis> FitnessAnalysis()
    {
        var sample = await new SampleTrendsProvider()
            .GetTrendingAsync(new TrendQuery(Platforms.Both, "Home workout for beginners", "en", "US", 50), CancellationToken.None);
        return TrendAnalyzer.Analyze(sample);
    }

    private static TrendAnalysis Analysis(params HookPattern[] hooks) =>
        new("cooking", 10, 0.05, 0.05, 40, 30, 50, hooks, [new TagCount("cooking", 10), new TagCount("meal prep", 4)], ["t"]);

    private static int Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
}
