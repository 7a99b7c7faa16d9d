using System.Globalization;
using System.Text;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Everything the insight model is told, in one place with one version: the instructions, the top videos as the user
/// message, and the JSON schema of the answer. Change <see cref="Version"/> with any change here, so a stored insight
/// says which prompt wrote it.
/// </summary>
public static class OpenAIInsightPrompt
{
    public const string Version = "2026-12-07.1";

    /// <summary>The response format's name ([a-zA-Z0-9_-], at most 64 characters).</summary>
    public const string SchemaName = "trend_insight_v1";

    /// <summary>How many hook lines the answer has: the schema's minItems and maxItems, and the reply check.</summary>
    public const int HookLineCount = 3;

    /// <summary>At most this many lines of what the videos have in common.</summary>
    public const int MaxCommonLines = 5;

    /// <summary>A video's description is cut to this many characters: its opening says what it is, the rest is links.</summary>
    public const int DescriptionCharacters = 160;

    /// <summary>
    /// The <see cref="InsightReply"/> contract for Structured Outputs in strict mode: one closed object, every property
    /// required. Counts are in the descriptions too, because the model does not see minItems/maxItems.
    /// </summary>
    public const string Schema = """
        {
          "type": "object",
          "properties": {
            "common": {
              "type": "array",
              "description": "1 to 5 short lines in English, each at most 20 words: what the top videos have in common that a new video could use (openings, length, format, pacing, tone, topics).",
              "items": { "type": "string" },
              "minItems": 1,
              "maxItems": 5
            },
            "hook_lines": {
              "type": "array",
              "description": "Exactly 3 opening lines for the new video, in the language the instructions name, each one spoken sentence of at most 15 words, each a different kind of hook.",
              "items": { "type": "string" },
              "minItems": 3,
              "maxItems": 3
            }
          },
          "required": ["common", "hook_lines"],
          "additionalProperties": false
        }
        """;

    /// <summary>The developer message: the task, and the language of the hook lines.</summary>
    public static string Instructions(InsightRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = ScriptPrompt.LanguageName(request.Language);
        var text = new StringBuilder();
        text.AppendLine("You study trending vertical short videos (YouTube Shorts, TikTok) for a creator about to make one.");
        text.AppendLine("From the top videos you are given, say what they have in common that explains their views: how they open, how long they are, their format, pacing, tone and topics. Be concrete and short; say only what the data shows, no general advice.");
        text.AppendLine("Write those lines in English.");
        text.AppendLine(Invariant($"Then write exactly {HookLineCount} hook lines for the creator's video on their topic, in {language}: the first spoken sentence of the video, each at most 15 words, each a different kind of opening (a question, a number, a bold claim, a secret, a challenge). Use what works in the top videos; do not copy a title."));
        text.AppendLine(Invariant($"The hook lines must be in {language}, whatever language the titles are in. No emojis, no hashtags, no quotation marks around them."));
        return text.ToString().TrimEnd();
    }

    /// <summary>The user message: the creator's topic and the top videos, most viewed first.</summary>
    public static string Brief(InsightRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Topic of the new video: {request.Topic.Trim()}"));
        text.AppendLine(Invariant($"Language of the hook lines: {ScriptPrompt.LanguageName(request.Language)}"));
        text.AppendLine(Invariant($"The {request.TopVideos.Count} most-viewed trending videos in the niche \"{request.Niche}\", most viewed first:"));
        var rank = 0;
        foreach (var video in request.TopVideos)
        {
            rank++;
            var engagement = video.Views > 0 ? (double)(video.Likes + video.Comments) / video.Views : 0;
            text.AppendLine(Invariant($"{rank}. \"{OneLine(video.Title)}\" by {OneLine(video.ChannelTitle)}"));
            text.AppendLine(Invariant($"   {video.Views:N0} views, {video.Likes:N0} likes, {video.Comments:N0} comments ({engagement * 100:0.0}% engagement), {Duration(video.DurationSeconds)}, published {video.PublishedAt:yyyy-MM-dd}"));
            if (video.Tags.Count > 0)
            {
                text.AppendLine(Invariant($"   tags: {string.Join(", ", video.Tags.Take(8).Select(OneLine))}"));
            }
            var description = OneLine(video.Description);
            if (description.Length > 0)
            {
                text.AppendLine(Invariant($"   description: {(description.Length > DescriptionCharacters ? description[..DescriptionCharacters] + "..." : description)}"));
            }
        }
        return text.ToString().TrimEnd();
    }

    private static string Duration(double seconds) => seconds > 0 ? Invariant($"{seconds:0} s") : "length unknown";

    /// <summary>Text from outside on one line, so a title cannot start a line of its own in the prompt.</summary>
    private static string OneLine(string text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
