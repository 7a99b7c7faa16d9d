using ViralForge.Adapters.OpenAI;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Voices;

/// <summary>Caption words from character alignments and from a recogniser, and the cutting of long scripts.</summary>
public sealed class NarrationTextTests
{
    [Fact]
    public void Character_alignment_times_each_word_with_its_punctuation_and_numbers_kept()
    {
        const string text = "Wait, 3 cats? Yes!";
        var (chars, starts, ends) = Uniform(text, 0.1);

        var words = CharacterAlignment.ToWords(text, chars, starts, ends);

        Assert.Equal(["Wait,", "3", "cats?", "Yes!"], words.Select(w => w.Word));
        Assert.Equal(0.0, words[0].Start, 3);
        Assert.Equal(0.5, words[0].End, 3);
        Assert.Equal(0.6, words[1].Start, 3);
        Assert.Equal(0.7, words[1].End, 3);
        Assert.Equal(1.4, words[3].Start, 3);
        Assert.Equal(1.8, words[3].End, 3);
    }

    [Fact]
    public void Cjk_without_spaces_is_timed_character_by_character_with_punctuation_on_the_character_before()
    {
        const string text = "水やり。毎日";
        var (chars, starts, ends) = Uniform(text, 0.2);

        var words = CharacterAlignment.ToWords(text, chars, starts, ends);

        Assert.Equal(["水", "や", "り。", "毎", "日"], words.Select(w => w.Word));
        Assert.Equal(0.4, words[2].Start, 3);
        Assert.Equal(0.8, words[2].End, 3);
        Assert.Equal(1.0, words[4].Start, 3);
    }

    [Fact]
    public void Arabic_words_are_timed_by_their_own_characters_in_text_order()
    {
        const string text = "مرحبا بالعالم";
        var (chars, starts, ends) = Uniform(text, 0.1);

        var words = CharacterAlignment.ToWords(text, chars, starts, ends);

        Assert.Equal(["مرحبا", "بالعالم"], words.Select(w => w.Word));
        Assert.Equal(0.5, words[0].End, 3);
        Assert.Equal(0.6, words[1].Start, 3);
        Assert.Equal(1.3, words[1].End, 3);
    }

    [Fact]
    public void Whitespace_that_differs_between_script_and_alignment_does_not_shift_the_words()
    {
        const string text = "One  line.\nNext line.";
        var (chars, starts, ends) = Uniform("One line. Next line.", 0.1);

        var words = CharacterAlignment.ToWords(text, chars, starts, ends);

        Assert.Equal(["One", "line.", "Next", "line."], words.Select(w => w.Word));
        Assert.Equal(1.0, words[2].Start, 3);
        Assert.Equal(2.0, words[3].End, 3);
    }

    [Fact]
    public void An_alignment_cut_short_leaves_the_last_words_the_time_up_to_the_audio_end()
    {
        const string text = "one two three";
        var (chars, starts, ends) = Uniform("one", 0.1);

        var words = CharacterAlignment.ToWords(text, chars, starts, ends);

        Assert.Equal(["one", "two", "three"], words.Select(w => w.Word));
        Assert.Equal(0.3, words[1].Start, 3);
        Assert.True(words[2].End >= words[2].Start);
    }

    [Fact]
    public void Whisper_words_put_the_scripts_spelling_on_the_recognised_times()
    {
        var heard = new[] { new WordTiming(" Three", 0.0, 0.4), new WordTiming(" cats", 0.5, 0.9), new WordTiming(" sleep", 1.0, 1.4), new WordTiming(" all", 1.5, 1.7), new WordTiming(" day.", 1.8, 2.2) };

        var words = WhisperAligner.Align("3 cats sleep all day.", heard, 2.5);

        Assert.Equal(["3", "cats", "sleep", "all", "day."], words.Select(w => w.Word));
        Assert.Equal([0.0, 0.5, 1.0, 1.5, 1.8], words.Select(w => w.Start));
    }

    [Fact]
    public void A_script_word_whisper_missed_gets_a_time_between_its_neighbours()
    {
        var heard = new[] { new WordTiming("water", 0.0, 0.5), new WordTiming("plants", 1.5, 2.0) };

        var words = WhisperAligner.Align("Water your plants.", heard, 2.0);

        Assert.Equal(["Water", "your", "plants."], words.Select(w => w.Word));
        Assert.Equal(0.5, words[1].Start, 3);
        Assert.Equal(1.5, words[1].End, 3);
        Assert.Equal(1.5, words[2].Start, 3);
    }

    [Fact]
    public void Extra_words_whisper_heard_are_skipped_without_shifting_the_script()
    {
        var heard = new[] { new WordTiming("so", 0.0, 0.2), new WordTiming("um", 0.2, 0.4), new WordTiming("water", 0.5, 0.9), new WordTiming("daily", 1.0, 1.4) };

        var words = WhisperAligner.Align("So water daily", heard, 1.5);

        Assert.Equal([0.0, 0.5, 1.0], words.Select(w => w.Start));
    }

    [Fact]
    public void Long_text_is_cut_at_sentence_ends_under_the_limit()
    {
        var text = "First sentence here. Second one is longer than that. Third.";

        var parts = NarrationText.Split(text, 30);

        Assert.Equal(["First sentence here.", "Second one is longer than", "that. Third."], parts);
        Assert.All(parts, p => Assert.True(p.Length <= 30));
    }

    [Fact]
    public void Text_under_the_limit_is_one_part_and_cjk_is_cut_after_its_full_stop()
    {
        Assert.Equal(["Short."], NarrationText.Split("Short.", 4096));
        Assert.Equal(["水やり。", "毎日です。"], NarrationText.Split("水やり。毎日です。", 6));
    }

    private static (string[] Chars, double[] Starts, double[] Ends) Uniform(string text, double step)
    {
        var chars = text.Select(c => c.ToString()).ToArray();
        var starts = Enumerable.Range(0, chars.Length).Select(i => Math.Round(i * step, 6)).ToArray();
        var ends = starts.Select(s => Math.Round(s + step, 6)).ToArray();
        return (chars, starts, ends);
    }
}
