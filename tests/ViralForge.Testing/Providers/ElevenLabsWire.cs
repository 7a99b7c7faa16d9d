using System.Text.Json.Nodes;

namespace ViralForge.Testing.Providers;

/// <summary>
/// ElevenLabs' wire formats as its API sends them (GET /v2/voices, POST text-to-speech/{voice}/with-timestamps): one copy
/// for the adapter tests and the pipeline tests that point the real client at WireMock.
/// </summary>
public static class ElevenLabsWire
{
    public const string VoicesPath = "/v2/voices";

    /// <summary>Rachel's voice id, the account's first voice in <see cref="Voices"/>.</summary>
    public const string RachelId = "21m00Tcm4TlvDq8ikWAM";

    /// <summary>Adam's voice id, the account's second voice in <see cref="Voices"/>.</summary>
    public const string AdamId = "pNInz6obpgDQGcFmaJgB";

    /// <summary>The voices list of an account with Rachel (female) and Adam (male), on one page.</summary>
    public const string Voices = """{"voices":[{"voice_id":"21m00Tcm4TlvDq8ikWAM","name":"Rachel","labels":{"gender":"female","accent":"american"}},{"voice_id":"pNInz6obpgDQGcFmaJgB","name":"Adam - deep narrator","labels":{"gender":"male","accent":"american"}}],"has_more":false,"next_page_token":null}""";

    /// <summary>The with-timestamps path of a voice.</summary>
    public static string SpeakPath(string voiceId) => $"/v1/text-to-speech/{voiceId}/with-timestamps";

    /// <summary>AudioWithTimestampsResponseModel: <paramref name="audioBase64"/> with the characters of <paramref name="text"/> spread evenly over <paramref name="seconds"/>.</summary>
    public static string WithTimestamps(string text, string audioBase64, double seconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        var step = seconds / text.Length;
        var chars = new JsonArray([.. text.Select(c => (JsonNode)JsonValue.Create(c.ToString())!)]);
        var starts = new JsonArray([.. Enumerable.Range(0, text.Length).Select(i => (JsonNode)JsonValue.Create(Math.Round(i * step, 3))!)]);
        var ends = new JsonArray([.. Enumerable.Range(0, text.Length).Select(i => (JsonNode)JsonValue.Create(Math.Round((i + 1) * step, 3))!)]);
        var alignment = new JsonObject { ["characters"] = chars, ["character_start_times_seconds"] = starts, ["character_end_times_seconds"] = ends };
        return new JsonObject { ["audio_base64"] = audioBase64, ["alignment"] = alignment, ["normalized_alignment"] = alignment.DeepClone() }.ToJsonString();
    }
}
