using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Vertex;

/// <summary>POST …:predictLongRunning (API_PROVIDERS.md 5b).</summary>
internal sealed record VeoRequest(IReadOnlyList<VeoInstance> Instances, VeoParameters Parameters);

internal sealed record VeoInstance(string Prompt);

internal sealed record VeoParameters(
    string AspectRatio,
    int DurationSeconds,
    string Resolution,
    bool GenerateAudio,
    int SampleCount,
    string PersonGeneration,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StorageUri);

/// <summary>POST …:fetchPredictOperation.</summary>
internal sealed record VeoFetchRequest(string OperationName);

/// <summary>A long-running operation: the start answers its name, each poll the whole of it.</summary>
internal sealed record VeoOperation(string? Name, bool Done, VeoStatus? Error, VeoResponse? Response);

internal sealed record VeoStatus(int? Code, string? Message);

internal sealed record VeoResponse(int? RaiMediaFilteredCount, IReadOnlyList<string>? RaiMediaFilteredReasons, IReadOnlyList<VeoVideo>? Videos);

/// <summary>One clip: gcsUri when storageUri was set, base64 inline otherwise.</summary>
internal sealed record VeoVideo(string? GcsUri, string? BytesBase64Encoded, string? MimeType);

[JsonSerializable(typeof(VeoRequest))]
[JsonSerializable(typeof(VeoFetchRequest))]
[JsonSerializable(typeof(VeoOperation))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class VeoJsonContext : JsonSerializerContext;
