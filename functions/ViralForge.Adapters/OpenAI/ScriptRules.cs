using System.Globalization;
using System.Text;
using ViralForge.Core.Jobs;
using ViralForge.Core.Scripts;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// What a written script must meet before it is used: length fitted to the row's duration, short cards, no empty part,
/// and YouTube's title and tag limits. Each broken rule is one sentence that works both as the repair request to the
/// model and, if the repair fails too, in the row's Error cell.
/// </summary>
public static class ScriptRules
{
    /// <summary>YouTube refuses longer titles.</summary>
    public const int MaxTitleLength = 100;

    /// <summary>A beat's card is read at a glance.</summary>
    public const int MaxCardWords = 6;

    /// <summary>YouTube's limit on all tags together, counting a comma between tags and quotes around a tag with spaces.</summary>
    public const int MaxTagCharacters = 500;

    /// <summary>YouTube's description limit, in UTF-8 bytes.</summary>
    public const int MaxDescriptionBytes = 5000;

    /// <summary>The spoken length stays within this fraction of the row's duration.</summary>
    public const double DurationTolerance = 0.15;

    /// <summary>The broken rules of <paramref name="reply"/>, empty when it may be used.</summary>
    public static IReadOnlyList<string> Check(ScriptReply reply, VideoRequest request, double wordsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(request);
        var durationSeconds = request.DurationSeconds;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(reply.Title))
        {
            errors.Add("the title is empty");
        }
        else if (reply.Title.Trim().Length > MaxTitleLength)
        {
            errors.Add(Invariant($"the title is {reply.Title.Trim().Length} characters; YouTube allows at most {MaxTitleLength}"));
        }
        if (string.IsNullOrWhiteSpace(reply.Hook))
        {
            errors.Add("the hook is empty");
        }
        if (string.IsNullOrWhiteSpace(reply.CallToAction))
        {
            errors.Add("the call to action is empty");
        }
        if (reply.Beats.Count == 0)
        {
            errors.Add("the script has no beats");
        }
        for (var i = 0; i < reply.Beats.Count; i++)
        {
            var beat = reply.Beats[i];
            var n = i + 1;
            if (string.IsNullOrWhiteSpace(beat.Narration))
            {
                errors.Add(Invariant($"beat {n} has no narration"));
            }
            if (string.IsNullOrWhiteSpace(beat.Card))
            {
                errors.Add(Invariant($"beat {n} has no card text"));
            }
            else if (Math.Ceiling(SpokenLength.Words(beat.Card)) is var cardWords && cardWords > MaxCardWords)
            {
                errors.Add(Invariant($"beat {n}'s card \"{beat.Card.Trim()}\" has {cardWords} words; a card has at most {MaxCardWords}"));
            }
            if (string.IsNullOrWhiteSpace(beat.VisualQuery))
            {
                errors.Add(Invariant($"beat {n} has no visual search query"));
            }
            if (!VideoChoices.MusicMoods.Contains(beat.Mood))
            {
                errors.Add(Invariant($"beat {n}'s mood \"{beat.Mood}\" is not one of {string.Join(", ", VideoChoices.MusicMoods)}"));
            }
        }
        var target = durationSeconds * wordsPerMinute / 60;
        var words = SpokenLength.Words(Narration(reply));
        if (Math.Abs(words - target) > target * DurationTolerance)
        {
            var (low, high) = WordRange(durationSeconds, wordsPerMinute);
            errors.Add(Invariant(
                $"the narration (hook, beats and call to action) is {words:0} spoken words, about {words / wordsPerMinute * 60:0} s at {wordsPerMinute:0} words a minute, but the video is {durationSeconds} s: write {low} to {high} words"));
        }
        var tagCharacters = TagCharacters(CleanTags(reply.Tags));
        if (tagCharacters > MaxTagCharacters)
        {
            errors.Add(Invariant($"the tags take {tagCharacters} characters as YouTube counts them (a comma between tags, quotes around a tag with spaces); at most {MaxTagCharacters}"));
        }
        var description = Encoding.UTF8.GetByteCount(Description(reply, request));
        if (description > MaxDescriptionBytes)
        {
            errors.Add(Invariant($"the description with its hashtags is {description} bytes; YouTube allows at most {MaxDescriptionBytes}"));
        }
        return errors;
    }

    /// <summary>The spoken words (English-word equivalents) a script for <paramref name="durationSeconds"/> may have, both ends included.</summary>
    public static (int Low, int High) WordRange(int durationSeconds, double wordsPerMinute)
    {
        var target = durationSeconds * wordsPerMinute / 60;
        return ((int)Math.Ceiling(target * (1 - DurationTolerance)), (int)Math.Floor(target * (1 + DurationTolerance)));
    }

    /// <summary>All tags' length as YouTube counts it: each tag, a comma between two, two quotes around one with a space.</summary>
    public static int TagCharacters(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var list = tags.ToList();
        return list.Sum(t => t.Length + (t.Contains(' ', StringComparison.Ordinal) ? 2 : 0)) + Math.Max(0, list.Count - 1);
    }

    /// <summary>The checked reply as the script stage's output.</summary>
    public static VideoScript ToScript(ScriptReply reply, VideoRequest request, double wordsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(request);
        var script = new VideoScript(
            reply.Title.Trim(),
            reply.Hook.Trim(),
            [.. reply.Beats.Select(b => new ScriptBeat(b.Narration.Trim(), b.Card.Trim(), b.VisualQuery.Trim(), b.Mood))],
            reply.CallToAction.Trim(),
            Description(reply, request),
            CleanTags(reply.Tags),
            wordsPerMinute,
            0,
            Hashtags: Hashtags(reply, request));
        return script with { EstimatedSeconds = SpokenLength.Seconds(script.NarrationText, wordsPerMinute) };
    }

    /// <summary>
    /// The row's hashtags first (the person chose them, whatever the model did with them), then the model's, then
    /// #shorts for YouTube; each once, letters, digits and '_' only.
    /// </summary>
    public static IReadOnlyList<string> Hashtags(ScriptReply reply, VideoRequest request)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(request);
        var shorts = (request.Platforms & Platforms.YouTube) != 0 ? ["shorts"] : Array.Empty<string>();
        return [.. request.Hashtags.Concat(reply.Hashtags).Concat(shorts)
            .Select(h => new string(h.Where(c => char.IsLetterOrDigit(c) || c == '_').ToArray()))
            .Where(h => h.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(h => "#" + h)];
    }

    /// <summary>The model's description and a line of the hashtags, as the publisher posts it (the offline writer's shape too).</summary>
    public static string Description(ScriptReply reply, VideoRequest request)
    {
        var hashtags = Hashtags(reply, request);
        var text = reply.Description.Trim();
        return hashtags.Count == 0 ? text : $"{text}\n\n{string.Join(" ", hashtags)}".TrimStart();
    }

    private static string Narration(ScriptReply reply) =>
        string.Join(" ", new[] { reply.Hook }.Concat(reply.Beats.Select(b => b.Narration)).Append(reply.CallToAction));

    // "#HomeWorkout" is the tag "HomeWorkout"; a tag that says the same as an earlier one is dropped.
    private static List<string> CleanTags(IEnumerable<string> tags) =>
        [.. tags.Select(t => t.Trim().TrimStart('#').Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
