using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Pexels;

/// <summary>GET videos/search answer (pexels-javascript types.ts): a page of videos.</summary>
public sealed record PexelsSearchPage(
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("total_results")] int TotalResults,
    [property: JsonPropertyName("videos")] IReadOnlyList<PexelsVideo>? Videos);

/// <summary>One video: its page, its maker, and its files in several sizes.</summary>
public sealed record PexelsVideo(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("width")] int? Width,
    [property: JsonPropertyName("height")] int? Height,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("user")] PexelsUser? User,
    [property: JsonPropertyName("video_files")] IReadOnlyList<PexelsVideoFile>? VideoFiles);

public sealed record PexelsUser(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("url")] string? Url);

/// <summary>One file of a video; width, height and fps are null for HLS entries (quality hls).</summary>
public sealed record PexelsVideoFile(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("quality")] string? Quality,
    [property: JsonPropertyName("file_type")] string? FileType,
    [property: JsonPropertyName("width")] int? Width,
    [property: JsonPropertyName("height")] int? Height,
    [property: JsonPropertyName("fps")] double? Fps,
    [property: JsonPropertyName("link")] string? Link,
    [property: JsonPropertyName("size")] long? Size);

/// <summary>The error body: {"error":"…"}.</summary>
public sealed record PexelsError([property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(PexelsSearchPage))]
[JsonSerializable(typeof(PexelsError))]
internal sealed partial class PexelsJsonContext : JsonSerializerContext;
