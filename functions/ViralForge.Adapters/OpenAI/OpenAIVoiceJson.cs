using System.Text.Json.Serialization;

namespace ViralForge.Adapters.OpenAI;

/// <summary>POST /audio/speech body (CreateSpeechRequest).</summary>
public sealed record OpenAISpeechRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("voice")] string Voice,
    [property: JsonPropertyName("instructions")] string? Instructions,
    [property: JsonPropertyName("response_format")] string ResponseFormat,
    [property: JsonPropertyName("speed")] double? Speed);

/// <summary>The verbose_json transcription: words with start and end seconds.</summary>
public sealed record WhisperTranscription(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("words")] IReadOnlyList<WhisperWord>? Words,
    [property: JsonPropertyName("usage")] WhisperUsage? Usage);

public sealed record WhisperWord(
    [property: JsonPropertyName("word")] string Word,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End);

public sealed record WhisperUsage(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("seconds")] double? Seconds);

/// <summary>The error envelope of every OpenAI endpoint.</summary>
public sealed record OpenAIErrorEnvelope([property: JsonPropertyName("error")] OpenAIErrorBody? Error);

public sealed record OpenAIErrorBody(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);

[JsonSerializable(typeof(OpenAISpeechRequest))]
[JsonSerializable(typeof(WhisperTranscription))]
[JsonSerializable(typeof(OpenAIErrorEnvelope))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class OpenAIVoiceJsonContext : JsonSerializerContext;
