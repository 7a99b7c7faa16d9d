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
    /// <summary>Where captions may go: clear of the platforms' own buttons and text.</summary>
    public SafeArea SafeArea => SafeArea.For(Width, Height);
}

/// <summary>
/// Karaoke captions as an ASS subtitle track: words grouped into short lines, one Dialogue event per word-span with
/// the spoken word in the highlight colour. Pure text building, plus an atomic writer.
/// </summary>
/// <remarks>
/// Every word is user text (from a sheet, through a voice's timings), so it is cleaned before layout and escaped
/// before it is written: no word can add an override tag, a line break, an event or a style, or reorder the rest
/// of its line. See <see cref="EscapeText"/> and <see cref="CleanWord"/>.
/// </remarks>
public static class CaptionTrack
{
    /// <summary>Words per line when no style says otherwise (and <see cref="CaptionStyle.BoldPop"/>'s limit).</summary>
    public const int MaxWordsPerLine = 4;

    /// <summary>Characters per line when no style says otherwise (and <see cref="CaptionStyle.BoldPop"/>'s limit).</summary>
    public const int MaxCharsPerLine = 18;

    /// <summary>A silence longer than this starts a new line even mid-sentence, so a stale line does not hang on screen.</summary>
    public const double MaxPauseInLineSeconds = 1.0;

    /// <summary>
    /// Combining marks kept on one character. Real text stacks at most three or four (Vietnamese tone on a vowel
    /// mark, Hebrew points with cantillation, Tibetan stacks); "zalgo" text stacks dozens, which would tower out of
    /// the safe area.
    /// </summary>
    public const int MaxMarksPerCharacter = 8;

    /// <summary>The one style every event uses.</summary>
    public const string StyleName = "Caption";

    private const string SentenceEnds = ".!?;:…";
    private const string ClosingMarks = "\"')]}»”’";

    // Estimated advance widths in em, for deciding whether a word fits the safe area. They come from DejaVu Sans
    // Bold (the project font and one of the widest common sans faces), rounded up, so the estimate errs towards
    // shrinking: printable ASCII from U+0020, in hundredths of an em.
    private static readonly byte[] AsciiWidths =
    [
        35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 40, 40,
        84, 84, 84, 59, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100, 84, 86, 74, 86, 78, 73, 69, 82, 78, 111,
        78, 73, 73, 46, 37, 46, 84, 50, 50, 68, 72, 60, 72, 68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60,
        48, 72, 66, 93, 65, 66, 59, 72, 37, 72, 84,
    ];

    // Non-ASCII letters wider than DefaultEm in DejaVu Sans Bold (Щ is 1.33 em).
    private const string WideLetters = "ЩШЖЮЉЊщшЫМжфФљюњЪЦыΜŒŴœÆæǢǼ";
    private const double WideLetterEm = 1.35;
    private const double DefaultEm = 0.95;

    // CJK, Hangul, fullwidth forms and emoji: 1 em in Noto CJK, at most that for Symbola's emoji; a little spare.
    private const double FullWidthEm = 1.05;

    /// <summary>Groups words into lines of at most <see cref="MaxWordsPerLine"/> words and <see cref="MaxCharsPerLine"/> characters, breaking after sentence punctuation and long pauses.</summary>
    public static IReadOnlyList<CaptionLine> GroupLines(IReadOnlyList<WordTiming> words) =>
        GroupLines(words, MaxWordsPerLine, MaxCharsPerLine);

    /// <summary>Groups words into lines within the style's word and character limits.</summary>
    public static IReadOnlyList<CaptionLine> GroupLines(IReadOnlyList<WordTiming> words, CaptionStyle style) =>
        GroupLines(words, style.MaxWordsPerLine, style.MaxCharsPerLine);

    /// <summary>
    /// Groups words into lines of at most this many words and characters, breaking after sentence punctuation and
    /// long pauses. Words are cleaned first (<see cref="CleanWord"/>); a word longer than a whole line is split into
    /// pieces that each fit, sharing its time in proportion to their length, so no single event can run off the frame.
    /// Characters are counted by <see cref="CountColumns"/>: an accented letter is one, a Chinese character or an
    /// emoji family two.
    /// </summary>
    public static IReadOnlyList<CaptionLine> GroupLines(IReadOnlyList<WordTiming> words, int maxWordsPerLine, int maxCharsPerLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWordsPerLine, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCharsPerLine, 1);
        var cleaned = words
            .Select(w => new WordTiming(CleanWord(w.Word), Seconds(w.Start), Math.Max(Seconds(w.Start), Seconds(w.End))))
            .Where(w => w.Word.Length > 0)
            .SelectMany(w => SplitOverlong(w, maxCharsPerLine))
            .OrderBy(w => w.Start)
            .ToList();

        var lines = new List<CaptionLine>();
        var current = new List<WordTiming>();
        var currentChars = 0;

        foreach (var word in cleaned)
        {
            var chars = CountColumns(word.Word);
            if (current.Count > 0)
            {
                var tooMany = current.Count >= maxWordsPerLine;
                var tooLong = currentChars + 1 + chars > maxCharsPerLine;
                var paused = word.Start - current[^1].End > MaxPauseInLineSeconds;
                if (tooMany || tooLong || paused)
                {
                    lines.Add(ToLine(current));
                    current = [];
                    currentChars = 0;
                }
            }

            currentChars += (current.Count > 0 ? 1 : 0) + chars;
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

    /// <summary>
    /// The whole ASS file for these words: header sized to the frame, one style from <paramref name="style"/> with
    /// margins from the frame's <see cref="SafeArea"/>, and the karaoke events.
    /// </summary>
    public static string BuildAss(IReadOnlyList<WordTiming> words, CaptionLayout layout, CaptionStyle style)
    {
        var safe = layout.SafeArea;
        var fontPixels = style.FontPixels(layout.Height);
        var outline = style.OutlinePixels(layout.Height);
        var shadow = style.ShadowPixels(layout.Height);
        // ASS colours are &HAABBGGRR with alpha 00 opaque. In a box (BorderStyle 3) libass fills the box with the
        // outline colour; the back colour is always the shadow's, black and 59% transparent.
        var outlineColour = style.Box
            ? AssColour(style.BoxColour, (byte)Math.Round((1 - style.BoxOpacity) * 255))
            : AssColour(style.OutlineColour);
        // Libass keeps the letters inside the margins, but the outline (or box padding) and the shadow stick out
        // beyond them, so the margins are the safe area's insets plus that much: nothing drawn leaves the safe area.
        // The top inset needs no margin: lines hang from the bottom margin, and a line of a few short words wraps to
        // at most a few rows, far below the top 10%.
        var marginLeft = safe.Left + outline;
        var marginRight = safe.Right + outline + shadow;
        var marginBottom = safe.Bottom + outline + shadow;
        var ass = new StringBuilder();
        // WrapStyle 0 is libass's smart wrapping: a line wider than the space between MarginL and MarginR breaks at
        // spaces into rows of similar width instead of running past the margins.
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
            Style: {StyleName},{StyleField(layout.FontFamily)},{fontPixels},{AssColour(style.PrimaryColour)},{AssColour(style.HighlightColour)},{outlineColour},&H96000000,{(style.Bold ? -1 : 0)},0,0,0,100,100,0,0,{(style.Box ? 3 : 1)},{outline},{shadow},2,{marginLeft},{marginRight},{marginBottom},1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """);

        var highlightTag = ColourTag(style.HighlightColour);
        var normalTag = ColourTag(style.PrimaryColour);
        // Libass only wraps at spaces, so one word wider than the margins would run past them: such a line is drawn smaller.
        var fitWidth = Math.Max(1, layout.Width - marginLeft - marginRight);
        var lines = GroupLines(words, style);
        for (var li = 0; li < lines.Count; li++)
        {
            var line = lines[li];
            // Two lines never share the screen: a line that overlaps the next one's start gives way to it.
            var lineEnd = li + 1 < lines.Count ? Math.Min(line.End, lines[li + 1].Start) : line.End;
            var escaped = line.Words.Select(w => EscapeText(w.Word)).ToArray();
            var sizeTag = SizeTag(line, fontPixels, fitWidth);
            for (var k = 0; k < line.Words.Count; k++)
            {
                // Each word stays lit until the next one starts, so the line never flickers between words.
                var start = Centiseconds(line.Words[k].Start);
                var end = Centiseconds(k + 1 < line.Words.Count ? line.Words[k + 1].Start : lineEnd);
                if (end <= start)
                {
                    continue;
                }

                ass.Append("Dialogue: 0,").Append(FormatTime(start)).Append(',').Append(FormatTime(end)).Append(',')
                    .Append(StyleName).Append(",,0,0,0,,").Append(sizeTag);
                for (var j = 0; j < escaped.Length; j++)
                {
                    if (j > 0)
                    {
                        ass.Append(' ');
                    }

                    if (j == k)
                    {
                        ass.Append(highlightTag).Append(escaped[j]).Append(normalTag);
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

    /// <summary>Builds the ASS text in this style and writes it atomically (a retried render never reads half a file).</summary>
    public static Task WriteAsync(string path, IReadOnlyList<WordTiming> words, CaptionLayout layout, CaptionStyle style, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, BuildAss(words, layout, style), cancellationToken);

    /// <summary>
    /// Makes user text inert in an ASS event. Braces would open override blocks, so they become \{ and \} (libass
    /// prints those literally). ASS has no escape for a backslash, and \N, \n, \h would become line breaks and
    /// spaces, so every backslash is followed by a WORD JOINER (U+2060, zero width): libass then prints the backslash
    /// itself. Line breaks and other control characters become spaces. Commas, colons, quotes and percent signs need
    /// nothing: Text is an event's last field, so libass reads it to the end of the line, and it expands nothing.
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

    /// <summary>
    /// One word's text made safe to lay out, before escaping: control characters and line or paragraph separators
    /// become spaces (and runs of spaces one), lone surrogates become U+FFFD, combining marks beyond
    /// <see cref="MaxMarksPerCharacter"/> on one character are dropped, and bidi embedding, override and isolate
    /// controls (U+202A-U+202E, U+2066-U+2069) are removed.
    /// </summary>
    /// <remarks>
    /// Why strip the bidi controls rather than keep them: libass runs the Unicode bidi algorithm over a whole caption
    /// line, so an unpaired RIGHT-TO-LEFT OVERRIDE in one word reverses every word after it (tested: "abc [RLO]def
    /// ghi" draws "abc ihg fed"). Isolating each word in FSI..PDI would contain that, but also breaks real RTL
    /// text: isolates count as neutral, so the words of an Arabic or Hebrew phrase would then be laid out left to
    /// right. Without the explicit controls the algorithm's implicit rules order Arabic and Hebrew words correctly
    /// on their own, and a caption is one short spoken phrase, where explicit embeddings have no honest use. The
    /// implicit marks LRM, RLM and ALM are kept: they act like one strong letter and cannot reverse a run.
    /// </remarks>
    public static string CleanWord(string word)
    {
        var text = new StringBuilder(word.Length);
        var marks = 0;
        var rest = word.AsSpan();
        while (!rest.IsEmpty)
        {
            // A lone surrogate decodes as invalid and comes back as U+FFFD, which every font draws as a visible placeholder.
            Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            rest = rest[consumed..];
            if (IsBidiControl(rune.Value))
            {
                continue;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    text.Append(' ');
                    marks = 0;
                    continue;
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark:
                    if (++marks > MaxMarksPerCharacter)
                    {
                        continue;
                    }

                    break;
                default:
                    marks = 0;
                    break;
            }

            text.Append(rune.ToString());
        }

        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>A "#RRGGBB" colour as an ASS style colour, &amp;HAABBGGRR (alpha 00 is opaque).</summary>
    public static string AssColour(string rgb, byte alpha = 0) =>
        string.Create(CultureInfo.InvariantCulture, $"&H{alpha:X2}{Bgr(rgb)}");

    /// <summary>An override block that sets the primary (fill) colour, {\c&amp;HBBGGRR&amp;}.</summary>
    public static string ColourTag(string rgb) => $@"{{\c&H{Bgr(rgb)}&}}";

    /// <summary>An ASS timestamp, H:MM:SS.cc, from a count of centiseconds.</summary>
    public static string FormatTime(long centiseconds)
    {
        var hours = centiseconds / 360_000;
        var minutes = centiseconds / 6_000 % 60;
        var seconds = centiseconds / 100 % 60;
        var hundredths = centiseconds % 100;
        return string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00}.{hundredths:00}");
    }

    /// <summary>
    /// A text's length as the line limits count it: one per grapheme cluster, two for CJK, Hangul, fullwidth forms
    /// and emoji, which are about twice as wide as a Latin letter (as a terminal counts columns). So a line of 18
    /// holds 18 Latin letters or 9 Chinese characters, and both fit the frame at the same font size.
    /// </summary>
    public static int CountColumns(string text)
    {
        var columns = 0;
        for (var rest = text.AsSpan(); !rest.IsEmpty;)
        {
            var length = StringInfo.GetNextTextElementLength(rest);
            columns += Columns(rest[..length]);
            rest = rest[length..];
        }

        return columns;
    }

    /// <summary>
    /// A rough upper bound of the text's width in em, from a table of DejaVu Sans Bold's ASCII widths and a few
    /// classes of wider letters; only for deciding whether a word needs shrinking, never for placing it (libass
    /// does that). A table, not a measurement: a glyph wider than its class (the one-character ligature U+FDFD, some
    /// cuneiform) can still be underestimated.
    /// </summary>
    public static double EstimateWidthEm(string text)
    {
        var em = 0.0;
        for (var rest = text.AsSpan(); !rest.IsEmpty;)
        {
            var length = StringInfo.GetNextTextElementLength(rest);
            // Marks and joiners after the first code point draw over it, not beside it.
            Rune.DecodeFromUtf16(rest, out var first, out _);
            em += EstimateWidthEm(first.Value);
            rest = rest[length..];
        }

        return em;
    }

    private static double EstimateWidthEm(int codePoint) => codePoint switch
    {
        >= 0x20 and < 0x7F => AsciiWidths[codePoint - 0x20] / 100.0,
        < 0x20 or (>= 0x7F and < 0xA0) => 0,
        _ when IsFullWidth(codePoint) => FullWidthEm,
        // DŽ, LJ, NJ and friends: two letters in one code point.
        >= 0x01C4 and <= 0x01CC => 1.6,
        _ when codePoint <= 0xFFFF && WideLetters.Contains((char)codePoint, StringComparison.Ordinal) => WideLetterEm,
        _ => DefaultEm,
    };

    // East Asian Wide and Fullwidth blocks, and the emoji and symbol blocks fonts draw about as wide.
    private static bool IsFullWidth(int codePoint) => codePoint is
        (>= 0x1100 and <= 0x115F) or (>= 0x2600 and <= 0x27BF) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3)
        or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6)
        or (>= 0x1F000 and <= 0x1FAFF) or (>= 0x20000 and <= 0x3FFFD);

    private static int Columns(ReadOnlySpan<char> element)
    {
        Rune.DecodeFromUtf16(element, out var first, out _);
        return IsFullWidth(first.Value) ? 2 : 1;
    }

    // An override block that shrinks a line whose widest word would not fit the safe area; empty when it fits.
    private static string SizeTag(CaptionLine line, int fontPixels, int fitWidth)
    {
        var widestEm = line.Words.SelectMany(w => w.Word.Split(' ')).Max(EstimateWidthEm);
        if (widestEm * fontPixels <= fitWidth)
        {
            return string.Empty;
        }

        var size = Math.Max(1, (int)Math.Floor(fitWidth / widestEm));
        return string.Create(CultureInfo.InvariantCulture, $@"{{\fs{size}}}");
    }

    private static IEnumerable<WordTiming> SplitOverlong(WordTiming word, int maxColumns)
    {
        if (CountColumns(word.Word) <= maxColumns)
        {
            return [word];
        }

        // Spaces inside a word (a cell pasted whole) are where it splits first; a piece still too long for a line
        // splits into near-equal chunks, so a 21-letter word becomes 11 + 10 letters rather than 18 + 3.
        var pieces = word.Word.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(p => SplitEvenly(p, maxColumns)).ToList();
        var total = (double)pieces.Sum(CountColumns);
        var duration = word.End - word.Start;
        var done = 0;
        var split = new List<WordTiming>(pieces.Count);
        foreach (var piece in pieces)
        {
            var start = word.Start + (duration * done / total);
            done += CountColumns(piece);
            split.Add(new WordTiming(piece, start, word.Start + (duration * done / total)));
        }

        return split;
    }

    // The fewest near-equal chunks of whole grapheme clusters with at most maxColumns each (a single cluster wider
    // than that stays whole: it cannot be cut).
    private static List<string> SplitEvenly(string piece, int maxColumns)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(piece);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        var widths = elements.Select(e => Columns(e)).ToArray();
        var total = widths.Sum();
        for (var chunks = Math.Max(1, (total + maxColumns - 1) / maxColumns); ; chunks++)
        {
            // Each cluster goes to the chunk its first column falls in, so chunks differ by at most one wide cluster.
            var split = new List<string>(chunks);
            var current = new StringBuilder();
            var currentChunk = 0;
            var currentColumns = 0;
            var fits = true;
            var column = 0;
            for (var i = 0; i < elements.Count; i++)
            {
                var chunk = (int)((long)column * chunks / total);
                if (chunk != currentChunk && current.Length > 0)
                {
                    split.Add(current.ToString());
                    current.Clear();
                    currentColumns = 0;
                }

                currentChunk = chunk;
                current.Append(elements[i]);
                currentColumns += widths[i];
                fits &= currentColumns <= maxColumns || currentColumns == widths[i];
                column += widths[i];
            }

            split.Add(current.ToString());
            if (fits || chunks >= elements.Count)
            {
                return split;
            }
        }
    }

    private static bool IsBidiControl(int codePoint) => codePoint is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    private static string Bgr(string rgb)
    {
        if (rgb is not { Length: 7 } || rgb[0] != '#' || !rgb.Skip(1).All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"'{rgb}' is not a colour written #RRGGBB.", nameof(rgb));
        }

        return string.Concat(rgb.AsSpan(5, 2), rgb.AsSpan(3, 2), rgb.AsSpan(1, 2)).ToUpperInvariant();
    }

    private static CaptionLine ToLine(List<WordTiming> words) => new(words, words[0].Start, Math.Max(words[^1].End, words[^1].Start));

    private static long Centiseconds(double seconds) => (long)Math.Round(seconds * 100, MidpointRounding.AwayFromZero);

    private static double Seconds(double value) => double.IsFinite(value) ? Math.Max(0, value) : 0;

    private static bool EndsSentence(string word)
    {
        var trimmed = word.TrimEnd(ClosingMarks.ToCharArray());
        return trimmed.Length > 0 && SentenceEnds.Contains(trimmed[^1], StringComparison.Ordinal);
    }

    // A comma would end the Style field early and a line break the whole style; font family names need neither.
    private static string StyleField(string value) => new(value.Select(c => c == ',' || char.IsControl(c) ? ' ' : c).ToArray());
}
