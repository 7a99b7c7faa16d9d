using System.Text;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Voices;

/// <summary>A caption word: its text and where it sits in the narration (UTF-16 offsets, end exclusive).</summary>
public readonly record struct TextWord(string Word, int Start, int End);

/// <summary>
/// The narration as the paid voices cut it: into the words captions show, and into parts under a vendor's per-request
/// character limit at sentence ends.
/// </summary>
public static class NarrationText
{
    private static readonly char[] SentenceEnds = ['.', '!', '?', '…', '。', '！', '？', '؟', '।', ';', '；'];

    /// <summary>
    /// The caption words: whitespace-separated tokens, punctuation kept (as espeak-ng's narration gives them), except that
    /// a run of CJK characters, which has no spaces, is one word per character, with the punctuation after a character
    /// kept on it ("水やり。" is 水, や, り。): a whole sentence would otherwise be one caption word lasting seconds.
    /// </summary>
    public static IReadOnlyList<TextWord> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<TextWord>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var atEnd = i == text.Length;
            if (atEnd || char.IsWhiteSpace(text[i]))
            {
                if (start >= 0)
                {
                    SplitCjk(text, start, i, words);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        return words;
    }

    /// <summary>
    /// The text in parts of at most <paramref name="maxChars"/> characters, cut after a sentence end where one fits, else at
    /// a space, else anywhere (a surrogate pair is never cut). Joined with single spaces the parts give the text back,
    /// less the whitespace at the cuts.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 2);
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > maxChars)
        {
            var cut = LastCut(rest, maxChars);
            parts.Add(rest[..cut].Trim());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0)
        {
            parts.Add(rest);
        }
        return parts;
    }

    private static int LastCut(string text, int maxChars)
    {
        var sentence = -1;
        var space = -1;
        for (var i = 1; i <= maxChars; i++)
        {
            var previous = text[i - 1];
            // A full-width stop ends a sentence with no space after it (Japanese and Chinese put none).
            if (Array.IndexOf(SentenceEnds, previous) >= 0 && (i == text.Length || char.IsWhiteSpace(text[i]) || previous > '\u3000'))
            {
                sentence = i;
            }
            else if (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                space = i;
            }
        }
        if (sentence > 0)
        {
            return sentence;
        }
        if (space > 0)
        {
            return space;
        }
        return char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
    }

    private static void SplitCjk(string text, int start, int end, List<TextWord> words)
    {
        var pieceStart = start;
        for (var i = start; i < end; i++)
        {
            // A CJK character starts a new word, unless it is the token's first.
            if (i > pieceStart && IsCjk(text[i]))
            {
                words.Add(new TextWord(text[pieceStart..i], pieceStart, i));
                pieceStart = i;
            }
            else if (i > pieceStart && IsCjk(text[i - 1]) && char.IsLetterOrDigit(text[i]))
            {
                // Latin or digits after CJK ("iPhone" in a Japanese sentence) start a word of their own too.
                words.Add(new TextWord(text[pieceStart..i], pieceStart, i));
                pieceStart = i;
            }
        }
        words.Add(new TextWord(text[pieceStart..end], pieceStart, end));
    }

    /// <summary>Han, kana, Hangul syllables and CJK letters: scripts written without spaces between words.</summary>
    public static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF')
            or (>= '\uF900' and <= '\uFAFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\u31F0' and <= '\u31FF');

    /// <summary>A word reduced to what a recogniser and a script agree on: lower-case letters and digits.</summary>
    public static string Normalize(string word)
    {
        var builder = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString();
    }

    /// <summary>The timings moved later by <paramref name="offset"/> seconds (a part spoken after others).</summary>
    public static IEnumerable<WordTiming> Shift(IEnumerable<WordTiming> words, double offset) =>
        words.Select(w => w with { Start = w.Start + offset, End = w.End + offset });
}
