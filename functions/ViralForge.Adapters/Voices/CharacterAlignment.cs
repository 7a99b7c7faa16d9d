using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Voices;

/// <summary>
/// Word timings from a per-character alignment (ElevenLabs' with-timestamps): each caption word starts at its first
/// character's start and ends at its last character's end.
/// </summary>
/// <remarks>
/// The alignment follows the input text, so normally its characters are the text's own; they are matched to the text
/// in order all the same, skipping whitespace on either side (a line break in the script, a space the vendor adds), so
/// that the words keep their own characters' times. A character that differs is stepped over on both sides, and a word
/// none of whose characters was matched (an alignment cut short) takes the time between its neighbours.
/// </remarks>
public static class CharacterAlignment
{
    public static IReadOnlyList<WordTiming> ToWords(string text, IReadOnlyList<string> characters, IReadOnlyList<double> starts, IReadOnlyList<double> ends)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(characters);
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(ends);
        if (characters.Count != starts.Count || characters.Count != ends.Count)
        {
            throw new InvalidDataException($"the alignment's arrays differ in length ({characters.Count} characters, {starts.Count} starts, {ends.Count} ends)");
        }
        // The alignment flattened to UTF-16 units, each with its character's times.
        var aligned = new List<(char C, double Start, double End)>();
        for (var i = 0; i < characters.Count; i++)
        {
            foreach (var c in characters[i] ?? "")
            {
                aligned.Add((c, starts[i], ends[i]));
            }
        }
        var times = new (double Start, double End)?[text.Length];
        int t = 0, a = 0;
        while (t < text.Length && a < aligned.Count)
        {
            if (char.IsWhiteSpace(text[t]))
            {
                t++;
            }
            else if (char.IsWhiteSpace(aligned[a].C))
            {
                a++;
            }
            else
            {
                times[t] = (aligned[a].Start, aligned[a].End);
                t++;
                a++;
            }
        }
        var words = NarrationText.Words(text);
        var result = new (double Start, double End)?[words.Count];
        for (var w = 0; w < words.Count; w++)
        {
            double? start = null, end = null;
            for (var i = words[w].Start; i < words[w].End; i++)
            {
                if (times[i] is { } time)
                {
                    start = start is null ? time.Start : Math.Min(start.Value, time.Start);
                    end = end is null ? time.End : Math.Max(end.Value, time.End);
                }
            }
            result[w] = start is null ? null : (start.Value, end!.Value);
        }
        var total = aligned.Count == 0 ? 0 : aligned.Max(x => x.End);
        return Interpolation.Fill(words, result, total);
    }
}

/// <summary>Times for the words an aligner could not place, shared out between their placed neighbours by length.</summary>
public static class Interpolation
{
    public static IReadOnlyList<WordTiming> Fill(IReadOnlyList<TextWord> words, IReadOnlyList<(double Start, double End)?> known, double totalSeconds)
    {
        var timings = new WordTiming[words.Count];
        var w = 0;
        while (w < words.Count)
        {
            if (known[w] is { } time)
            {
                timings[w] = new WordTiming(words[w].Word, time.Start, Math.Max(time.Start, time.End));
                w++;
                continue;
            }
            var gapEnd = w;
            while (gapEnd < words.Count && known[gapEnd] is null)
            {
                gapEnd++;
            }
            var from = w == 0 ? 0 : timings[w - 1].End;
            var to = gapEnd < words.Count ? known[gapEnd]!.Value.Start : Math.Max(totalSeconds, from);
            var weight = 0;
            for (var i = w; i < gapEnd; i++)
            {
                weight += Math.Max(1, words[i].Word.Length);
            }
            var at = from;
            for (var i = w; i < gapEnd; i++)
            {
                var length = (to - from) * Math.Max(1, words[i].Word.Length) / weight;
                timings[i] = new WordTiming(words[i].Word, at, at + length);
                at += length;
            }
            w = gapEnd;
        }
        return timings;
    }
}
