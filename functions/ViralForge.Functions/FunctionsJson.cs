using System.Text.Json.Serialization;

namespace ViralForge.Functions;

/// <summary>Source-generated JSON for the host's own answers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OutcomeBody))]
[JsonSerializable(typeof(JobStatusBody))]
public sealed partial class FunctionsJson : JsonSerializerContext;
