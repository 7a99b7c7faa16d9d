using System.Text.Json.Serialization;

namespace ViralForge.Adapters.OpenAI;

/// <summary>The insight as the model returns it: the JSON schema of <see cref="OpenAIInsightPrompt.Schema"/>, field for field.</summary>
public sealed record InsightReply(IReadOnlyList<string> Common, IReadOnlyList<string> HookLines);

/// <summary>
/// Source-generated JSON for the insight model's reply, read strictly (every field present, none unknown, no nulls) so
/// that a reply that is not the schema is caught here, not half-read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(InsightReply))]
internal sealed partial class OpenAIInsightJson : JsonSerializerContext;
