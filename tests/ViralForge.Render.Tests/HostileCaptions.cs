using System.Text;

namespace ViralForge.Render.Tests;

/// <summary>
/// Caption text chosen to break things: filtergraph and ASS syntax, expansions, quotes, bidi and scripts, joined
/// emoji, marks, invisible and control characters, broken UTF-16, huge and empty input, paths, URLs and shell.
/// Public so any test of user text can run through it.
/// </summary>
public static class HostileCaptions
{
    /// <summary>Every hostile string, each once.</summary>
    public static IReadOnlyList<string> All { get; } = Build();

    /// <summary>
    /// The strings as theory data. Use it with <c>DisableDiscoveryEnumeration = true</c>: xunit's discovery
    /// serialises theory rows, which turns lone surrogates into U+FFFD (and then merges the rows that became equal),
    /// so without it those strings would silently not be tested.
    /// </summary>
    public static TheoryData<string> Data
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var text in All)
            {
                data.Add(text);
            }

            return data;
        }
    }

    /// <summary>A short printable description of a hostile string for failure messages: escapes, and the length if long.</summary>
    public static string Describe(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > 60 ? text[..60] : text)
        {
            shown.Append(c is < ' ' or (>= '\u007F' and <= '\u009F') or (>= '\u2000' and <= '\u206F') or (>= '\uD800' and <= '\uDFFF') or (>= '\uFE00' and <= '\uFEFF')
                ? $"\\u{(int)c:X4}"
                : c.ToString());
        }

        return text.Length > 60 ? $"{shown}... ({text.Length} chars)" : shown.ToString();
    }

    private static List<string> Build()
    {
        List<string> strings =
        [
            // ffmpeg filtergraph and option metacharacters: [ ] , ; : ' \ =
            "[", "]", "[in]", "[0:v]scale=2:2[out];[out]null", "a,b", "a;b", "a:b", "it's", @"back\slash", "a=b",
            @"'\'':,;[]=\", "drawtext=text='x':fontfile=/etc/passwd", "movie=/etc/passwd[x];[x]overlay",
            "ass=/etc/passwd", @"\\\\\\\\", "''''",

            // ASS override syntax, line breaks, drawing mode and script structure
            @"{\b1}bold", @"{\pos(1,2)}moved", @"{\fs200}huge", @"line\Nbreak", @"line\nbreak", @"hard\hspace",
            "{unbalanced", "unbalanced}", "}{", "{{{{", "}}}}", @"{\p1}m 0 0 l 100 0 100 100{\p0}",
            @"{\clip(0,0,1,1)}clipped", @"{\alpha&HFF&}invisible", @"{\r}reset", @"{\k100}karaoke",
            @"{\move(0,0,500,500)}", @"{\an7}{\fad(0,0)}", @"\{escaped\}", @"\\{double\\}", @"{\c&H0000FF&}red",
            @"{\3c&H00FF00&\bord50}", @"{\fnComic Sans MS}", @"{\t(\fscx1000)}", @"{\org(99999,99999)\frz45}",
            @"{\blur999\be100}", @"{\fsp9999}wide", "{=0}", "{\\", "\\", "trailing\\", @"\\N",
            "Dialogue: 0,0:00:00.00,9:00:00.00,Caption,,0,0,0,,injected", "[Events]",
            "[Script Info]\nPlayResX: 1", "Style: Evil,Arial,500,&H000000FF,&H000000FF,&H0,&H0,-1,0,0,0,100,100,0,0,1,9,9,5,0,0,0,1",
            "x\n[V4+ Styles]\nStyle: Caption,Arial,400", "; comment", "!: not a comment",

            // percent and drawtext expansions
            "%{localtime}", "%{eif:1:d}", "%{pts:hms}", "%{expr:1+1}", "%{metadata:title}", "100%", "%%", "%s%s%s%n%x",

            // quotes of all kinds
            "\"double\"", "'single'", "`backtick`", "“curly”", "‘curly’", "«guillemets»", "„low“", "'\"'\"'", "「カギ」", "″′‴",

            // right-to-left text and bidi controls
            "مرحبا بالعالم", "שלום עולם", "\u202Eevil", "exe.\u202Etxt", "\u202Aembed", "abc\u202Cdef", "\u202B\u202B\u202Brtl",
            "\u2066isolate\u2069", "\u2067rtl\u2069", "\u2068first", "\u2069", "مرحبا\u202Dabc", "\u200F\u200E marks",
            "العدد 123 and 456", "می\u200Cخواهم", "abc \u202E123 def", "\u202E\u2066\u202A\u202B\u202D",

            // CJK
            "你好世界", "こんにちは世界", "안녕하세요", "ＡＢＣ１２３", string.Concat(Enumerable.Repeat("猫咪睡觉", 10)), "　",

            // joined emoji: ZWJ families, flags, skin tones, keycaps, tag sequences
            "👨\u200D👩\u200D👧\u200D👦", "🇺🇦🇯🇵🇺🇸", "👍🏽👍🏿", "1\uFE0F\u20E3#\uFE0F\u20E3*\uFE0F\u20E3", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
            "🏳\uFE0F\u200D🌈", "👩🏽\u200D💻", string.Concat(Enumerable.Repeat("😀", 100)), "\U0001F1E6", "\u200D👨\u200D",

            // combining marks
            "Z" + new string('\u0336', 50), "e\u0301", "\u0301", "\u20DD", "a" + string.Concat(Enumerable.Range(0x300, 70).Select(c => (char)c)),
            "\u0E01\u0E34\u0E4A\u0E49", "ᄀ\u1161\u11A8",

            // zero-width and invisible characters
            "\u200B", "a\u200Bb", "\u200D", "\u200C", "\uFEFFbom", "\u2060", "\u00AD", "\u034F", "\u180E", "\u2061\u2062\u2063\u2064",

            // NUL and other control characters
            "\0", "a\0b", "\u0007bell", "\u001B[31mred\u001B[0m", "\u0085nel", "\u2028ls\u2029ps", "\u007F", "\b\b\b", "\f\v", "\u009B31m",

            // broken UTF-16
            "\uD800", "\uDC00", "a\uD800b", "\uDBFF\uDBFF", "\uDC00\uD800", "😀\uD83D", "\uFFFE\uFFFF", "\uFFFD", "\U0010FFFF",

            // extremes
            new string('A', 2000), LongLine(20_000), "", " ", "   ", "\t\t", "\u00A0", "\u2003\u2009",
            "\uFDFD", "𒐫𒐫𒐫", "\uE000\uF8FF",

            // paths, URLs, protocols and shell
            "../../etc/passwd", "file:///etc/passwd", "http://x/", "https://example.com/" + new string('a', 1000) + "?q=" + new string('b', 1000) + "#frag",
            "concat:a|b", "subfile,,start,0,end,1,,:a.mp4", "$(rm -rf /)", "`id`", "; rm -rf / #", "&& shutdown -h now", "| cat /etc/shadow",
            "C:\\Windows\\System32", "\\\\server\\share", "<script>alert(1)</script>", "&amp;&lt;", "${HOME}", "%HOMEPATH%",

            // line structure
            "one\ntwo\nthree", "windows\r\nline", "old\rmac", "tab\tseparated\tvalues", "\n\n\n", "\r\n",
        ];
        return strings;
    }

    // A paragraph of ordinary words repeated to the length: a whole cell pasted as one caption.
    private static string LongLine(int length)
    {
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            text.Append("The quick brown fox jumps over the lazy dog, again and again. ");
        }

        return text.ToString(0, length);
    }
}
