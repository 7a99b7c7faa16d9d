using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.Local;

/// <summary>The offline script writer: fixed English templates filled from the row and the trend analysis, fitted to the row's duration.</summary>
/// <remarks>
/// Deterministic: the same row and analysis always give the same script. Only English templates exist;
/// a row in another language gets the same English script, because in production the LLM writer
/// handles languages and this writer only has to keep the pipeline runnable offline. The script then
/// says so in its <see cref="VideoScript.Notes"/>, which reach the row's Error cell, so the person
/// is not left to find out from the video.
/// </remarks>
public sealed class TemplateScriptWriter : IScriptWriter
{
    /// <summary>YouTube refuses longer titles.</summary>
    public const int MaxTitleLength = 100;

    /// <summary>At most this many tags are returned.</summary>
    public const int MaxTags = 15;

    /// <summary>YouTube's limit on all tags together, counting a comma between tags and quotes around tags with spaces.</summary>
    public const int MaxTagCharacters = 500;

    /// <summary>A beat's card is read at a glance, so it stays this short.</summary>
    public const int MaxCardWords = 6;

    /// <summary>The narration's estimated length stays within this fraction of the row's duration.</summary>
    public const double DurationTolerance = 0.15;

    // Hook and call to action may use at most this share of the words, so a beat always fits.
    private const double MaxFramingShare = 0.6;
    private const int MaxTopicWordsInHook = 6;
    private const int MinTopicWordsInHook = 3;
    private const double FitMargin = 1e-6;
    // From about 30 seconds of speech on there is room for a longer call to action; below about
    // 8 seconds (at 165 words a minute) only for the shortest.
    private const double LongCallToActionWords = 80;
    private const double ShortCallToActionWords = 22;

    private static readonly (string[] Sentences, string Card)[] CoreBeats =
    [
        (["Here is the short version of {topic}.", "Start smaller than you think, then build from there."], "Start small"),
        (["The biggest mistake with {topic} is doing everything at once.", "Pick one thing and do it well."], "One thing at a time"),
        (["Give it five focused minutes a day for one week.", "Consistency beats intensity every single time."], "Five minutes a day"),
        (["Write down what you tried and what changed.", "Progress you can see is progress you keep."], "Track your progress"),
        (["Copy what already works.", "The {niche} videos that trend right now repeat the same simple basics."], "Copy what works"),
        (["When it gets hard, make the step smaller instead of quitting.", "A tiny step still counts."], "Make it smaller"),
        (["Forget the perfect plan.", "A good plan you actually follow beats it every time."], "Good beats perfect"),
        (["Before you start, ask one question.", "What is the smallest next step with {topic}?"], "Find the next step"),
        (["Set everything up the night before.", "Future you will have nothing left to decide."], "Prepare the night before"),
        (["Tell a friend what you are working on.", "Saying it out loud makes you far more likely to follow through."], "Tell a friend"),
        (["Check back after thirty days.", "Most people quit right before the results show up."], "Give it thirty days"),
        (["Watch one expert do it, then try it yourself the same day.", "Learning sticks when you use it right away."], "Learn, then do"),
        (["Keep it boring on purpose.", "Boring routines are the ones that survive a busy week."], "Boring works"),
        (["Measure one number that matters for {topic}.", "Ignore the rest until that number moves."], "Measure one number"),
        (["Expect a bad day.", "Plan what you will do when it comes, and it will not stop you."], "Plan for bad days"),
        (["Learn the one rule most beginners skip.", "The basics of {topic} matter more than any advanced trick."], "Basics first"),
        (["Cut one thing that wastes your time.", "Less clutter leaves more room for what works."], "Cut the clutter"),
        (["Use a simple checklist.", "It keeps you honest on the days you feel like skipping."], "Use a checklist"),
        (["Celebrate small wins.", "They keep you going while the big results are still on their way."], "Celebrate small wins"),
        (["Do not compare your first week to someone else's fifth year.", "Run your own race."], "Your own pace"),
        (["Rest is part of the plan.", "A break taken on purpose beats burning out by accident."], "Rest on purpose"),
        (["Attach it to something you already do every day.", "New habits stick when they ride on old ones."], "Stack your habits"),
        (["Ask for feedback early.", "One honest opinion can save you weeks of guessing."], "Get feedback early"),
        // The closing thought stays last.
        (["Remember why you started.", "{Topic} is a tool for the life you want, not a test you can fail."], "Remember your why"),
    ];

    private static readonly (string Sentence, string Card)[] TagBeats =
    [
        ("People who watch this also watch {tag} videos.", "Also popular: {tag}"),
        ("Related and trending right now: {tag}.", "Trending: {tag}"),
        ("It works just as well for {tag}.", "Works for {tag}"),
    ];

    // Core beats between two tag beats, so medium-length scripts mention what trends, not only the longest ones.
    private const int CoreBeatsPerTagBeat = 2;

    private static readonly HashSet<string> CardStopWords = new(
        ["a", "an", "the", "and", "or", "to", "of", "in", "on", "at", "for", "with", "is", "are", "be", "it", "this", "that", "your", "you", "i", "my", "we", "our", "about", "so"],
        StringComparer.OrdinalIgnoreCase);

    private readonly double wordsPerMinute;

    /// <summary>Fits scripts to Media.WordsPerMinute.</summary>
    public TemplateScriptWriter(IOptions<ViralForgeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        wordsPerMinute = options.Value.Media.WordsPerMinute;
    }

    /// <summary>Writes the script for <paramref name="request"/>; see the class remarks.</summary>
    public Task<VideoScript> WriteAsync(VideoRequest request, TrendAnalysis analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.DurationSeconds, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(request, analysis));
    }

    /// <summary>The note for a row in a language other than English (any en-* tag is English); none for English or no language.</summary>
    public static IReadOnlyList<string> LanguageNotes(string? language)
    {
        var tag = (language ?? "").Trim();
        var primary = tag.Split('-', '_')[0];
        return primary.Length == 0 || primary.Equals("en", StringComparison.OrdinalIgnoreCase)
            ? []
            : [$"the offline script writer writes English only; Language={tag} was not honoured"];
    }

    private VideoScript Write(VideoRequest request, TrendAnalysis analysis)
    {
        var topic = CleanTopic(request.Topic);
        var targetWords = request.DurationSeconds * wordsPerMinute / 60;
        var hookKind = ChooseHookKind(analysis);
        var callToAction = CallToAction(request.Platforms, targetWords);

        // A long topic would eat a short video's whole budget, so the hook may name only its first words
        // (never fewer than three: "how" is not a topic).
        var topicWords = topic.Split(' ');
        var hookTopic = topic;
        for (var take = Math.Min(MaxTopicWordsInHook, topicWords.Length); take >= Math.Min(MinTopicWordsInHook, topicWords.Length); take--)
        {
            hookTopic = ShortTopic(topicWords, take);
            if (CountWords(Hook(hookKind, hookTopic, 0)) + CountWords(callToAction) <= targetWords * MaxFramingShare)
            {
                break;
            }
        }

        var framingWords = CountWords(Hook(hookKind, hookTopic, 0)) + CountWords(callToAction);
        var beats = Fit(Candidates(request, analysis, topic), targetWords, framingWords);
        var hook = Hook(hookKind, hookTopic, beats.Count);

        var title = TruncateAtWord(Hook(hookKind, topic, beats.Count).TrimEnd('.'), MaxTitleLength);
        var tags = Tags(request, analysis);
        var description = Description(hook, beats, request, analysis);
        var script = new VideoScript(title, hook, beats, callToAction, description, tags, wordsPerMinute, 0, LanguageNotes(request.Language));
        return script with { EstimatedSeconds = CountWords(script.NarrationText) / wordsPerMinute * 60 };
    }

    /// <summary>
    /// Takes sentences in order while they fit the target. At the sentence that crosses it: keeps it if
    /// that lands nearer the target and within the tolerance; otherwise, when still short of the
    /// tolerance, takes the first later sentence that lands within it, and only failing that trims
    /// the crossing sentence to fit, because a whole sentence reads better than a cut one.
    /// </summary>
    private static List<ScriptBeat> Fit(IEnumerable<(List<string> Sentences, string Card)> candidates, double targetWords, int framingWords)
    {
        var pool = candidates.ToList();
        var units = pool
            .SelectMany((beat, index) => beat.Sentences.Select(sentence => (Beat: index, Sentence: sentence, Words: CountWords(sentence))))
            .ToList();
        // A hair inside the tolerance, so that rounding in the caller's own estimate cannot land on its edge.
        var low = targetWords * (1 - DurationTolerance) + FitMargin;
        var high = targetWords * (1 + DurationTolerance) - FitMargin;
        var total = (double)framingWords;
        var taken = new List<(int Beat, string Sentence)>();
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            if (total + unit.Words <= targetWords)
            {
                taken.Add((unit.Beat, unit.Sentence));
                total += unit.Words;
                continue;
            }
            if (total + unit.Words - targetWords <= targetWords - total && total + unit.Words <= high)
            {
                taken.Add((unit.Beat, unit.Sentence));
            }
            else if (total < low)
            {
                var needed = low - total;
                var room = high - total;
                var filler = units.FindIndex(i + 1, u => u.Words >= needed && u.Words <= room);
                taken.Add(filler >= 0
                    ? (units[filler].Beat, units[filler].Sentence)
                    : (unit.Beat, Trim(unit.Sentence, (int)Math.Round(targetWords - total), (int)Math.Ceiling(needed))));
            }
            break;
        }
        if (taken.Count == 0 && units.Count > 0)
        {
            // Hook and call to action alone fill a very short row, but the visuals still need one beat:
            // the first beat's card is the shortest thing that still makes sense when spoken.
            taken.Add((units[0].Beat, Card(pool[units[0].Beat].Card) + "."));
        }
        return taken
            .GroupBy(t => t.Beat)
            .Select(g => new ScriptBeat(string.Join(' ', g.Select(t => t.Sentence)), Card(pool[g.Key].Card)))
            .ToList();
    }

    /// <summary>Every beat the script could use, best first: the row's notes, then core beats with a tag beat after every two.</summary>
    private static IEnumerable<(List<string> Sentences, string Card)> Candidates(VideoRequest request, TrendAnalysis analysis, string topic)
    {
        foreach (var sentence in SplitSentences(request.Notes))
        {
            yield return ([sentence], NoteCard(sentence));
        }

        var tags = analysis.TopTags
            .Select(t => t.Tag.Trim())
            .Where(t => t.Length > 0
                && !string.Equals(t, analysis.Niche, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(t, topic, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var niche = analysis.Niche.Trim().Length > 0 ? analysis.Niche.Trim() : "trending";
        var tagIndex = 0;
        for (var i = 0; i < CoreBeats.Length; i++)
        {
            var (sentences, card) = CoreBeats[i];
            yield return (sentences.Select(s => Fill(s, topic, niche)).ToList(), card);
            if ((i + 1) % CoreBeatsPerTagBeat == 0 && tagIndex < tags.Count)
            {
                yield return TagBeat(tags[tagIndex], tagIndex);
                tagIndex++;
            }
        }
        for (; tagIndex < tags.Count; tagIndex++)
        {
            yield return TagBeat(tags[tagIndex], tagIndex);
        }
        // Long rows at fast speaking rates need more words than the core beats hold: every tag once more in each other template.
        for (var round = 1; round < TagBeats.Length; round++)
        {
            for (var i = 0; i < tags.Count; i++)
            {
                yield return TagBeat(tags[i], i + round);
            }
        }
    }

    private static (List<string> Sentences, string Card) TagBeat(string tag, int index)
    {
        var (sentence, card) = TagBeats[index % TagBeats.Length];
        return ([sentence.Replace("{tag}", tag, StringComparison.Ordinal)], card.Replace("{tag}", tag, StringComparison.Ordinal));
    }

    private static string Fill(string template, string topic, string niche) =>
        template
            .Replace("{Topic}", UpperFirst(topic), StringComparison.Ordinal)
            .Replace("{topic}", topic, StringComparison.Ordinal)
            .Replace("{niche}", niche, StringComparison.Ordinal);

    /// <summary>The most common hook kind of the trending titles; "other" only when nothing else trends.</summary>
    private static string ChooseHookKind(TrendAnalysis analysis) =>
        analysis.HookPatterns.FirstOrDefault(p => p.Kind != HookKinds.Other)?.Kind ?? HookKinds.Other;

    /// <summary>The opening line for <paramref name="kind"/>; a number hook counts the beats.</summary>
    private static string Hook(string kind, string topic, int beatCount)
    {
        var count = beatCount <= 1 ? "One" : beatCount.ToString(CultureInfo.InvariantCulture);
        var things = beatCount <= 1 ? "thing" : "things";
        return kind switch
        {
            HookKinds.Question => $"Did you know this about {topic}?",
            HookKinds.Number => $"{count} {things} about {topic} nobody tells you.",
            HookKinds.HowTo => $"How to get {topic} right, fast.",
            HookKinds.Pov => $"POV: you finally figured out {topic}.",
            HookKinds.Imperative => $"Stop scrolling if you care about {topic}.",
            HookKinds.PersonalStory => $"I tried {topic} so you don't have to.",
            HookKinds.SecondPerson => $"You are doing {topic} wrong.",
            HookKinds.Secret => $"The secret to {topic} nobody talks about.",
            _ => $"Here is what to know about {topic}.",
        };
    }

    private static string CallToAction(Platforms platforms, double targetWords)
    {
        var youTube = (platforms & Platforms.YouTube) != 0;
        var tikTok = (platforms & Platforms.TikTok) != 0;
        var room = targetWords >= LongCallToActionWords ? 2 : targetWords >= ShortCallToActionWords ? 1 : 0;
        // YouTube viewers subscribe, TikTok viewers follow; a row for both asks for both.
        return (youTube, tikTok, room) switch
        {
            (true, true, 0) => "Follow and subscribe.",
            (true, true, 1) => "Follow or subscribe for more.",
            (true, true, _) => "Save this for later, and follow or subscribe for more.",
            (true, false, 0) => "Subscribe.",
            (true, false, 1) => "Subscribe for more.",
            (true, false, _) => "Like this if it helped, and subscribe for more.",
            (false, _, 0) => "Follow.",
            (false, _, 1) => "Follow for more.",
            (false, _, _) => "Save this for later, and follow for more.",
        };
    }

    /// <summary>Row hashtags first (the person chose them), then trending tags; duplicates and YouTube's limits removed.</summary>
    private static List<string> Tags(VideoRequest request, TrendAnalysis analysis)
    {
        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var characters = 0;
        foreach (var raw in request.Hashtags.Concat(analysis.TopTags.Select(t => t.Tag)))
        {
            var tag = raw.Trim().TrimStart('#').Trim();
            // "#HomeWorkout" and "home workout" are the same tag to a viewer.
            var key = Key(tag);
            if (key.Length == 0 || !seen.Add(key))
            {
                continue;
            }
            var cost = tag.Length + (tag.Contains(' ', StringComparison.Ordinal) ? 2 : 0) + (tags.Count > 0 ? 1 : 0);
            if (tags.Count == MaxTags || characters + cost > MaxTagCharacters)
            {
                break;
            }
            tags.Add(tag);
            characters += cost;
        }
        return tags;
    }

    private static string Description(string hook, List<ScriptBeat> beats, VideoRequest request, TrendAnalysis analysis)
    {
        var hashtags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var trending = analysis.TopTags.Select(t => t.Tag).Take(5);
        var shorts = (request.Platforms & Platforms.YouTube) != 0 ? ["shorts"] : Array.Empty<string>();
        foreach (var raw in request.Hashtags.Concat(trending).Concat(shorts))
        {
            var key = Key(raw);
            if (key.Length > 0 && seen.Add(key))
            {
                hashtags.Add("#" + new string(raw.Where(char.IsLetterOrDigit).ToArray()));
            }
        }

        var text = new StringBuilder();
        text.Append(hook).Append("\n\n");
        foreach (var beat in beats)
        {
            text.Append("• ").Append(beat.CardText).Append('\n');
        }
        text.Append('\n').AppendJoin(' ', hashtags);
        return text.ToString();
    }

    private static string Key(string tag) => new(tag.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The notes as sentences, split at sentence ends, line breaks and semicolons; list bullets dropped.</summary>
    private static List<string> SplitSentences(string notes)
    {
        var sentences = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            var sentence = current.ToString().Trim().TrimStart('-', '*', '•').Trim();
            current.Clear();
            if (sentence.Any(char.IsLetterOrDigit))
            {
                sentences.Add(UpperFirst(sentence.TrimEnd(';', ',', ':')) + (sentence[^1] is '.' or '!' or '?' ? string.Empty : "."));
            }
        }
        for (var i = 0; i < notes.Length; i++)
        {
            var c = notes[i];
            if (c is '\n' or '\r' or ';')
            {
                Flush();
                continue;
            }
            current.Append(c);
            // A full stop ends a sentence only before a space or the end, so "4.5" and "e.g.x" stay whole.
            if (c is '.' or '!' or '?' && (i + 1 == notes.Length || char.IsWhiteSpace(notes[i + 1])))
            {
                Flush();
            }
        }
        Flush();
        return sentences;
    }

    /// <summary>A card for a note: its first content words.</summary>
    private static string NoteCard(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', '!', '?', ';', ':', '"', '\'', '(', ')'))
            .Where(w => w.Length > 0)
            .ToList();
        var content = words.Where(w => !CardStopWords.Contains(w)).Take(4).ToList();
        return UpperFirst(string.Join(' ', content.Count > 0 ? content : words.Take(4)));
    }

    private static string Card(string card) =>
        string.Join(' ', card.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(MaxCardWords));

    /// <summary>The first <paramref name="words"/> words of a sentence, without a dangling "the" or "and" if that still leaves <paramref name="minimum"/>.</summary>
    private static string Trim(string sentence, int words, int minimum)
    {
        var kept = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(Math.Max(1, words)).ToList();
        while (kept.Count > Math.Max(1, minimum) && CardStopWords.Contains(kept[^1].TrimEnd(',', ';', ':', '.', '?', '!')))
        {
            kept.RemoveAt(kept.Count - 1);
        }
        return string.Join(' ', kept).TrimEnd(',', ';', ':', '.', '?', '!') + ".";
    }

    /// <summary>The topic as it reads inside a sentence: spaces collapsed, end punctuation dropped, sentence case lowered.</summary>
    /// <remarks>
    /// People type topics in sentence case ("Home workout for beginners"), which reads wrong mid-sentence.
    /// Only a first word in plain title case is lowered, so "AI tools" and "iPhone tips" stay, at the
    /// price of lowering a proper noun that opens a topic ("Tokyo ...").
    /// </remarks>
    private static string CleanTopic(string topic)
    {
        var words = topic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var cleaned = string.Join(' ', words).TrimEnd('.', '!', '?', ',', ';', ':');
        if (cleaned.Length == 0)
        {
            throw new ArgumentException("The row has no topic to write about.", nameof(topic));
        }
        var first = words[0];
        return first.Length > 1 && char.IsUpper(first[0]) && first[1..].All(char.IsLower)
            ? char.ToLowerInvariant(cleaned[0]) + cleaned[1..]
            : cleaned;
    }

    /// <summary>The first <paramref name="take"/> words of the topic, without trailing words like "on" or "the".</summary>
    private static string ShortTopic(string[] words, int take)
    {
        var kept = words.Take(take).ToList();
        while (kept.Count > 1 && TopicWords.IsStopWord(kept[^1].ToLowerInvariant()))
        {
            kept.RemoveAt(kept.Count - 1);
        }
        return string.Join(' ', kept);
    }

    private static string TruncateAtWord(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', maxLength);
        return (cut > 0 ? text[..cut] : text[..maxLength]).TrimEnd(',', ';', ':', '-');
    }

    private static string UpperFirst(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Words as a narrator speaks them: whitespace-separated tokens with at least one letter or digit.</summary>
    private static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
}
