using System.Text.Json;
using System.Text.Json.Serialization;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;

namespace ViralForge.Core;

/// <summary>Source-generated JSON for every message, snapshot and stage output the core stores or sends.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VideoRequest))]
[JsonSerializable(typeof(StageMessage))]
[JsonSerializable(typeof(TrendSample))]
[JsonSerializable(typeof(TrendAnalysis))]
[JsonSerializable(typeof(VideoScript))]
[JsonSerializable(typeof(VisualsOutput))]
[JsonSerializable(typeof(VoiceOutput))]
[JsonSerializable(typeof(RenderOutput))]
[JsonSerializable(typeof(ReviewOutput))]
[JsonSerializable(typeof(PublishOutput))]
[JsonSerializable(typeof(RenderPlan))]
[JsonSerializable(typeof(RenderWork))]
[JsonSerializable(typeof(RenderedVideo))]
[JsonSerializable(typeof(RenderFailure))]
[JsonSerializable(typeof(RenderProgress))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class CoreJson : JsonSerializerContext;
