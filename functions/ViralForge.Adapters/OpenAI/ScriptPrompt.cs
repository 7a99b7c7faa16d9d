using System.Globalization;
using System.Text;
using ViralForge.Core.Jobs;
using ViralForge.Core.Scripts;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Everything the script model is told, in one place with one version: the developer instructions, the row and the
/// trend analysis as the user message, the JSON schema of the answer, and the repair request. Change the
/// <see cref="Version"/> with any change here, so a stored script says which prompt wrote it.
/// </summary>
public static class ScriptPrompt
{
    public const string Version = "2026-12-07.3";

    /// <summary>The response format's name ([a-zA-Z0-9_-], at most 64 characters).</summary>
    public const string SchemaName = "video_script_v1";

    /// <summary>
    /// The <see cref="ScriptReply"/> contract for Structured Outputs in strict mode: every object closed
    /// (additionalProperties false) with every property required, two levels deep. Counts are stated in descriptions
    /// because the model does not see minItems/maxItems.
    /// </summary>
    public const string Schema = """
        {
          "type": "object",
          "properties": {
            "title": { "type": "string", "description": "The video's title, at most 100 characters." },
            "hook": { "type": "string", "description": "The first spoken sentence: makes a scrolling viewer stop within two seconds." },
            "beats": {
              "type": "array",
              "description": "The body of the video in order, the number of beats the instructions ask for.",
              "items": {
                "type": "object",
                "properties": {
                  "narration": { "type": "string", "description": "One or two spoken sentences." },
                  "card": { "type": "string", "description": "On-screen text for this beat, at most 6 words." },
                  "visual_query": { "type": "string", "description": "2 to 6 English words to search stock video for this beat." },
                  "mood": { "type": "string", "enum": ["calm", "upbeat", "dramatic", "playful"] }
                },
                "required": ["narration", "card", "visual_query", "mood"],
                "additionalProperties": false
              }
            },
            "call_to_action": { "type": "string", "description": "The last spoken sentence: what the viewer should do next." },
            "description": { "type": "string", "description": "One to three sentences for the video's description." },
            "tags": { "type": "array", "description": "5 to 15 search tags, all together under 400 characters.", "items": { "type": "string" } },
            "hashtags": { "type": "array", "description": "3 to 6 hashtags without spaces.", "items": { "type": "string" } }
          },
          "required": ["title", "hook", "beats", "call_to_action", "description", "tags", "hashtags"],
          "additionalProperties": false
        }
        """;

    /// <summary>How many beats a video of <paramref name="durationSeconds"/> gets: one every six seconds or so, 2 to 12.</summary>
    public static int Beats(int durationSeconds) => Math.Clamp((int)Math.Round(durationSeconds / 6.0), 2, 12);

    /// <summary>The developer message: the craft and the hard limits, in the row's language.</summary>
    public static string Instructions(VideoRequest request, double wordsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (low, high) = ScriptRules.WordRange(request.DurationSeconds, wordsPerMinute);
        var target = request.DurationSeconds * wordsPerMinute / 60;
        var language = LanguageName(request.Language);
        var text = new StringBuilder();
        text.AppendLine("You write scripts for vertical short videos (YouTube Shorts, TikTok) that viewers watch to the end.");
        text.AppendLine(Invariant($"Write everything a viewer hears or reads (hook, narration, cards, call to action, title, description, tags, hashtags) in {language}. Only visual_query is in English, because stock video libraries search best in English."));
        text.AppendLine("Rules:");
        text.AppendLine("- The hook is the first sentence. It earns the next ten seconds: a surprising fact, a question, a bold claim or a promise, never a greeting.");
        text.AppendLine(Invariant($"- Then {Beats(request.DurationSeconds)} beats. Each beat has one or two spoken sentences (narration), a card of at most {ScriptRules.MaxCardWords} words shown on screen, a visual_query and a mood."));
        text.AppendLine(Invariant($"- The narration (hook, all beats and the call to action) is read aloud at {wordsPerMinute:0} words a minute and must last {request.DurationSeconds} seconds: {low} to {high} words in all, aim for {target:0}. In Japanese count about {SpokenLength.MoraePerWord:0.#} kana (morae) as one word, a kanji as about {SpokenLength.MoraePerIdeograph:0} morae."));
        text.AppendLine("- Write for the ear: short sentences, plain words, no emojis, no stage directions, no markdown, no URLs, no hashtags in the narration.");
        text.AppendLine("- The call to action is one short sentence suited to the platform.");
        text.AppendLine(Invariant($"- The title has at most {ScriptRules.MaxTitleLength} characters and promises only what the video gives."));
        text.AppendLine("- Tags are search phrases without '#'; hashtags are single words with '#'.");
        text.AppendLine("- Follow the person's notes. Lines starting \"Reviewer feedback:\" are what a reviewer asked to change in this new version; they come first.");
        return text.ToString().TrimEnd();
    }

    /// <summary>The user message: the row and what trends in its niche.</summary>
    public static string Brief(VideoRequest request, TrendAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(analysis);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Topic: {request.Topic.Trim()}"));
        text.AppendLine(Invariant($"Platform: {Platform(request.Platforms)}"));
        text.AppendLine(Invariant($"Duration: {request.DurationSeconds} seconds"));
        text.AppendLine(Invariant($"Language: {LanguageName(request.Language)}"));
        if (!string.IsNullOrWhiteSpace(request.Style))
        {
            text.AppendLine(Invariant($"Style: {request.Style.Trim()}"));
        }
        if (request.Hashtags.Count > 0)
        {
            text.AppendLine(Invariant($"Hashtags the person chose (use them): {string.Join(" ", request.Hashtags.Select(h => "#" + h.Trim().TrimStart('#')))}"));
        }
        if (!string.IsNullOrWhiteSpace(request.Notes))
        {
            text.AppendLine("Notes:");
            foreach (var line in request.Notes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                text.AppendLine(Invariant($"  {line}"));
            }
        }
        text.AppendLine();
        if (analysis.VideoCount == 0)
        {
            text.AppendLine("No trending videos were found in this niche; rely on the topic.");
            return text.ToString().TrimEnd();
        }
        text.AppendLine(Invariant($"What trends now in the niche \"{analysis.Niche}\" ({analysis.VideoCount} videos):"));
        if (analysis.HookPatterns.Count > 0)
        {
            text.AppendLine("Openings of trending titles, most common first:");
            foreach (var hook in analysis.HookPatterns.Take(5))
            {
                text.AppendLine(Invariant($"  {hook.Kind}: {hook.Share * 100:0}%, e.g. \"{hook.Example}\""));
            }
        }
        text.AppendLine(Invariant($"Durations: median {analysis.MedianDurationSeconds:0} s, middle half {analysis.P25DurationSeconds:0}-{analysis.P75DurationSeconds:0} s."));
        if (analysis.TopTags.Count > 0)
        {
            text.AppendLine(Invariant($"Common tags: {string.Join(", ", analysis.TopTags.Take(15).Select(t => t.Tag))}"));
        }
        if (analysis.TopTitles.Count > 0)
        {
            text.AppendLine("Top titles:");
            foreach (var title in analysis.TopTitles.Take(8))
            {
                text.AppendLine(Invariant($"  {title}"));
            }
        }
        if (analysis.Insight is { } insight)
        {
            text.AppendLine("What the top trending videos have in common:");
            foreach (var line in insight.Common)
            {
                text.AppendLine(Invariant($"  - {line}"));
            }
            if (insight.HookLines.Count > 0)
            {
                text.AppendLine(Invariant($"Hook lines written for this video from those trends, in {LanguageName(insight.Language)}; open with one of them, or a better one like them:"));
                foreach (var line in insight.HookLines)
                {
                    text.AppendLine(Invariant($"  - {line}"));
                }
            }
        }
        text.AppendLine("Learn from what works here; do not copy a title.");
        return text.ToString().TrimEnd();
    }

    /// <summary>The repair request after a reply broke rules: the same conversation goes on with this message.</summary>
    public static string Repair(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = new StringBuilder("Your script breaks these rules:\n");
        foreach (var error in errors)
        {
            text.Append("- ").AppendLine(error);
        }
        text.Append("Return the whole script again with every rule met; keep what already works.");
        return text.ToString();
    }

    /// <summary>"German (de)" for a language tag .NET knows, the tag itself otherwise; English when the row has none.</summary>
    public static string LanguageName(string? tag)
    {
        var clean = (tag ?? "").Trim();
        if (clean.Length == 0)
        {
            return "English (en)";
        }
        try
        {
            var culture = CultureInfo.GetCultureInfo(clean, predefinedOnly: true);
            return $"{culture.EnglishName} ({clean})";
        }
        catch (CultureNotFoundException)
        {
            return $"the language with the tag {clean}";
        }
    }

    private static string Platform(Platforms platforms) => platforms switch
    {
        Platforms.YouTube => "YouTube Shorts",
        Platforms.TikTok => "TikTok",
        _ => "YouTube Shorts and TikTok",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
