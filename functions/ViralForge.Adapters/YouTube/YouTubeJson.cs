using System.Text.Json.Serialization;

namespace ViralForge.Adapters.YouTube;

/// <summary>The body of videos.insert (part=snippet,status).</summary>
internal sealed record YouTubeVideoInsert(YouTubeSnippet Snippet, YouTubeStatus Status);

internal sealed record YouTubeSnippet(string Title, string Description, IReadOnlyList<string> Tags, string CategoryId, string? DefaultLanguage);

/// <param name="PublishAt">RFC 3339 in UTC; only with privacyStatus private, which YouTube turns public at that time.</param>
internal sealed record YouTubeStatus(string PrivacyStatus, string? PublishAt, bool SelfDeclaredMadeForKids, bool ContainsSyntheticMedia);

/// <summary>The video resource the last chunk is answered with; only its id is read.</summary>
internal sealed record YouTubeVideo(string? Id);

/// <summary>The video resource the last chunk is answered with, as the publisher reads it: the id and when it goes public.</summary>
internal sealed record YouTubeUploadedVideo(string? Id, YouTubeUploadedStatus? Status);

/// <param name="PublishAt">Set when the video is scheduled: private until then, public from then.</param>
internal sealed record YouTubeUploadedStatus(string? PrivacyStatus, DateTimeOffset? PublishAt);

/// <summary>Google's error envelope with YouTube's reasons: {"error":{"code":403,"message":"…","errors":[{"domain","reason","message"}]}}.</summary>
internal sealed record YouTubeErrorEnvelope(YouTubeErrorBody? Error);

internal sealed record YouTubeErrorBody(int Code, string? Message, IReadOnlyList<YouTubeErrorItem>? Errors);

internal sealed record YouTubeErrorItem(string? Domain, string? Reason, string? Message);

/// <summary>
/// What the ledger keeps of one upload session as its result: the video it made, or that the session was gone (expired
/// or cancelled) so the next session goes under the next call name; and when the video is public (LiveAt: its publishAt
/// when YouTube scheduled it, the upload's end when it went out at once; null when YouTube's answer did not say).
/// </summary>
public sealed record YouTubeUploadResult(string? VideoId, bool SessionGone = false, DateTimeOffset? LiveAt = null);

/// <summary>What the ledger keeps of thumbnails.set: set, or why it was skipped.</summary>
public sealed record YouTubeThumbnailResult(bool Set, string? Skipped = null);

/// <summary>What the ledger keeps of videos.delete: done (deleted, or already gone).</summary>
public sealed record YouTubeDeleteResult(bool Deleted, bool AlreadyGone);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(YouTubeVideoInsert))]
[JsonSerializable(typeof(YouTubeVideo))]
[JsonSerializable(typeof(YouTubeUploadedVideo))]
[JsonSerializable(typeof(YouTubeErrorEnvelope))]
[JsonSerializable(typeof(YouTubeUploadResult))]
[JsonSerializable(typeof(YouTubeThumbnailResult))]
[JsonSerializable(typeof(YouTubeDeleteResult))]
internal sealed partial class YouTubeJson : JsonSerializerContext;
