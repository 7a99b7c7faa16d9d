using System.Text.Json.Serialization;

namespace ViralForge.Functions.Dashboard;

/// <summary>Source-generated JSON for the /events stream.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JobChange))]
internal sealed partial class DashboardJson : JsonSerializerContext;
