using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Runway;

/// <summary>POST /v1/text_to_video (runwayml/sdk-node TextToVideoCreateParams).</summary>
internal sealed record RunwayTextToVideoRequest(string Model, string PromptText, string Ratio, int Duration);

/// <summary>The create's answer: the task to poll.</summary>
internal sealed record RunwayTaskCreated(string? Id);

/// <summary>GET /v1/tasks/{id}: one shape for every status (sdk-node TaskRetrieveResponse).</summary>
internal sealed record RunwayTask(string? Id, string? Status, double? Progress, IReadOnlyList<string>? Output, string? Failure, string? FailureCode);

[JsonSerializable(typeof(RunwayTextToVideoRequest))]
[JsonSerializable(typeof(RunwayTaskCreated))]
[JsonSerializable(typeof(RunwayTask))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RunwayJsonContext : JsonSerializerContext;
