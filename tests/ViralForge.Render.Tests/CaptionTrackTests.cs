using ViralForge.Testing;
using ViralForge.Core.Ports;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

public class CaptionTrackTests
{
    private static readonly CaptionLayout Layout = new(1080, 1920, "DejaVu Sans");

    private static readonly CaptionStyle Style = CaptionStyle.BoldPop;

    /// <summary>Words 0.3 s apart, each spoken for 0.25 s.</summary>
    private static List<WordTiming> Spoken(params string[] words) =>
        words.Select((w, i) => new WordTiming(w, i * 0.3, (i * 0.3) + 0.25)).ToList();

    private static List<string> DialogueTexts(string ass) =>
        ass.Split('\n').Where(l => l.StartsWith("Dialogue:", StringComparison.Ordinal)).Select(l => l.Split(',', 10)[9]).ToList();

    private static List<(string Start, string End)> DialogueTimes(string ass) =>
        ass.Split('\n').Where(l => l.StartsWith("Dialogue:", StringComparison.Ordinal)).Select(l => l.Split(',', 10)).Select(f => (f[1], f[2])).ToList();

    [Fact]
    public void Lines_hold_at_most_four_words()
    {
        var lines = CaptionTrack.GroupLines(Spoken("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));

        Assert.Equal(["a b c d", "e f g h", "i j"], lines.Select(l => l.Text));
    }

    [Fact]
    public void Lines_hold_at_most_eighteen_characters()
    {
        var lines = CaptionTrack.GroupLines(Spoken("extraordinary", "beautiful", "cats", "sleep", "all", "day"));

        Assert.Equal(["extraordinary", "beautiful cats", "sleep all day"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.True(l.Text.Length <= CaptionTrack.MaxCharsPerLine));
    }

    [Fact]
    public void A_line_ends_at_sentence_punctuation()
    {
        var lines = CaptionTrack.GroupLines(Spoken("Hi", "there.", "How", "are", "you?", "Great!", "\"Really.\"", "Yes"));

        Assert.Equal(["Hi there.", "How are you?", "Great!", "\"Really.\"", "Yes"], lines.Select(l => l.Text));
    }

    [Fact]
    public void A_long_pause_starts_a_new_line()
    {
        List<WordTiming> words = [new("one", 0, 0.3), new("two", 0.4, 0.7), new("three", 2.5, 2.8)];

        var lines = CaptionTrack.GroupLines(words);

        Assert.Equal(["one two", "three"], lines.Select(l => l.Text));
    }

    [Fact]
    public void A_line_shows_from_its_first_word_start_to_its_last_word_end()
    {
        List<WordTiming> words = [new("Cats", 1.00, 1.30), new("sleep", 1.35, 1.70), new("a", 1.75, 1.80), new("lot.", 1.90, 2.40)];

        var line = Assert.Single(CaptionTrack.GroupLines(words));

        Assert.Equal(1.00, line.Start);
        Assert.Equal(2.40, line.End);
    }

    [Fact]
    public void Each_word_is_lit_from_its_start_until_the_next_word_starts()
    {
        List<WordTiming> words = [new("Cats", 1.00, 1.30), new("sleep", 1.35, 1.70), new("a", 1.75, 1.80), new("lot.", 1.90, 2.40)];

        var times = DialogueTimes(CaptionTrack.BuildAss(words, Layout, Style));

        Assert.Equal(
            [("0:00:01.00", "0:00:01.35"), ("0:00:01.35", "0:00:01.75"), ("0:00:01.75", "0:00:01.90"), ("0:00:01.90", "0:00:02.40")],
            times);
    }

    [Fact]
    public void The_spoken_word_and_only_it_is_highlighted()
    {
        var texts = DialogueTexts(CaptionTrack.BuildAss(Spoken("Cats", "sleep", "a", "lot."), Layout, Style));

        Assert.Equal(
            [
                @"{\c&H00FFFF&}Cats{\c&HFFFFFF&} sleep a lot.",
                @"Cats {\c&H00FFFF&}sleep{\c&HFFFFFF&} a lot.",
                @"Cats sleep {\c&H00FFFF&}a{\c&HFFFFFF&} lot.",
                @"Cats sleep a {\c&H00FFFF&}lot.{\c&HFFFFFF&}",
            ],
            texts);
    }

    [Fact]
    public void A_line_gives_way_when_the_next_line_starts_before_it_ends()
    {
        List<WordTiming> words = [new("First.", 0, 2.0), new("Second", 1.5, 2.5)];

        var times = DialogueTimes(CaptionTrack.BuildAss(words, Layout, Style));

        Assert.Equal([("0:00:00.00", "0:00:01.50"), ("0:00:01.50", "0:00:02.50")], times);
    }

    [Fact]
    public void Braces_backslashes_and_line_breaks_in_words_stay_plain_text()
    {
        var ass = CaptionTrack.BuildAss(Spoken("{yes}", @"\N", @"back\slash", "two\nlines", @"{\b1}"), Layout, Style);
        var texts = DialogueTexts(ass);
        var all = string.Join("\n", texts);

        Assert.Equal(5, texts.Count);
        // The only override blocks are our two colour tags; every brace from a word arrives escaped.
        Assert.All(texts, t => Assert.Equal(2, UnescapedBraces(t)));
        Assert.Contains(@"\{yes\}", all, StringComparison.Ordinal);
        Assert.Contains("\\\u2060N", all, StringComparison.Ordinal);
        Assert.Contains("back\\\u2060slash", all, StringComparison.Ordinal);
        Assert.Contains("\\{\\\u2060b1\\}", all, StringComparison.Ordinal);
        Assert.Contains("two lines", all, StringComparison.Ordinal);
        Assert.DoesNotContain(@"\N", ass, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaping_covers_braces_backslash_and_control_characters()
    {
        Assert.Equal("\\{a\\} \\\u2060N b c", CaptionTrack.EscapeText("{a} \\N b\nc"));
    }

    [Fact]
    public void The_header_sizes_the_script_to_the_video_and_uses_the_font_family()
    {
        var ass = CaptionTrack.BuildAss(Spoken("Hi"), Layout, Style);

        Assert.Contains("PlayResX: 1080\n", ass, StringComparison.Ordinal);
        Assert.Contains("PlayResY: 1920\n", ass, StringComparison.Ordinal);
        // Bold, white with a black outline, bottom-centre inside the safe area (7% left, 15% right, 22% below) with
        // room for the 7 px outline and 3 px shadow.
        Assert.Contains("Style: Caption,DejaVu Sans,77,&H00FFFFFF,&H0000FFFF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,7,3,2,83,172,432,1\n", ass, StringComparison.Ordinal);
    }

    [Fact]
    public void No_words_give_a_track_with_no_events()
    {
        Assert.Empty(DialogueTexts(CaptionTrack.BuildAss([], Layout, Style)));
    }

    [Fact]
    public void Timestamps_are_hours_minutes_seconds_and_centiseconds()
    {
        Assert.Equal("1:02:03.45", CaptionTrack.FormatTime(372_345));
        Assert.Equal("0:00:00.00", CaptionTrack.FormatTime(0));
    }

    [Fact]
    public async Task The_writer_replaces_the_file_whole_and_leaves_no_temporary_files()
    {
        using var scratch = new TempFolder();
        var path = scratch.File("captions.ass");
        await File.WriteAllTextAsync(path, "old");

        await CaptionTrack.WriteAsync(path, Spoken("Hello", "world."), Layout, CaptionStyle.Minimal, CancellationToken.None);

        Assert.Equal(CaptionTrack.BuildAss(Spoken("Hello", "world."), Layout, CaptionStyle.Minimal), await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(scratch.Path));
    }

    [Fact]
    public void The_font_family_is_read_from_the_font_file()
    {
        Assert.Equal("DejaVu Sans", FontFamily.Read("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"));
        Assert.Equal(FontFamily.Fallback, FontFamily.Read("/nonexistent/font.ttf"));
    }

    [Theory]
    [InlineData("a,b,c")]
    [InlineData("12:30:45")]
    [InlineData("Dialogue: 0,0:00:00.00,9:00:00.00,Caption,,0,0,0,,x")]
    [InlineData("\"quoted\" and 'single' and `back`")]
    [InlineData("100% %{localtime} %{eif:1:d} %s %n")]
    [InlineData("Style: Evil,Arial,500,&H000000FF")]
    public void Commas_colons_quotes_and_percent_signs_reach_the_text_field_unchanged(string word)
    {
        // One event for the whole text: a line long enough not to split it.
        var ass = CaptionTrack.BuildAss([new WordTiming(word, 0, 1)], Layout, Style with { MaxCharsPerLine = 80 });

        // Text is the tenth and last field: libass splits an event on its first nine commas only, so everything
        // after them, commas included, is text. Nothing in ASS expands % or treats quotes or colons specially, so
        // only the braces (escaped) differ from the word.
        var events = ass.Split('\n').Where(l => l.StartsWith("Dialogue:", StringComparison.Ordinal)).ToList();
        var fields = Assert.Single(events).Split(',', 10);
        Assert.Equal(["Dialogue: 0", "0:00:00.00", "0:00:01.00", "Caption", "", "0", "0", "0", ""], fields[..9]);
        Assert.Matches(@"^(\{\\fs\d+\})?$", fields[9].Replace(CaptionTrack.ColourTag(Style.HighlightColour) + CaptionTrack.EscapeText(word) + CaptionTrack.ColourTag(Style.PrimaryColour), "", StringComparison.Ordinal));
        Assert.Single(ass.Split('\n'), l => l.StartsWith("Style:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_font_family_cannot_break_the_style_line()
    {
        var ass = CaptionTrack.BuildAss(Spoken("Hi"), Layout with { FontFamily = "Evil,Font\nStyle: X" }, Style);

        Assert.Contains("Style: Caption,Evil Font Style: X,77,", ass, StringComparison.Ordinal);
        Assert.Single(ass.Split('\n'), l => l.StartsWith("Style:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\u202Eevil", "evil")]
    [InlineData("exe.\u202Etxt", "exe.txt")]
    [InlineData("\u202Aembedded\u202C", "embedded")]
    [InlineData("\u202Bright\u202C \u202Dleft", "right left")]
    [InlineData("\u2066iso\u2069 \u2067rtl\u2069 \u2068first", "iso rtl first")]
    [InlineData("\u2069\u202C", "")]
    public void Bidi_embeddings_overrides_and_isolates_are_removed(string word, string expected)
    {
        Assert.Equal(expected, CaptionTrack.CleanWord(word));
    }

    [Fact]
    public void A_stray_right_to_left_override_cannot_reverse_the_words_after_it()
    {
        var lines = CaptionTrack.GroupLines(Spoken("abc", "\u202Edef", "ghi"));

        var line = Assert.Single(lines);
        Assert.Equal("abc def ghi", line.Text);
        Assert.DoesNotContain(lines.SelectMany(l => l.Text), c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
    }

    [Fact]
    public void Arabic_and_hebrew_letters_and_the_implicit_direction_marks_are_kept()
    {
        Assert.Equal("مرحبا", CaptionTrack.CleanWord("مرحبا"));
        Assert.Equal("שלום", CaptionTrack.CleanWord("שלום"));
        Assert.Equal("a\u200Fb\u200Ec\u061Cd", CaptionTrack.CleanWord("a\u200Fb\u200Ec\u061Cd"));
        // ZWNJ and ZWJ shape Persian words and emoji sequences.
        Assert.Equal("می\u200Cخواهم 👨\u200D👩\u200D👧", CaptionTrack.CleanWord("می\u200Cخواهم 👨\u200D👩\u200D👧"));
    }

    [Fact]
    public void Lone_surrogates_become_replacement_characters_and_pairs_survive()
    {
        Assert.Equal("a\uFFFDb\uFFFD", CaptionTrack.CleanWord("a\uD800b\uDC00"));
        Assert.Equal("\uFFFD\uFFFD", CaptionTrack.CleanWord("\uDC00\uD800"));
        Assert.Equal("😀", CaptionTrack.CleanWord("\uD83D\uDE00"));
    }

    [Fact]
    public void Control_characters_and_line_separators_become_single_spaces()
    {
        Assert.Equal("a b c d e f", CaptionTrack.CleanWord("a\0b\r\nc\u2028d\u2029e\u0085\t f"));
        Assert.Equal("", CaptionTrack.CleanWord(" \t\r\n\u00A0 "));
    }

    [Fact]
    public void A_letter_keeps_at_most_eight_combining_marks()
    {
        var zalgo = "Z" + new string('\u0336', 50) + "a";

        var cleaned = CaptionTrack.CleanWord(zalgo);

        Assert.Equal("Z" + new string('\u0336', CaptionTrack.MaxMarksPerCharacter) + "a", cleaned);
        // Real text keeps its marks: Vietnamese stacks two on one vowel, a keycap is digit + VS16 + enclosing keycap.
        Assert.Equal("Vie\u0323\u0302t 1\uFE0F\u20E3", CaptionTrack.CleanWord("Vie\u0323\u0302t 1\uFE0F\u20E3"));
    }

    [Fact]
    public void A_word_longer_than_a_line_is_split_into_even_chunks_that_share_its_time()
    {
        List<WordTiming> words = [new("incomprehensibilities", 1.0, 3.1)];

        var lines = CaptionTrack.GroupLines(words);

        Assert.Equal(["incomprehen", "sibilities"], lines.Select(l => l.Text));
        Assert.Equal(1.0, lines[0].Start, 6);
        Assert.Equal(2.1, lines[0].End, 6);
        Assert.Equal(2.1, lines[1].Start, 6);
        Assert.Equal(3.1, lines[1].End, 6);
    }

    [Fact]
    public void A_two_thousand_character_word_becomes_many_short_lines_not_one_giant_event()
    {
        var giant = new string('A', 2000);

        var lines = CaptionTrack.GroupLines([new WordTiming(giant, 0, 200)]);
        var ass = CaptionTrack.BuildAss([new WordTiming(giant, 0, 200)], Layout, Style);

        Assert.Equal(112, lines.Count);
        Assert.All(lines, l => Assert.InRange(l.Text.Length, 17, CaptionTrack.MaxCharsPerLine));
        Assert.Equal(giant, string.Concat(lines.Select(l => l.Text)));
        Assert.Equal(112, DialogueTexts(ass).Count);
        Assert.All(DialogueTexts(ass), t => Assert.True(t.Length < 200, $"An event of {t.Length} characters."));
    }

    [Fact]
    public void A_long_cell_with_spaces_is_split_at_its_spaces_into_several_lines()
    {
        var lines = CaptionTrack.GroupLines([new WordTiming("the quick brown fox jumps over the lazy dog", 0, 4.3)]);

        Assert.Equal(["the quick brown", "fox jumps over the", "lazy dog"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.True(CaptionTrack.CountColumns(l.Text) <= CaptionTrack.MaxCharsPerLine));
    }

    [Fact]
    public void Characters_are_counted_as_people_see_them_with_wide_ones_counting_two()
    {
        Assert.Equal(1, CaptionTrack.CountColumns("e\u0301"));
        Assert.Equal(3, CaptionTrack.CountColumns("Ж\u0336\u0336\u0336ab"));
        Assert.Equal(2, CaptionTrack.CountColumns("👨\u200D👩\u200D👧\u200D👦"));
        Assert.Equal(2, CaptionTrack.CountColumns("🇯🇵"));
        Assert.Equal(2, CaptionTrack.CountColumns("👍🏽"));
        Assert.Equal(8, CaptionTrack.CountColumns("你好世界"));
        Assert.Equal(6, CaptionTrack.CountColumns("ＡＢＣ"));
    }

    [Fact]
    public void A_line_holds_nine_chinese_characters_or_nine_emoji_families()
    {
        var chinese = string.Concat(Enumerable.Repeat("國", 20));
        var families = string.Concat(Enumerable.Repeat("👨\u200D👩\u200D👧\u200D👦", 9));

        Assert.Equal([7, 7, 6], CaptionTrack.GroupLines([new WordTiming(chinese, 0, 1)]).Select(l => l.Text.Length));
        // 9 families are 99 UTF-16 units but one line: clusters are never cut.
        Assert.Equal(families, Assert.Single(CaptionTrack.GroupLines([new WordTiming(families, 0, 1)])).Text);
    }

    [Fact]
    public void A_line_whose_widest_word_would_overflow_the_safe_area_is_drawn_smaller()
    {
        var wide = CaptionTrack.BuildAss([new WordTiming(new string('W', 18), 0, 1)], Layout, Style);
        var normal = CaptionTrack.BuildAss(Spoken("Cats", "sleep", "extraordinary"), Layout, Style);

        // 18 W are about 20 em; between the margins there are 1080 - (76 + 7) - (162 + 7 + 3) = 825 px.
        var text = Assert.Single(DialogueTexts(wide));
        Assert.StartsWith(@"{\fs41}", text, StringComparison.Ordinal);
        Assert.All(DialogueTexts(normal), t => Assert.DoesNotContain(@"\fs", t, StringComparison.Ordinal));
    }

    private static int UnescapedBraces(string text) =>
        text.Where((c, i) => c == '{' && (i == 0 || text[i - 1] != '\\')).Count();
}
