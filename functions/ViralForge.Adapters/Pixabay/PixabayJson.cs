using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Pixabay;

/// <summary>GET api/videos/ answer: hits with their renditions (large, medium, small, tiny).</summary>
public sealed record PixabaySearchPage(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("totalHits")] int TotalHits,
    [property: JsonPropertyName("hits")] IReadOnlyList<PixabayHit>? Hits);

/// <summary>One video of the answer.</summary>
public sealed record PixabayHit(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("pageURL")] string? PageUrl,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("tags")] string? Tags,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("videos")] PixabayRenditions? Videos,
    [property: JsonPropertyName("user_id")] long? UserId,
    [property: JsonPropertyName("user")] string? User);

/// <summary>The sizes of a video; large may be missing or empty (url "", size 0) when there is no 4K file.</summary>
public sealed record PixabayRenditions(
    [property: JsonPropertyName("large")] PixabayFile? Large,
    [property: JsonPropertyName("medium")] PixabayFile? Medium,
    [property: JsonPropertyName("small")] PixabayFile? Small,
    [property: JsonPropertyName("tiny")] PixabayFile? Tiny);

public sealed record PixabayFile(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("width")] int? Width,
    [property: JsonPropertyName("height")] int? Height,
    [property: JsonPropertyName("size")] long? Size);

[JsonSerializable(typeof(PixabaySearchPage))]
internal sealed partial class PixabayJsonContext : JsonSerializerContext;
