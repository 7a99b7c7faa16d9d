using System.Globalization;
using System.Text;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>A few consecutive words shown together as one caption line, from its first word's start to its last word's end.</summary>
public sealed record CaptionLine(IReadOnlyList<WordTiming> Words, double Start, double End)
{
    /// <summary>The line as plain text, unescaped.</summary>
    public string Text => string.Join(' ', Words.Select(w => w.Word));
}

/// <summary>Frame size and font the captions are laid out for.</summary>
public sealed record CaptionLayout(int Width, int Height, string FontFamily)
{
    /// <summary>The video size from options and the family of MediaOptions.FontFile (read from the font file).</summary>
    public static CaptionLayout FromOptions(MediaOptions media) =>
        new(media.Width, media.Height, Render.FontFamily.Read(media.FontFile));

    /// <summary>Big enough to read on a phone, small enough that a full line fits the width.</summary>
    public int FontSize => (int)Math.Round(Height * 0.04);

    public int Outline => Math.Max(2, (int)Math.Round(Height * 0.0035));

    public int Shadow => Math.Max(1, (int)Math.Round(Height * 0.0015));

    /// <summary>Lines sit above the bottom 22%, which TikTok, Reels and Shorts cover with captions and buttons.</summary>
    public int MarginVertical => (int)Math.Round(Height * 0.22);

    public int MarginHorizontal => (int)Math.Round(Width * 0.07);
}

/// <summary>
/// Karaoke captions as an ASS subtitle track: words grouped into short lines, one Dialogue event per word-span with
/// the spoken word in the highlight colour. Pure text building, plus an atomic writer.
/// </summary>
public static class CaptionTrack
{
    public const int MaxWordsPerLine = 4;

    public const int MaxCharsPerLine = 18;

    /// <summary>A silence longer than this starts a new line even mid-sentence, so a stale line does not hang on screen.</summary>
    public const double MaxPauseInLineSeconds = 1.0;

    /// <summary>The spoken word: yellow (ASS colours are &amp;HBBGGRR&amp;).</summary>
    public const string HighlightTag = @"{\c&H00FFFF&}";

    /// <summary>Back to the style's white after the spoken word.</summary>
    public const string NormalTag = @"{\c&HFFFFFF&}";

    private const string SentenceEnds = ".!?;:…";
    private const string ClosingMarks = "\"')]}»”’";

    /// <summary>Groups words into lines of at most <see cref="MaxWordsPerLine"/> words and <see cref="MaxCharsPerLine"/> characters, breaking after sentence punctuation and long pauses.</summary>
    public static IReadOnlyList<CaptionLine> GroupLines(IReadOnlyList<WordTiming> words)
    {
        var cleaned = words
            .Select(w => new WordTiming(CleanWord(w.Word), Seconds(w.Start), Math.Max(Seconds(w.Start), Seconds(w.End))))
            .Where(w => w.Word.Length > 0)
            .OrderBy(w => w.Start)
            .ToList();

        var lines = new List<CaptionLine>();
        var current = new List<WordTiming>();
        var currentChars = 0;

        foreach (var word in cleaned)
        {
            if (current.Count > 0)
            {
                var tooMany = current.Count >= MaxWordsPerLine;
                var tooLong = currentChars + 1 + word.Word.Length > MaxCharsPerLine;
                var paused = word.Start - current[^1].End > MaxPauseInLineSeconds;
                if (tooMany || tooLong || paused)
                {
                    lines.Add(ToLine(current));
                    current = [];
                    currentChars = 0;
                }
            }

            currentChars += (current.Count > 0 ? 1 : 0) + word.Word.Length;
            current.Add(word);
            if (EndsSentence(word.Word))
            {
                lines.Add(ToLine(current));
                current = [];
                currentChars = 0;
            }
        }

        if (current.Count > 0)
        {
            lines.Add(ToLine(current));
        }

        return lines;
    }

    /// <summary>The whole ASS file for these words: header sized to the frame, one style, and the karaoke events.</summary>
    public static string BuildAss(IReadOnlyList<WordTiming> words, CaptionLayout layout)
    {
        var ass = new StringBuilder();
        ass.Append(CultureInfo.InvariantCulture, $"""
            [Script Info]
            ; Karaoke captions written by ViralForge
            ScriptType: v4.00+
            PlayResX: {layout.Width}
            PlayResY: {layout.Height}
            WrapStyle: 0
            ScaledBorderAndShadow: yes

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            Style: Caption,{StyleField(layout.FontFamily)},{layout.FontSize},&H00FFFFFF,&H0000FFFF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,{layout.Outline},{layout.Shadow},2,{layout.MarginHorizontal},{layout.MarginHorizontal},{layout.MarginVertical},1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """);

        var lines = GroupLines(words);
        for (var li = 0; li < lines.Count; li++)
        {
            var line = lines[li];
            // Two lines never share the screen: a line that overlaps the next one's start gives way to it.
            var lineEnd = li + 1 < lines.Count ? Math.Min(line.End, lines[li + 1].Start) : line.End;
            var escaped = line.Words.Select(w => EscapeText(w.Word)).ToArray();
            for (var k = 0; k < line.Words.Count; k++)
            {
                // Each word stays lit until the next one starts, so the line never flickers between words.
                var start = Centiseconds(line.Words[k].Start);
                var end = Centiseconds(k + 1 < line.Words.Count ? line.Words[k + 1].Start : lineEnd);
                if (end <= start)
                {
                    continue;
                }

                ass.Append("Dialogue: 0,").Append(FormatTime(start)).Append(',').Append(FormatTime(end)).Append(",Caption,,0,0,0,,");
                for (var j = 0; j < escaped.Length; j++)
                {
                    if (j > 0)
                    {
                        ass.Append(' ');
                    }

                    if (j == k)
                    {
                        ass.Append(HighlightTag).Append(escaped[j]).Append(NormalTag);
                    }
                    else
                    {
                        ass.Append(escaped[j]);
                    }
                }

                ass.Append('\n');
            }
        }

        return ass.ToString();
    }

    /// <summary>Builds the ASS text and writes it atomically (a retried render never reads half a file).</summary>
    public static Task WriteAsync(string path, IReadOnlyList<WordTiming> words, CaptionLayout layout, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, BuildAss(words, layout), cancellationToken);

    /// <summary>
    /// Makes user text inert in an ASS event. Braces would open override blocks, so they become \{ and \} (libass
    /// prints those literally). ASS has no escape for a backslash, and \N, \n, \h would become line breaks and
    /// spaces, so every backslash is followed by a WORD JOINER (U+2060, zero width): libass then prints the backslash
    /// itself. Line breaks and other control characters become spaces.
    /// </summary>
    public static string EscapeText(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    escaped.Append('\\').Append('\u2060');
                    break;
                case '{':
                    escaped.Append(@"\{");
                    break;
                case '}':
                    escaped.Append(@"\}");
                    break;
                default:
                    escaped.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>An ASS timestamp, H:MM:SS.cc, from a count of centiseconds.</summary>
    public static string FormatTime(long centiseconds)
    {
        var hours = centiseconds / 360_000;
        var minutes = centiseconds / 6_000 % 60;
        var seconds = centiseconds / 100 % 60;
        var hundredths = centiseconds % 100;
        return string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00}.{hundredths:00}");
    }

    private static CaptionLine ToLine(List<WordTiming> words) => new(words, words[0].Start, Math.Max(words[^1].End, words[^1].Start));

    private static long Centiseconds(double seconds) => (long)Math.Round(seconds * 100, MidpointRounding.AwayFromZero);

    private static double Seconds(double value) => double.IsFinite(value) ? Math.Max(0, value) : 0;

    private static string CleanWord(string word)
    {
        var spaced = new string(word.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return string.Join(' ', spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static bool EndsSentence(string word)
    {
        var trimmed = word.TrimEnd(ClosingMarks.ToCharArray());
        return trimmed.Length > 0 && SentenceEnds.Contains(trimmed[^1], StringComparison.Ordinal);
    }

    // A comma would end the Style field early; font family names never need one.
    private static string StyleField(string value) => value.Replace(',', ' ');
}
