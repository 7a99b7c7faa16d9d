using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Google.AppsScript;

/// <summary>projects.updateContent's body and answer: the project's files (Content resource).</summary>
internal sealed record ScriptContent(string? ScriptId, List<ScriptFile>? Files);

/// <summary>One file of a project: name without extension, type (SERVER_JS, HTML, JSON) and its source text.</summary>
internal sealed record ScriptFile(string? Name, string? Type, string? Source);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScriptContent))]
internal sealed partial class AppsScriptJson : JsonSerializerContext;
