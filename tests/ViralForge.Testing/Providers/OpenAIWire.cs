using System.Text.Json.Nodes;

namespace ViralForge.Testing.Providers;

/// <summary>
/// OpenAI's wire formats as its API sends them (chat.completion with a structured-output script, moderation, the error
/// envelope, whisper-1 verbose_json): one copy for the adapter tests and the pipeline tests that point the real client at WireMock.
/// </summary>
public static class OpenAIWire
{
    public const string ChatPath = "/v1/chat/completions";
    public const string ModerationPath = "/v1/moderations";
    public const string SpeechPath = "/v1/audio/speech";
    public const string TranscriptionPath = "/v1/audio/transcriptions";

    /// <summary>A script of about <paramref name="words"/> spoken words in five beats (a 30 s video at 165 words a minute wants 71 to 94).</summary>
    public static JsonObject Script(int words = 84, string card = "Gravity test", string title = "Why your cat pushes things off the table")
    {
        const string hook = "Your cat is running a physics experiment on you."; // 9 words
        const string callToAction = "Subscribe for more cat science."; // 5 words
        var perBeat = Math.Max(1, (words - 14) / 5);
        var beats = new JsonArray();
        for (var i = 0; i < 5; i++)
        {
            beats.Add(new JsonObject
            {
                ["narration"] = string.Join(" ", Enumerable.Range(0, perBeat).Select(w => w == 0 ? "Cats" : "test")) + ".",
                ["card"] = card,
                ["visual_query"] = "cat pushing glass off table",
                ["mood"] = i == 4 ? "upbeat" : "playful",
            });
        }
        return new JsonObject
        {
            ["title"] = title,
            ["hook"] = hook,
            ["beats"] = beats,
            ["call_to_action"] = callToAction,
            ["description"] = "Why cats push things off tables, in thirty seconds.",
            ["tags"] = new JsonArray("cats", "cat behavior", "funny cats"),
            ["hashtags"] = new JsonArray("#cats", "#CatFacts", "shorts"),
        };
    }

    /// <summary>A chat.completion as the API sends it, the script as a string in message.content.</summary>
    public static string Completion(string? content, string finishReason = "stop", string? refusal = null, int promptTokens = 1200, int cachedTokens = 200, int completionTokens = 400, string id = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT") =>
        new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = 1765100000,
            ["model"] = "gpt-5.4-mini-2026-03-17",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = refusal, ["annotations"] = new JsonArray() },
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cachedTokens, ["audio_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 128, ["audio_tokens"] = 0, ["accepted_prediction_tokens"] = 0, ["rejected_prediction_tokens"] = 0 },
            },
            ["service_tier"] = "default",
            ["system_fingerprint"] = null,
        }.ToJsonString();

    /// <summary>OpenAI's error envelope.</summary>
    public static string Error(string message, string type, string? code) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } }.ToJsonString();

    /// <summary>A moderation answer as the API sends it: every category, the named ones true.</summary>
    public static string Moderation(params string[] flagged)
    {
        string[] all = ["harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic"];
        var categories = new JsonObject();
        var scores = new JsonObject();
        foreach (var name in all)
        {
            categories[name] = flagged.Contains(name);
            scores[name] = flagged.Contains(name) ? 0.91 : 0.0004;
        }
        return new JsonObject
        {
            ["id"] = "modr-0d9740456c391e43c445bf0f010940c7",
            ["model"] = "omni-moderation-latest",
            ["results"] = new JsonArray(new JsonObject
            {
                ["flagged"] = flagged.Length > 0,
                ["categories"] = categories,
                ["category_scores"] = scores,
                ["category_applied_input_types"] = new JsonObject { ["violence"] = new JsonArray("text") },
            }),
        }.ToJsonString();
    }

    /// <summary>
    /// whisper-1's verbose_json with word timestamps for <paramref name="text"/> spoken over <paramref name="seconds"/>:
    /// the words spread evenly, each but the first with the leading space whisper gives it, and the usage it bills.
    /// </summary>
    public static string Transcription(string text, double seconds)
    {
        var spoken = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var step = seconds / Math.Max(1, spoken.Length);
        var words = new JsonArray();
        for (var i = 0; i < spoken.Length; i++)
        {
            words.Add(new JsonObject
            {
                ["word"] = (i == 0 ? "" : " ") + spoken[i],
                ["start"] = Math.Round(i * step, 3),
                ["end"] = Math.Round((i + 0.9) * step, 3),
            });
        }
        return new JsonObject
        {
            ["task"] = "transcribe",
            ["language"] = "english",
            ["duration"] = seconds,
            ["text"] = text,
            ["words"] = words,
            ["segments"] = new JsonArray(),
            ["usage"] = new JsonObject { ["type"] = "duration", ["seconds"] = (int)Math.Ceiling(seconds) },
        }.ToJsonString();
    }
}
