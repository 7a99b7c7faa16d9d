using ViralForge.Adapters.Voices;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Puts the script's own words on a recogniser's timings: the recognised words (whisper-1's verbose_json) are aligned
/// to the script's by edit distance over their letters and digits, so captions show the script's spelling ("3", "Wi-Fi")
/// where the recogniser heard "three", "wifi"; a script word the recogniser missed gets a time shared out between its
/// aligned neighbours.
/// </summary>
public static class WhisperAligner
{
    /// <summary>The script's words (<see cref="NarrationText.Words"/>) timed from the recognised words.</summary>
    public static IReadOnlyList<WordTiming> Align(string script, IReadOnlyList<WordTiming> recognised, double totalSeconds)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(recognised);
        var words = NarrationText.Words(script);
        var heard = Pieces(recognised);
        var a = words.Select(w => NarrationText.Normalize(w.Word)).ToArray();
        var b = heard.Select(w => NarrationText.Normalize(w.Word)).ToArray();
        var (n, m) = (a.Length, b.Length);
        var cost = new int[n + 1, m + 1];
        for (var i = 0; i <= n; i++)
        {
            cost[i, 0] = i;
        }
        for (var j = 0; j <= m; j++)
        {
            cost[0, j] = j;
        }
        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j <= m; j++)
            {
                var substitute = cost[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cost[i, j] = Math.Min(substitute, Math.Min(cost[i - 1, j] + 1, cost[i, j - 1] + 1));
            }
        }
        var known = new (double Start, double End)?[n];
        int x = n, y = m;
        while (x > 0 && y > 0)
        {
            if (cost[x, y] == cost[x - 1, y - 1] + (a[x - 1] == b[y - 1] ? 0 : 1))
            {
                // Matched or substituted: a word spoken where the script has one ("three" for "3") is that word.
                known[x - 1] = (heard[y - 1].Start, heard[y - 1].End);
                x--;
                y--;
            }
            else if (cost[x, y] == cost[x - 1, y] + 1)
            {
                x--;
            }
            else
            {
                y--;
            }
        }
        return Interpolation.Fill(words, known, totalSeconds);
    }

    /// <summary>
    /// The recognised words cut as the script's are: whisper gives a Japanese or Chinese phrase as one word, the script's
    /// words are its characters, so a phrase's time is shared between its characters by length.
    /// </summary>
    private static List<WordTiming> Pieces(IReadOnlyList<WordTiming> recognised)
    {
        var pieces = new List<WordTiming>();
        foreach (var word in recognised)
        {
            var parts = NarrationText.Words(word.Word.Trim());
            if (parts.Count <= 1)
            {
                pieces.Add(word with { Word = word.Word.Trim() });
                continue;
            }
            var length = parts.Sum(p => p.Word.Length);
            var at = word.Start;
            foreach (var part in parts)
            {
                var seconds = (word.End - word.Start) * part.Word.Length / length;
                pieces.Add(new WordTiming(part.Word, at, at + seconds));
                at += seconds;
            }
        }
        return pieces;
    }
}
