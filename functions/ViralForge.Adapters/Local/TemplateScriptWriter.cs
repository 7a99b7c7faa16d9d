using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.Local;

/// <summary>The offline script writer: templates in the row's language (en, es, ja, pt, fr, de) filled from the row and the trend analysis, fitted to the row's duration.</summary>
/// <remarks>
/// Deterministic: the same row and analysis always give the same script. A language without templates gets the
/// English script, and the script says so in its <see cref="VideoScript.Notes"/>, which reach the row's Error cell, so
/// the person is not left to find out from the video. Length is counted as it is spoken (<see cref="SpokenLength"/>:
/// morae for Japanese), and a row the templates cannot fit within 15 % is refused with the reason. A regenerated
/// script (the reviewer's feedback arrives as a "Reviewer feedback:" line of Notes) opens and goes on differently and
/// honours "shorter", "longer", "funnier" and "mention ..." (<see cref="ScriptWishes"/>); the feedback itself is never
/// read out.
/// </remarks>
public sealed class TemplateScriptWriter : IScriptWriter
{
    /// <summary>How ScriptStage.RequestWithFeedbackAsync marks the reviewer's feedback in the request's Notes.</summary>
    public const string FeedbackPrefix = "Reviewer feedback:";

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

    /// <summary>The note for a row in a language the writer has no templates for (it writes English); none for en, es, ja, pt, fr, de or no language.</summary>
    public static IReadOnlyList<string> LanguageNotes(string? language)
    {
        var tag = (language ?? "").Trim();
        return ScriptTemplates.For(tag) is not null
            ? []
            : [$"the offline script writer has no templates for Language={tag} (it writes en, es, ja, pt, fr and de); the script is in English"];
    }

    private VideoScript Write(VideoRequest request, TrendAnalysis analysis)
    {
        var templates = ScriptTemplates.For(request.Language) ?? ScriptTemplates.English;
        var (notes, feedback) = SplitFeedback(request.Notes);
        var wishes = ScriptWishes.Read(feedback);
        var topic = CleanTopic(request.Topic, templates.LowerCaseTopic);
        // The row's Duration bounds the script; a reviewer's "shorter" or "longer" moves the aim inside those bounds.
        var durationWords = request.DurationSeconds * wordsPerMinute / 60;
        var targetWords = durationWords * wishes.LengthFactor;
        var hookKind = ChooseHookKind(analysis, wishes.Variant);
        // Never longer than the template's own opening, so a hook line cannot crowd the beats out of a short row.
        var insightHook = InsightHook(analysis, request.Language, wishes.Variant, CountWords(Hook(templates, hookKind, topic, 0, wishes, null)));
        // The longest call to action the length has room for, shorter ones while it and the hook would crowd out the beats.
        var hookWords = CountWords(Hook(templates, hookKind, topic, 0, wishes, insightHook));
        var callToAction = templates.CallToAction((request.Platforms & Platforms.YouTube) != 0, (request.Platforms & Platforms.TikTok) != 0, CallToActionRoom(targetWords));
        for (var room = CallToActionRoom(targetWords) - 1; room >= 0 && hookWords + CountWords(callToAction) > targetWords * MaxFramingShare; room--)
        {
            callToAction = templates.CallToAction((request.Platforms & Platforms.YouTube) != 0, (request.Platforms & Platforms.TikTok) != 0, room);
        }

        // A long topic would eat a short video's whole budget, so the hook may name only its first words
        // (never fewer than three: "how" is not a topic).
        var topicWords = topic.Split(' ');
        var hookTopic = topic;
        for (var take = Math.Min(MaxTopicWordsInHook, topicWords.Length); take >= Math.Min(MinTopicWordsInHook, topicWords.Length); take--)
        {
            hookTopic = ShortTopic(topicWords, take);
            if (CountWords(Hook(templates, hookKind, hookTopic, 0, wishes, insightHook)) + CountWords(callToAction) <= targetWords * MaxFramingShare)
            {
                break;
            }
        }

        var framingWords = CountWords(Hook(templates, hookKind, hookTopic, 0, wishes, insightHook)) + CountWords(callToAction);
        var beats = Fit(Candidates(templates, notes, wishes, analysis, topic), targetWords, durationWords, framingWords);
        var hook = Hook(templates, hookKind, hookTopic, beats.Count, wishes, insightHook);

        var title = TruncateAtWord(Hook(templates, hookKind, topic, beats.Count, wishes, insightHook).TrimEnd('.', '\u3002'), MaxTitleLength);
        var tags = Tags(request, analysis);
        var description = Description(hook, beats, request, analysis);
        var script = new VideoScript(title, hook, beats, callToAction, description, tags, wordsPerMinute, 0, LanguageNotes(request.Language));
        script = script with { EstimatedSeconds = SpokenLength.Seconds(script.NarrationText, wordsPerMinute) };

        // Fit gets as close as the templates allow; a row they cannot fill (or whose hook alone is too long) is refused
        // with the reason rather than narrated at the wrong length.
        var low = request.DurationSeconds * (1 - DurationTolerance);
        var high = request.DurationSeconds * (1 + DurationTolerance);
        if (script.EstimatedSeconds < low - FitMargin || script.EstimatedSeconds > high + FitMargin)
        {
            throw new PermanentStageException(string.Create(
                CultureInfo.InvariantCulture,
                $"the offline script writer's {templates.Language} templates give about {script.EstimatedSeconds:0} s of narration at {wordsPerMinute:0} words a minute, not the {request.DurationSeconds} s of Duration (within {DurationTolerance:P0}); {(script.EstimatedSeconds < low ? "add Notes or lower Duration" : "shorten the Topic or raise Duration")}"));
        }
        return script;
    }

    /// <summary>The row's own notes, and the reviewer's feedback that ScriptStage added to them (a line of its own), apart.</summary>
    private static (string Notes, string Feedback) SplitFeedback(string notes)
    {
        var kept = new List<string>();
        var feedback = new List<string>();
        foreach (var line in (notes ?? "").Split('\n'))
        {
            if (line.TrimStart().StartsWith(FeedbackPrefix, StringComparison.OrdinalIgnoreCase))
            {
                feedback.Add(line.TrimStart()[FeedbackPrefix.Length..].Trim());
            }
            else
            {
                kept.Add(line);
            }
        }
        return (string.Join('\n', kept), string.Join(' ', feedback));
    }

    /// <summary>
    /// Takes sentences in order while they fit the target. At the sentence that crosses it: keeps it if
    /// that lands nearer the target and within the tolerance; otherwise, when still short of the
    /// tolerance, takes the first later sentence that lands within it, and only failing that trims
    /// the crossing sentence to fit, because a whole sentence reads better than a cut one.
    /// </summary>
    /// <remarks>The aim is <paramref name="targetWords"/>; the tolerance is around <paramref name="durationWords"/>, the row's Duration.</remarks>
    private static List<ScriptBeat> Fit(IEnumerable<(List<string> Sentences, string Card)> candidates, double targetWords, double durationWords, double framingWords)
    {
        var pool = candidates.ToList();
        var units = pool
            .SelectMany((beat, index) => beat.Sentences.Select(sentence => (Beat: index, Sentence: sentence, Words: CountWords(sentence))))
            .ToList();
        // A hair inside the tolerance, so that rounding in the caller's own estimate cannot land on its edge.
        var low = durationWords * (1 - DurationTolerance) + FitMargin;
        var high = durationWords * (1 + DurationTolerance) - FitMargin;
        var total = framingWords;
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
                    : (unit.Beat, Trim(unit.Sentence, Math.Max(targetWords, low) - total, needed)));
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

    /// <summary>
    /// Every beat the script could use, best first: what a reviewer asked to mention, the row's notes, then core beats
    /// (from a later one on, for a regenerated script) with a tag beat after every two. Without trends there are no
    /// tag beats and no beat about the niche: nothing from another niche is said.
    /// </summary>
    private static IEnumerable<(List<string> Sentences, string Card)> Candidates(ScriptTemplates templates, string notes, ScriptWishes wishes, TrendAnalysis analysis, string topic)
    {
        foreach (var what in wishes.Mentions)
        {
            yield return ([templates.MentionBeat.Replace("{what}", what, StringComparison.Ordinal)], what);
        }
        foreach (var sentence in SplitSentences(notes))
        {
            yield return ([sentence], NoteCard(sentence));
        }

        var tags = analysis.TopTags
            .Select(t => t.Tag.Trim())
            .Where(t => t.Length > 0
                && !string.Equals(t, analysis.Niche, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(t, topic, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var niche = analysis.Niche.Trim();
        var core = templates.CoreBeats
            .Where(b => b.Sentences.All(sentence => ScriptTemplates.Usable(sentence, niche.Length > 0)))
            .ToList();
        // A regenerated script starts further down the list, so the reviewer hears different advice; the closing
        // beat stays last.
        var start = core.Count > 2 ? wishes.Variant % (core.Count - 1) : 0;
        core = [.. core.Skip(start).Take(core.Count - 1 - start), .. core.Take(start), core[^1]];
        var tagIndex = 0;
        for (var i = 0; i < core.Count; i++)
        {
            var (sentences, card) = core[i];
            yield return (sentences.Select(sentence => Fill(sentence, topic, niche)).ToList(), card);
            if ((i + 1) % CoreBeatsPerTagBeat == 0 && tagIndex < tags.Count)
            {
                yield return TagBeat(templates, tags[tagIndex], tagIndex);
                tagIndex++;
            }
        }
        for (; tagIndex < tags.Count; tagIndex++)
        {
            yield return TagBeat(templates, tags[tagIndex], tagIndex);
        }
        // Long rows at fast speaking rates need more words than the core beats hold: every tag once more in each other template.
        for (var round = 1; round < templates.TagBeats.Count; round++)
        {
            for (var i = 0; i < tags.Count; i++)
            {
                yield return TagBeat(templates, tags[i], i + round);
            }
        }
    }

    private static (List<string> Sentences, string Card) TagBeat(ScriptTemplates templates, string tag, int index)
    {
        var (sentence, card) = templates.TagBeats[index % templates.TagBeats.Count];
        return ([sentence.Replace("{tag}", tag, StringComparison.Ordinal)], card.Replace("{tag}", tag, StringComparison.Ordinal));
    }

    private static string Fill(string template, string topic, string niche) =>
        template
            .Replace("{Topic}", UpperFirst(topic), StringComparison.Ordinal)
            .Replace("{topic}", topic, StringComparison.Ordinal)
            .Replace("{niche}", niche, StringComparison.Ordinal);

    /// <summary>
    /// The most common hook kind of the trending titles; "other" only when nothing else trends. A regenerated script
    /// (variant above 0) takes the next kind along, so its opening line differs from the one the reviewer turned down.
    /// </summary>
    private static string ChooseHookKind(TrendAnalysis analysis, int variant)
    {
        var trending = analysis.HookPatterns.FirstOrDefault(p => p.Kind != HookKinds.Other)?.Kind ?? HookKinds.Other;
        if (variant == 0)
        {
            return trending;
        }
        var index = Array.IndexOf(HookRotation, trending);
        return HookRotation[(Math.Max(index, 0) + variant) % HookRotation.Length];
    }

    private static readonly string[] HookRotation =
        [HookKinds.Other, HookKinds.Question, HookKinds.Number, HookKinds.HowTo, HookKinds.Secret, HookKinds.SecondPerson, HookKinds.Imperative, HookKinds.Pov, HookKinds.PersonalStory];

    /// <summary>
    /// The opening line: the playful one a reviewer asked for, else the analysis's hook line when there is one, else the
    /// template for <paramref name="kind"/> (a number hook counts the beats).
    /// </summary>
    private static string Hook(ScriptTemplates templates, string kind, string topic, int beatCount, ScriptWishes wishes, string? insightHook) =>
        wishes.Funnier ? templates.FunnyHook.Replace("{topic}", topic, StringComparison.Ordinal) : insightHook ?? templates.Hook(kind, topic, beatCount);

    /// <summary>
    /// One of the hook lines the analysis's insight wrote for this row (starting one further along for each regenerated
    /// variant) of at most <paramref name="maxWords"/> spoken words, when they are in the row's language and the script is
    /// too (a language without templates is written in English); null when none fits.
    /// </summary>
    private static string? InsightHook(TrendAnalysis analysis, string? language, int variant, double maxWords)
    {
        if (analysis.Insight is not { HookLines.Count: > 0 } insight
            || ScriptTemplates.For(language) is null
            || !string.Equals(insight.Language.Trim(), (language ?? "").Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        for (var i = 0; i < insight.HookLines.Count; i++)
        {
            var line = insight.HookLines[(variant + i) % insight.HookLines.Count].Trim();
            if (line.Length > 0 && CountWords(line) <= maxWords)
            {
                return line;
            }
        }
        return null;
    }

    /// <summary>How much room the call to action gets: 2 from about 30 seconds of speech on, 0 below about 8 seconds.</summary>
    private static int CallToActionRoom(double targetWords) =>
        targetWords >= LongCallToActionWords ? 2 : targetWords >= ShortCallToActionWords ? 1 : 0;

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

    /// <summary>
    /// The sentence's first words up to <paramref name="words"/> (spoken length, <see cref="SpokenLength"/>), without a
    /// dangling "the" or "and" if that still leaves <paramref name="minimum"/>.
    /// </summary>
    private static string Trim(string sentence, double words, double minimum)
    {
        var kept = new List<string>();
        var total = 0.0;
        foreach (var token in sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var length = SpokenLength.Words(token);
            if (kept.Count > 0 && total + length > words + FitMargin)
            {
                break;
            }
            kept.Add(token);
            total += length;
        }
        while (kept.Count > 1 && total - SpokenLength.Words(kept[^1]) >= minimum && CardStopWords.Contains(kept[^1].TrimEnd(',', ';', ':', '.', '?', '!')))
        {
            total -= SpokenLength.Words(kept[^1]);
            kept.RemoveAt(kept.Count - 1);
        }
        return string.Join(' ', kept).TrimEnd(',', ';', ':', '.', '?', '!', '\u3001', '\u3002') + (SpokenLength.HasMorae(sentence) ? "\u3002" : ".");
    }

    /// <summary>The topic as it reads inside a sentence: spaces collapsed, end punctuation dropped, sentence case lowered.</summary>
    /// <remarks>
    /// People type topics in sentence case ("Home workout for beginners"), which reads wrong mid-sentence.
    /// Only a first word in plain title case is lowered, so "AI tools" and "iPhone tips" stay, at the
    /// price of lowering a proper noun that opens a topic ("Tokyo ...").
    /// </remarks>
    private static string CleanTopic(string topic, bool lowerCaseStart)
    {
        var words = topic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var cleaned = string.Join(' ', words).TrimEnd('.', '!', '?', ',', ';', ':');
        if (cleaned.Length == 0)
        {
            throw new ArgumentException("The row has no topic to write about.", nameof(topic));
        }
        var first = words[0];
        return lowerCaseStart && first.Length > 1 && char.IsUpper(first[0]) && first[1..].All(char.IsLower)
            ? char.ToLowerInvariant(cleaned[0]) + cleaned[1..]
            : cleaned;
    }

    /// <summary>The first <paramref name="take"/> words of the topic, without trailing words like "on" or "the".</summary>
    private static string ShortTopic(string[] words, int take)
    {
        if (take >= words.Length)
        {
            return string.Join(' ', words);
        }
        // Function words only: "care" or "beginners" carry no niche but still say what the topic is.
        var kept = words.Take(take).ToList();
        while (kept.Count > 1 && CardStopWords.Contains(kept[^1]))
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

    /// <summary>Length as a narrator speaks it, in words (morae for Japanese, see <see cref="SpokenLength"/>).</summary>
    private static double CountWords(string text) => SpokenLength.Words(text);
}
