using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralForge.Adapters.ElevenLabs;

/// <summary>POST /v1/text-to-speech/{voice_id}/with-timestamps body.</summary>
public sealed record ElevenLabsSpeechRequest(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("model_id")] string ModelId,
    [property: JsonPropertyName("voice_settings")] ElevenLabsVoiceSettings? VoiceSettings,
    [property: JsonPropertyName("previous_text")] string? PreviousText,
    [property: JsonPropertyName("next_text")] string? NextText);

/// <summary>The per-request voice settings; only speed is sent (0.7-1.2 on ElevenLabs).</summary>
public sealed record ElevenLabsVoiceSettings([property: JsonPropertyName("speed")] double Speed);

/// <summary>AudioWithTimestampsResponseModel: only audio_base64 is required; both alignments are nullable.</summary>
public sealed record ElevenLabsSpeechResponse(
    [property: JsonPropertyName("audio_base64")] string? AudioBase64,
    [property: JsonPropertyName("alignment")] ElevenLabsAlignment? Alignment,
    [property: JsonPropertyName("normalized_alignment")] ElevenLabsAlignment? NormalizedAlignment);

public sealed record ElevenLabsAlignment(
    [property: JsonPropertyName("characters")] IReadOnlyList<string>? Characters,
    [property: JsonPropertyName("character_start_times_seconds")] IReadOnlyList<double>? Starts,
    [property: JsonPropertyName("character_end_times_seconds")] IReadOnlyList<double>? Ends);

/// <summary>GET /v2/voices page.</summary>
public sealed record ElevenLabsVoicesPage(
    [property: JsonPropertyName("voices")] IReadOnlyList<ElevenLabsVoice>? Voices,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken);

/// <param name="Labels">The voice library's labels (gender, accent, age, ...); a reviewer's gender wish is matched on labels.gender.</param>
public sealed record ElevenLabsVoice(
    [property: JsonPropertyName("voice_id")] string VoiceId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string?>? Labels = null);

/// <summary>The error envelope {"detail":{"status","message"}}, or a 422's {"detail":[{"loc","msg","type"}]}: detail is read loosely.</summary>
public sealed record ElevenLabsError([property: JsonPropertyName("detail")] JsonElement Detail);

[JsonSerializable(typeof(ElevenLabsSpeechRequest))]
[JsonSerializable(typeof(ElevenLabsSpeechResponse))]
[JsonSerializable(typeof(ElevenLabsVoicesPage))]
[JsonSerializable(typeof(ElevenLabsError))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ElevenLabsJsonContext : JsonSerializerContext;
