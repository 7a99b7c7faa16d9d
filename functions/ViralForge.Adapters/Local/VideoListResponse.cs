using System.Text.Json.Serialization;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Local;

/// <summary>The body of a YouTube Data API v3 videos.list response (kind youtube#videoListResponse).</summary>
/// <remarks>
/// Optional parts are nullable because what a response carries depends on the request's part parameter
/// (snippet, contentDetails, statistics); pages other than the last carry nextPageToken.
/// </remarks>
public sealed record VideoListResponse(
    string Kind,
    string Etag,
    IReadOnlyList<VideoResource> Items,
    PageInfo PageInfo,
    string? NextPageToken = null,
    string? PrevPageToken = null);

/// <summary>How many results the whole list has and how many one page holds.</summary>
public sealed record PageInfo(int TotalResults, int ResultsPerPage);

/// <summary>One video resource (kind youtube#video) with the parts the request asked for.</summary>
public sealed record VideoResource(
    string Kind,
    string Etag,
    string Id,
    VideoSnippet? Snippet = null,
    VideoContentDetails? ContentDetails = null,
    VideoStatistics? Statistics = null);

/// <summary>The snippet part: title, description, channel, tags and category.</summary>
/// <param name="Thumbnails">Keyed by size name as the API sends them: default, medium, high, standard, maxres.</param>
public sealed record VideoSnippet(
    DateTimeOffset PublishedAt,
    string ChannelId,
    string Title,
    string Description,
    string ChannelTitle,
    string CategoryId,
    IReadOnlyDictionary<string, VideoThumbnail>? Thumbnails = null,
    IReadOnlyList<string>? Tags = null,
    string? LiveBroadcastContent = null,
    string? DefaultLanguage = null,
    string? DefaultAudioLanguage = null,
    LocalizedText? Localized = null);

/// <summary>One thumbnail image; width and height are absent for some sizes.</summary>
public sealed record VideoThumbnail(string Url, int? Width = null, int? Height = null);

/// <summary>Title and description in the viewer's language.</summary>
public sealed record LocalizedText(string Title, string Description);

/// <summary>The contentDetails part; Duration is ISO 8601 (PT1M5S), Caption is the string "true" or "false".</summary>
public sealed record VideoContentDetails(
    string Duration,
    string? Dimension = null,
    string? Definition = null,
    string? Caption = null,
    bool? LicensedContent = null,
    string? Projection = null);

/// <summary>The statistics part. The API sends counts as JSON strings, and leaves likeCount out when likes are hidden.</summary>
public sealed record VideoStatistics(
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    long? ViewCount = null,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    long? LikeCount = null,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    long? FavoriteCount = null,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    long? CommentCount = null);

/// <summary>Source-generated serialisation of the videos.list wire format, in which the offline trend sample is written.</summary>
/// <remarks>
/// Nullable annotations and required constructor parameters are enforced so that a response missing
/// a field we rely on fails while parsing, naming the field, instead of turning into empty values later.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(VideoListResponse))]
public sealed partial class YouTubeJsonContext : JsonSerializerContext;

/// <summary>Turns the wire format into the trends stage's <see cref="TrendVideo"/>.</summary>
public static class VideoResourceMapping
{
    /// <summary>
    /// Maps one video. It needs the snippet part; missing statistics count as 0, and a missing
    /// contentDetails part gives a duration of 0, which the analysis treats as unknown.
    /// </summary>
    public static TrendVideo ToTrendVideo(this VideoResource video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var snippet = video.Snippet
            ?? throw new InvalidOperationException($"Video '{video.Id}' has no snippet; request part=snippet.");
        var duration = video.ContentDetails is { } details ? IsoDuration.Parse(details.Duration).TotalSeconds : 0;
        var statistics = video.Statistics;
        return new TrendVideo(
            video.Id,
            snippet.Title,
            snippet.Description,
            snippet.ChannelTitle,
            snippet.Tags ?? [],
            snippet.CategoryId,
            snippet.PublishedAt,
            duration,
            statistics?.ViewCount ?? 0,
            statistics?.LikeCount ?? 0,
            statistics?.CommentCount ?? 0);
    }
}
