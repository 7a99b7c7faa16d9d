using ViralForge.Testing;
using ViralForge.Core.Ports;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

public class CaptionTrackTests
{
    private static readonly CaptionLayout Layout = new(1080, 1920, "DejaVu Sans");

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

        var times = DialogueTimes(CaptionTrack.BuildAss(words, Layout));

        Assert.Equal(
            [("0:00:01.00", "0:00:01.35"), ("0:00:01.35", "0:00:01.75"), ("0:00:01.75", "0:00:01.90"), ("0:00:01.90", "0:00:02.40")],
            times);
    }

    [Fact]
    public void The_spoken_word_and_only_it_is_highlighted()
    {
        var texts = DialogueTexts(CaptionTrack.BuildAss(Spoken("Cats", "sleep", "a", "lot."), Layout));

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

        var times = DialogueTimes(CaptionTrack.BuildAss(words, Layout));

        Assert.Equal([("0:00:00.00", "0:00:01.50"), ("0:00:01.50", "0:00:02.50")], times);
    }

    [Fact]
    public void Braces_backslashes_and_line_breaks_in_words_stay_plain_text()
    {
        var ass = CaptionTrack.BuildAss(Spoken("{yes}", @"\N", @"back\slash", "two\nlines", @"{\b1}"), Layout);
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
        var ass = CaptionTrack.BuildAss(Spoken("Hi"), Layout);

        Assert.Contains("PlayResX: 1080\n", ass, StringComparison.Ordinal);
        Assert.Contains("PlayResY: 1920\n", ass, StringComparison.Ordinal);
        // Bold, white with a black outline, bottom-centre, 22% of the height clear below it.
        Assert.Contains("Style: Caption,DejaVu Sans,77,&H00FFFFFF,&H0000FFFF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,7,3,2,76,76,422,1\n", ass, StringComparison.Ordinal);
    }

    [Fact]
    public void No_words_give_a_track_with_no_events()
    {
        Assert.Empty(DialogueTexts(CaptionTrack.BuildAss([], Layout)));
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

        await CaptionTrack.WriteAsync(path, Spoken("Hello", "world."), Layout, CancellationToken.None);

        Assert.Equal(CaptionTrack.BuildAss(Spoken("Hello", "world."), Layout), await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(scratch.Path));
    }

    [Fact]
    public void The_font_family_is_read_from_the_font_file()
    {
        Assert.Equal("DejaVu Sans", FontFamily.Read("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"));
        Assert.Equal(FontFamily.Fallback, FontFamily.Read("/nonexistent/font.ttf"));
    }

    private static int UnescapedBraces(string text) =>
        text.Where((c, i) => c == '{' && (i == 0 || text[i - 1] != '\\')).Count();
}
