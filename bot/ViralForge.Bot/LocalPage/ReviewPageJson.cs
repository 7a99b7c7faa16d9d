using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralForge.Bot.LocalPage;

/// <summary>GET /review/waiting: the ids of the videos and scripts waiting for a person, and the jobs being made.</summary>
public sealed record ReviewWaiting(IReadOnlyList<Guid> Awaiting, IReadOnlyList<Guid> Scripts, IReadOnlyList<ReviewMaking> Making);

/// <summary>A job being made: its Stage cell ("render 45%") and percent done, as the list page shows it.</summary>
public sealed record ReviewMaking(Guid Id, string Stage, int? Percent);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReviewWaiting))]
internal sealed partial class ReviewPageJson : JsonSerializerContext;
