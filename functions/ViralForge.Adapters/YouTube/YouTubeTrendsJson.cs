using System.Text.Json.Serialization;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.YouTube;

/// <summary>The body of a search.list response (kind youtube#searchListResponse): ids and snippets, no statistics.</summary>
public sealed record YouTubeSearchListResponse(
    string Kind,
    IReadOnlyList<YouTubeSearchResult> Items,
    string? NextPageToken = null,
    YouTubeSearchPageInfo? PageInfo = null);

public sealed record YouTubeSearchPageInfo(int TotalResults, int ResultsPerPage);

/// <summary>One search result: its id says what it is (type=video gives id.kind youtube#video and id.videoId).</summary>
public sealed record YouTubeSearchResult(string Kind, YouTubeSearchResultId Id);

public sealed record YouTubeSearchResultId(string Kind, string? VideoId = null, string? ChannelId = null, string? PlaylistId = null);

/// <summary>
/// Google's error envelope as the Data API sends it: the legacy errors[].reason (quotaExceeded, keyInvalid,
/// videoChartNotFound) and, on newer answers, status and details[].reason (API_KEY_INVALID, SERVICE_DISABLED).
/// </summary>
public sealed record YouTubeApiErrorEnvelope(YouTubeApiError? Error);

public sealed record YouTubeApiError(int Code, string? Message, IReadOnlyList<YouTubeApiErrorItem>? Errors = null, string? Status = null, IReadOnlyList<YouTubeApiErrorDetail>? Details = null);

public sealed record YouTubeApiErrorItem(string? Domain, string? Reason, string? Message);

public sealed record YouTubeApiErrorDetail(string? Reason, string? Domain);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(YouTubeSearchListResponse))]
[JsonSerializable(typeof(YouTubeApiErrorEnvelope))]
[JsonSerializable(typeof(IReadOnlyList<TrendVideo>))]
public sealed partial class YouTubeTrendsJson : JsonSerializerContext;
