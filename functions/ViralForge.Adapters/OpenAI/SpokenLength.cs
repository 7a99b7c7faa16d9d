using System.Globalization;
using System.Text;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// How long a text takes to say, in English-word equivalents, for any script the writer may get back. Written here
/// because Core has no spoken-length counter yet (one is being added for the offline writer); replace with it then.
/// </summary>
/// <remarks>
/// Words are runs of letters or digits between spaces. Chinese and Japanese have no spaces, so their ideographs and
/// kana count by character: read aloud at about 4.5 characters a second against 2.75 English words at 165 words a
/// minute, one character is about 0.6 of a word. Punctuation alone is not a word.
/// </remarks>
public static class SpokenLength
{
    /// <summary>English-word equivalents of one CJK character.</summary>
    public const double WordsPerCjkCharacter = 0.6;

    public static double Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        double words = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                words += WordsPerCjkCharacter;
                inWord = false;
            }
            else if (Rune.IsLetterOrDigit(rune) || (inWord && IsInsideWord(rune)))
            {
                if (!inWord)
                {
                    words++;
                    inWord = true;
                }
            }
            else
            {
                inWord = false;
            }
        }
        return words;
    }

    /// <summary>Seconds to say <paramref name="text"/> at <paramref name="wordsPerMinute"/>.</summary>
    public static double Seconds(string? text, double wordsPerMinute) => Words(text) / wordsPerMinute * 60;

    // "don't", "e-mail" and "3.5" are one word each; combining marks (Hindi, Arabic vowels) stay inside theirs.
    private static bool IsInsideWord(Rune rune) =>
        rune.Value is '\'' or '\u2019' or '-' or '.' or ','
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool IsCjk(Rune rune) => rune.Value is
        (>= 0x3040 and <= 0x30FF)      // hiragana, katakana
        or (>= 0x3400 and <= 0x4DBF)   // CJK extension A
        or (>= 0x4E00 and <= 0x9FFF)   // CJK unified ideographs
        or (>= 0xF900 and <= 0xFAFF)   // compatibility ideographs
        or (>= 0x20000 and <= 0x2FA1F); // extensions B-F
}
