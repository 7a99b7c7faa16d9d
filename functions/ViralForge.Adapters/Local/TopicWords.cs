namespace ViralForge.Adapters.Local;

/// <summary>Splits free text into comparable words: lower-cased, stop words removed, lightly stemmed.</summary>
/// <remarks>
/// The stemming is deliberately crude (plural s/ies and -ing only). Both sides of every comparison go
/// through the same function, so "cooking" and "cook" or "dogs" and "dog" meet even where the stem
/// itself is not a real word ("sav" for "saving").
/// </remarks>
internal static class TopicWords
{
    // Function words, plus filler that short-form titles and tags use in every niche ("tips", "hacks",
    // "easy"), which would otherwise pull unrelated topics towards whichever niche uses them most.
    private static readonly HashSet<string> StopWords = new(
        [
            "a", "an", "the", "and", "or", "but", "nor", "for", "to", "of", "in", "on", "at", "by", "with", "from",
            "about", "into", "over", "under", "off", "up", "out", "down", "after", "before", "than", "then", "as", "so", "if", "vs", "versus",
            "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done", "have", "has", "had",
            "can", "could", "should", "would", "will", "shall", "may", "might", "must", "not", "no", "yes",
            "i", "me", "my", "mine", "we", "us", "our", "you", "your", "yours", "he", "him", "his", "she", "her",
            "they", "them", "their", "it", "its", "this", "that", "these", "those", "there", "here",
            "what", "why", "how", "when", "where", "who", "whom", "which", "whose",
            "all", "any", "some", "more", "most", "much", "many", "very", "just", "only", "really", "actually", "also",
            "get", "got", "make", "made", "use", "using", "need", "want", "know", "like",
            "best", "top", "good", "great", "better", "new", "easy", "quick", "simple", "ultimate",
            "tip", "tips", "hack", "hacks", "trick", "tricks", "way", "ways", "thing", "things", "idea", "ideas",
            "guide", "video", "videos", "short", "shorts", "viral", "trending", "day", "days", "minute", "minutes",
            "second", "seconds", "time", "people", "everyone", "nobody", "everything", "nothing",
            // Words any niche's titles use ("pet care", "skin care"; "for beginners"): one cat video's "cat care" tag made
            // "Houseplant care for beginners" a pets video.
            "care", "caring", "beginner", "beginners", "basics",
        ],
        StringComparer.Ordinal);

    /// <summary>The distinct stems of the content words of <paramref name="text"/>, in order of first appearance.</summary>
    public static List<string> Stems(string text) => Terms(text).Select(t => t.Stem).ToList();

    /// <summary>The content words of <paramref name="text"/> with their stems, one per distinct stem, in order of first appearance.</summary>
    public static List<(string Word, string Stem)> Terms(string text)
    {
        var terms = new List<(string Word, string Stem)>();
        foreach (var word in Words(text))
        {
            if (IsStopWord(word))
            {
                continue;
            }
            var stem = Stem(word);
            if (stem.Length >= 2 && !IsStopWord(stem) && !terms.Exists(t => t.Stem == stem))
            {
                terms.Add((word, stem));
            }
        }
        return terms;
    }

    /// <summary>Lower-cased words of <paramref name="text"/> that contain a letter; "don't" and "cat's" lose the apostrophe.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var c in text.Replace('\u2019', '\'') + " ")
        {
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (current.Length > 0)
            {
                var word = current.ToString();
                current.Clear();
                if (word.EndsWith("'s", StringComparison.Ordinal))
                {
                    word = word[..^2];
                }
                word = word.Replace("'", string.Empty, StringComparison.Ordinal);
                if (word.Any(char.IsLetter))
                {
                    yield return word;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="word"/> (lower-case) carries no topic on its own.</summary>
    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>Removes a plural ending, then an -ing ending ("puppies" → "puppy", "running" → "run").</summary>
    public static string Stem(string word)
    {
        var stem = word;
        if (stem.Length > 4 && stem.EndsWith("ies", StringComparison.Ordinal))
        {
            stem = stem[..^3] + "y";
        }
        else if (stem.Length > 3 && stem.EndsWith('s') && !stem.EndsWith("ss", StringComparison.Ordinal)
            && !stem.EndsWith("us", StringComparison.Ordinal) && !stem.EndsWith("is", StringComparison.Ordinal))
        {
            stem = stem[..^1];
        }
        if (stem.Length > 5 && stem.EndsWith("ing", StringComparison.Ordinal))
        {
            stem = stem[..^3];
            // "running" → "runn" → "run"; l, s and z double in their base forms too ("fall", "pass", "buzz").
            if (stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') && !IsVowel(stem[^1]))
            {
                stem = stem[..^1];
            }
        }
        return stem;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
