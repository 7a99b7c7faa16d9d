using ViralForge.Core.Ports;

namespace ViralForge.Core.Trends;

/// <summary>The analysis stage's statistics over a trend sample: engagement, durations, hooks, tags. Pure computation.</summary>
public static class TrendAnalyzer
{
    /// <summary>At most this many tags are reported.</summary>
    public const int MaxTopTags = 10;

    /// <summary>At most this many titles are reported.</summary>
    public const int MaxTopTitles = 5;

    private static readonly HashSet<string> QuestionWords =
        new(["what", "what's", "whats", "why", "when", "where", "who", "who's", "which", "whose", "how", "how's"], StringComparer.Ordinal);

    // Auxiliaries open a question only when a subject follows ("Do you ...") or the title asks one;
    // otherwise "Do this before bed" is an instruction.
    private static readonly HashSet<string> Auxiliaries =
        new(["is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will", "have", "has", "am", "isn't", "aren't", "don't", "doesn't", "can't", "won't", "shouldn't"], StringComparer.Ordinal);

    private static readonly HashSet<string> Subjects =
        new(["you", "i", "we", "they", "he", "she", "it", "your", "my", "our", "their"], StringComparer.Ordinal);

    private static readonly HashSet<string> Imperatives =
        new(["stop", "don't", "dont", "never", "quit", "avoid", "try", "start", "skip", "forget", "use", "make", "do", "watch", "ditch", "save", "turn", "put", "eat", "drink", "read", "buy", "learn", "get"], StringComparer.Ordinal);

    private static readonly HashSet<string> FirstPerson =
        new(["i", "i'm", "im", "i've", "ive", "i'd", "i'll", "my", "me", "we", "we're", "we've", "our"], StringComparer.Ordinal);

    private static readonly HashSet<string> SecondPerson =
        new(["you", "your", "you're", "youre", "you've", "you'll", "you'd", "yours"], StringComparer.Ordinal);

    private static readonly HashSet<string> SecretOpeners =
        new(["secret", "secrets", "hidden", "nobody", "nobody's"], StringComparer.Ordinal);

    private static readonly HashSet<string> SecretAfterThe =
        new(["secret", "secrets", "truth", "hidden", "real"], StringComparer.Ordinal);

    private static readonly HashSet<string> NumberWords =
        new(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "fifty", "hundred"], StringComparer.Ordinal);

    /// <summary>Computes the statistics of <paramref name="sample"/>; an empty sample (no trends for the niche) gives an empty analysis.</summary>
    /// <remarks>
    /// Engagement skips videos with 0 views (the rate is undefined); durations skip videos whose duration
    /// is unknown (0). When no video qualifies, the corresponding statistics are 0.
    /// Percentiles use linear interpolation between closest ranks (Hyndman and Fan type 7, as
    /// Excel's PERCENTILE.INC and NumPy's default): rank h = (n - 1) p, value x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]).
    /// </remarks>
    public static TrendAnalysis Analyze(TrendSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Videos.Count == 0)
        {
            return Empty(sample.Niche);
        }

        var rates = sample.Videos
            .Where(v => v.Views > 0)
            .Select(v => (double)(v.Likes + v.Comments) / v.Views)
            .ToList();
        var durations = sample.Videos
            .Where(v => v.DurationSeconds > 0)
            .Select(v => v.DurationSeconds)
            .ToList();

        return new TrendAnalysis(
            sample.Niche,
            sample.Videos.Count,
            rates.Count == 0 ? 0 : Percentile(rates, 0.5),
            rates.Count == 0 ? 0 : rates.Average(),
            durations.Count == 0 ? 0 : Percentile(durations, 0.5),
            durations.Count == 0 ? 0 : Percentile(durations, 0.25),
            durations.Count == 0 ? 0 : Percentile(durations, 0.75),
            HookPatterns(sample.Videos),
            TopTags(sample.Videos),
            sample.Videos
                .OrderByDescending(v => v.Views)
                .ThenBy(v => v.Title, StringComparer.Ordinal)
                .Take(MaxTopTitles)
                .Select(v => v.Title)
                .ToList());
    }

    /// <summary>
    /// The analysis of no videos: no hooks, tags or titles, and 0 for every statistic, so a script writer that reads it
    /// takes nothing from trends.
    /// </summary>
    public static TrendAnalysis Empty(string niche) => new(niche, 0, 0, 0, 0, 0, 0, [], [], []);

    /// <summary>
    /// The <paramref name="fraction"/> (0 to 1) percentile of <paramref name="values"/>, by linear
    /// interpolation between closest ranks (type 7), so 0.5 is the usual median.
    /// </summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A percentile of no values is undefined.", nameof(values));
        }
        var rank = (sorted.Length - 1) * fraction;
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>The kind of opening a title uses: one of the <see cref="HookKinds"/> values.</summary>
    /// <remarks>
    /// Judged by the opening words, in this order: pov, how-to ("How I ..." is a personal story), secret,
    /// number, question word, auxiliary + subject ("Do you ..."), imperative, first person, second person;
    /// a title that matched none of these but asks something ("... any good?") is a question.
    /// </remarks>
    public static string ClassifyHook(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var words = OpeningWords(title);
        if (words.Count == 0)
        {
            return HookKinds.Other;
        }
        var first = words[0];
        var second = words.Count > 1 ? words[1] : string.Empty;
        var asks = title.Contains('?', StringComparison.Ordinal);

        if (first == "pov")
        {
            return HookKinds.Pov;
        }
        if (first == "how" && second == "to")
        {
            return HookKinds.HowTo;
        }
        if (first == "how" && second is "i" or "my" or "we")
        {
            return HookKinds.PersonalStory;
        }
        if (SecretOpeners.Contains(first)
            || (first == "the" && SecretAfterThe.Contains(second))
            || (first is "what" or "here's" && second is "nobody" or "no"))
        {
            return HookKinds.Secret;
        }
        if (IsNumber(first) || (first == "top" && IsNumber(second)))
        {
            return HookKinds.Number;
        }
        if (QuestionWords.Contains(first) || (Auxiliaries.Contains(first) && (Subjects.Contains(second) || asks)))
        {
            return HookKinds.Question;
        }
        if (Imperatives.Contains(first))
        {
            return HookKinds.Imperative;
        }
        if (FirstPerson.Contains(first))
        {
            return HookKinds.PersonalStory;
        }
        if (SecondPerson.Contains(first))
        {
            return HookKinds.SecondPerson;
        }
        return asks ? HookKinds.Question : HookKinds.Other;
    }

    private static List<HookPattern> HookPatterns(IReadOnlyList<TrendVideo> videos) =>
        videos
            .Select((video, index) => (video, index, kind: ClassifyHook(video.Title)))
            .GroupBy(x => x.kind, StringComparer.Ordinal)
            .Select(g => new HookPattern(
                g.Key,
                g.Count(),
                (double)g.Count() / videos.Count,
                // The most-viewed title shows the pattern at its best; sample order breaks ties.
                g.OrderByDescending(x => x.video.Views).ThenBy(x => x.index).First().video.Title))
            .OrderByDescending(p => p.Count)
            .ThenBy(p => p.Kind, StringComparer.Ordinal)
            .ToList();

    private static List<TagCount> TopTags(IReadOnlyList<TrendVideo> videos) =>
        videos
            // A tag repeated on one video (in any case) still counts that video once.
            .SelectMany(v => v.Tags
                .Select(t => t.Trim().ToLowerInvariant())
                .Where(t => t.Length > 0)
                .Distinct(StringComparer.Ordinal))
            .GroupBy(t => t, StringComparer.Ordinal)
            .Select(g => new TagCount(g.Key, g.Count()))
            .OrderByDescending(t => t.Count)
            .ThenBy(t => t.Tag, StringComparer.Ordinal)
            .Take(MaxTopTags)
            .ToList();

    private static List<string> OpeningWords(string title)
    {
        var normalized = title.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant();
        var words = new List<string>(2);
        foreach (var raw in normalized.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // Emoji and punctuation around a word ("🔥", "POV:", "stop,") do not change its meaning.
            var word = raw.Trim().Trim(TrimmedAround(raw));
            if (word.Length == 0)
            {
                continue;
            }
            words.Add(word);
            if (words.Count == 2)
            {
                break;
            }
        }
        return words;
    }

    private static char[] TrimmedAround(string word) =>
        word.Where(c => !char.IsLetterOrDigit(c) && c is not '\'' and not '$' and not '£' and not '€').Distinct().ToArray();

    private static bool IsNumber(string word) =>
        NumberWords.Contains(word)
        || (word.Length > 0 && char.IsAsciiDigit(word[0]))
        || (word.Length > 1 && word[0] is '$' or '£' or '€' && char.IsAsciiDigit(word[1]));
}
