using System.Globalization;
using System.Text.Json.Nodes;

namespace ViralForge.Testing.Providers;

/// <summary>
/// The YouTube Data API v3 read formats (API_PROVIDERS.md 6a) as the API sends them: videos.list pages
/// (youtube#videoListResponse, statistics as strings), search.list (youtube#searchListResponse) and Google's error
/// envelope. One copy for the adapter tests and the pipeline test that points the real client at WireMock.
/// </summary>
public static class YouTubeTrendsWire
{
    public const string VideosPath = "/youtube/v3/videos";
    public const string SearchPath = "/youtube/v3/search";

    /// <summary>A test key: long enough to pass the key check, and marked so a leak is easy to find.</summary>
    public const string ApiKey = "AIzaSyTEST0123456789abcdefSECRET";

    /// <summary>One video resource with snippet, contentDetails and statistics.</summary>
    public static JsonObject Video(string id, string title, string[] tags, int seconds, long views, string categoryId = "15", long likes = 1000, long comments = 100, string description = "") => new()
    {
        ["kind"] = "youtube#video",
        ["etag"] = "etag-" + id,
        ["id"] = id,
        ["snippet"] = new JsonObject
        {
            ["publishedAt"] = "2026-12-01T12:00:00Z",
            ["channelId"] = "UC" + id,
            ["title"] = title,
            ["description"] = description,
            ["thumbnails"] = new JsonObject { ["default"] = new JsonObject { ["url"] = $"https://i.ytimg.com/vi/{id}/default.jpg", ["width"] = 120, ["height"] = 90 } },
            ["channelTitle"] = "Channel " + id,
            ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]),
            ["categoryId"] = categoryId,
            ["liveBroadcastContent"] = "none",
        },
        ["contentDetails"] = new JsonObject
        {
            ["duration"] = Duration(seconds),
            ["dimension"] = "2d",
            ["definition"] = "hd",
            ["caption"] = "false",
            ["licensedContent"] = true,
            ["projection"] = "rectangular",
        },
        ["statistics"] = new JsonObject
        {
            ["viewCount"] = views.ToString(CultureInfo.InvariantCulture),
            ["likeCount"] = likes.ToString(CultureInfo.InvariantCulture),
            ["favoriteCount"] = "0",
            ["commentCount"] = comments.ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>A cat Short (#shorts, under a minute) for the Pets &amp; Animals chart.</summary>
    public static JsonObject CatShort(int n, long views) =>
        Video($"cat{n:D2}Short", $"Why cats knock things off tables #{n} #shorts", ["cats", "funny cats", "#shorts"], 30 + n, views);

    /// <summary>A videos.list page; <paramref name="nextPageToken"/> on every page but the last.</summary>
    public static string VideoList(IEnumerable<JsonObject> videos, string? nextPageToken = null, int totalResults = 200)
    {
        var items = new JsonArray([.. videos]);
        var page = new JsonObject
        {
            ["kind"] = "youtube#videoListResponse",
            ["etag"] = "list-etag",
            ["items"] = items,
            ["pageInfo"] = new JsonObject { ["totalResults"] = totalResults, ["resultsPerPage"] = 50 },
        };
        if (nextPageToken is not null)
        {
            page["nextPageToken"] = nextPageToken;
        }
        return page.ToJsonString();
    }

    /// <summary>A search.list answer: ids with snippets, no statistics.</summary>
    public static string SearchList(params string[] videoIds) => new JsonObject
    {
        ["kind"] = "youtube#searchListResponse",
        ["etag"] = "search-etag",
        ["regionCode"] = "US",
        ["pageInfo"] = new JsonObject { ["totalResults"] = 1000000, ["resultsPerPage"] = videoIds.Length },
        ["items"] = new JsonArray([.. videoIds.Select(id => (JsonNode)new JsonObject
        {
            ["kind"] = "youtube#searchResult",
            ["etag"] = "s-" + id,
            ["id"] = new JsonObject { ["kind"] = "youtube#video", ["videoId"] = id },
            ["snippet"] = new JsonObject { ["publishedAt"] = "2026-12-01T12:00:00Z", ["channelId"] = "UC" + id, ["title"] = "t " + id, ["description"] = "", ["channelTitle"] = "c", ["liveBroadcastContent"] = "none" },
        })]),
    }.ToJsonString();

    /// <summary>Google's error envelope with one legacy reason.</summary>
    public static string Error(int code, string reason, string message, string domain = "youtube.quota") => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = domain, ["reason"] = reason }),
        },
    }.ToJsonString();

    /// <summary>403 quotaExceeded, as YouTube sends it when the project's daily quota is spent.</summary>
    public static string QuotaExceeded() => Error(403, "quotaExceeded",
        "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.");

    /// <summary>400 for a bad key, in the newer shape: reason badRequest, status INVALID_ARGUMENT, details ErrorInfo API_KEY_INVALID.</summary>
    public static string KeyInvalid() => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = 400,
            ["message"] = "API key not valid. Please pass a valid API key.",
            ["errors"] = new JsonArray(new JsonObject { ["message"] = "API key not valid. Please pass a valid API key.", ["domain"] = "global", ["reason"] = "badRequest" }),
            ["status"] = "INVALID_ARGUMENT",
            ["details"] = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "youtube.googleapis.com" },
            }),
        },
    }.ToJsonString();

    private static string Duration(int seconds) =>
        seconds >= 60 ? string.Create(CultureInfo.InvariantCulture, $"PT{seconds / 60}M{seconds % 60}S") : string.Create(CultureInfo.InvariantCulture, $"PT{seconds}S");
}
