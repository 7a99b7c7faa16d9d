using System.Text.Json.Serialization;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.OpenAI;

/// <summary>The script as the model returns it: the JSON schema of <see cref="ScriptPrompt.Schema"/>, field for field.</summary>
public sealed record ScriptReply(
    string Title,
    string Hook,
    IReadOnlyList<BeatReply> Beats,
    string CallToAction,
    string Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Hashtags);

/// <summary>One beat as the model returns it.</summary>
public sealed record BeatReply(string Narration, string Card, string VisualQuery, string Mood);

/// <summary>
/// One chat call as the cost ledger keeps it: enough to replay the answer on a redelivery (content, refusal, why it
/// stopped) and to see what it cost.
/// </summary>
/// <param name="PromptVersion">The <see cref="ScriptPrompt.Version"/> the call was sent with.</param>
public sealed record ChatCallRecord(string Model, string PromptVersion, string? Content, string? Refusal, string FinishReason, TokenUsage Usage);

/// <summary>
/// Source-generated JSON for the model's reply and the ledger's records. The reply is read strictly (every field
/// present, none unknown, no nulls where the schema has none), so a reply that is not the schema is caught here and
/// repaired, not half-read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ScriptReply))]
[JsonSerializable(typeof(ChatCallRecord))]
[JsonSerializable(typeof(ModerationVerdict))]
internal sealed partial class OpenAIScriptJson : JsonSerializerContext;
