namespace ViralForge.Core.Scripts;

/// <summary>
/// How long a text takes to say, in English-word equivalents, so one words-per-minute rate sizes scripts in every
/// language: a space-separated word counts one, and Japanese, which has no spaces, counts by morae.
/// </summary>
/// <remarks>
/// Counting whitespace tokens made a Japanese sentence one "word" however long it was, so a Japanese script fitted to
/// 30 s ran for minutes. The script writer fits scripts with this count, the visuals stage shares a script's time
/// out among its beats with it, and <see cref="VideoScript.EstimatedSeconds"/> comes from it.
/// </remarks>
public static class SpokenLength
{
    /// <summary>
    /// Japanese morae per English word at the same speaking rate. Measured with espeak-ng 1.51 at 165 wpm: a Japanese
    /// script of 165 morae (read into kana by kakasi) took 25.7 s, 6.4 morae a second; English scripts run about 5 %
    /// under the 2.75 words a second that 165 wpm says, so a mora is worth 2.75 × 0.95 / 6.4 of a word: 2.4 morae a word.
    /// </summary>
    public const double MoraePerWord = 2.4;

    /// <summary>
    /// Morae a kanji (or other CJK ideograph) takes on average: most Japanese readings are two (かん, しょく, ぶつ).
    /// Only an estimate (the reading depends on the word); the voice stage measures the real length and adjusts.
    /// </summary>
    public const double MoraePerIdeograph = 2;

    /// <summary>Morae a Hangul syllable block takes (one syllable, spoken about as long as a mora or two).</summary>
    public const double MoraePerHangul = 1.5;

    /// <summary>The text's length in English-word equivalents: words with a letter or digit, plus CJK morae over <see cref="MoraePerWord"/>.</summary>
    public static double Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        var words = 0.0;
        var morae = 0.0;
        var inWord = false;
        foreach (var c in text)
        {
            if (IsCjk(c))
            {
                // Small kana (ゃ) and CJK punctuation (。) take no mora of their own, and are no word either.
                morae += Morae(c);
                inWord = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                inWord = false;
            }
            else if (char.IsLetterOrDigit(c) && !inWord)
            {
                // What lies between spaces (or CJK characters) is one word if it has a letter or digit: "don't", "4-7-8",
                // "and/or" are one each, as a narrator says them; "iPhoneの" is a word and a mora.
                words++;
                inWord = true;
            }
        }
        return words + (morae / MoraePerWord);
    }

    /// <summary>Seconds the text takes at <paramref name="wordsPerMinute"/>.</summary>
    public static double Seconds(string? text, double wordsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wordsPerMinute);
        return Words(text) / wordsPerMinute * 60;
    }

    /// <summary>CJK symbols and punctuation, kana, ideographs and Hangul: characters that are never part of a space-separated word.</summary>
    private static bool IsCjk(char c) =>
        c is >= '\u3000' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uAC00' and <= '\uD7A3';

    /// <summary>True when the text has characters that count by morae (kana, kanji, Hangul).</summary>
    public static bool HasMorae(string? text) => text is not null && text.Any(c => Morae(c) > 0);

    /// <summary>Morae one character takes: 1 for kana (0 for the small ゃ, ゅ, ょ that join the one before), more for ideographs; 0 for anything else.</summary>
    private static double Morae(char c) => c switch
    {
        'ゃ' or 'ゅ' or 'ょ' or 'ぁ' or 'ぃ' or 'ぅ' or 'ぇ' or 'ぉ' or 'ゎ' or 'ャ' or 'ュ' or 'ョ' or 'ァ' or 'ィ' or 'ゥ' or 'ェ' or 'ォ' or 'ヮ' => 0,
        // Hiragana, katakana (ー, the long-vowel mark, and っ, the doubled consonant, are a mora each).
        >= '\u3041' and <= '\u3096' or >= '\u30A1' and <= '\u30FA' or 'ー' => 1,
        // CJK unified ideographs, extension A, compatibility ideographs, and 々 (repeats the kanji before it).
        >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' or '々' => MoraePerIdeograph,
        >= '\uAC00' and <= '\uD7A3' => MoraePerHangul,
        _ => 0,
    };
}
