using System.Text.Json.Serialization;
using ViralForge.Core.Jobs;

namespace ViralForge.Functions.Api;

/// <summary>The validated request a job was made from, as the API shows it.</summary>
public sealed record ApiVideoRequest(
    string Topic, IReadOnlyList<string> Platforms, int DurationSeconds, string Style, string Voice, string Language,
    DateTimeOffset? PublishAt, IReadOnlyList<string> Hashtags, string Notes, string Music, string CaptionStyle, string Format,
    string Watermark, bool ReviewScript, string Visuals, string Channel)
{
    public static ApiVideoRequest From(VideoRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var platforms = new List<string>();
        if (request.Platforms.HasFlag(Core.Jobs.Platforms.YouTube))
        {
            platforms.Add("youtube");
        }
        if (request.Platforms.HasFlag(Core.Jobs.Platforms.TikTok))
        {
            platforms.Add("tiktok");
        }
        return new ApiVideoRequest(request.Topic, platforms, request.DurationSeconds, request.Style, request.Voice, request.Language,
            request.PublishAt, request.Hashtags, request.Notes, request.Music, request.CaptionStyle, request.Format, request.Watermark,
            request.ReviewScript, request.Visuals, request.Channel);
    }
}

/// <summary>A job: its status as of now (a scheduled video whose time came reads published), stage and request.</summary>
public sealed record ApiJob(
    Guid Id, string SheetId, string Status, string? Stage, int Generation, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ApiVideoRequest Request)
{
    public static ApiJob From(Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new ApiJob(job.Id, job.SheetId, JobStatus.AsOf(job, now), job.Stage?.Wire(), job.Generation, job.Error,
            job.CreatedAt, job.UpdatedAt, ApiVideoRequest.From(job.Request));
    }
}

/// <summary>One line of a job's history.</summary>
public sealed record ApiJobEvent(DateTimeOffset At, string Kind, string? Stage, string Message);

/// <summary>GET /v1/jobs/{id}: the job, what the sheet's Stage, Video, Preview and Published URL cells show, and its history.</summary>
public sealed record ApiJobDetail(ApiJob Job, string? Progress, string? Video, string? Preview, string? PublishedUrl, string? Cost, IReadOnlyList<ApiJobEvent> Events);

/// <summary>One row of POST /v1/jobs: its index in rows, whether this request made the job, and the job.</summary>
public sealed record ApiJobResult(int Index, bool Created, ApiJob Job);

/// <summary>POST /v1/jobs's answer, one result per row in the order sent.</summary>
public sealed record ApiJobsCreated(IReadOnlyList<ApiJobResult> Results);

/// <summary>GET /v1/jobs's answer: newest first; nextCursor null on the last page.</summary>
public sealed record ApiJobPage(IReadOnlyList<ApiJob> Jobs, string? NextCursor);

/// <summary>The answer to approve, reject and regenerate: decided, and what happens next.</summary>
public sealed record ApiDecision(string Outcome, string Message, ApiJob Job);

/// <summary>An API key as listed (never the key itself).</summary>
public sealed record ApiKeyBody(long Id, string Owner, string Scope, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyBody From(ApiKeyInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new ApiKeyBody(info.Id, info.Owner, info.Scope.Wire(), info.CreatedBy, info.CreatedAt, info.LastUsedAt, info.RevokedAt);
    }
}

/// <summary>POST /v1/keys's answer: the key, shown this once, and its record.</summary>
public sealed record ApiKeyCreatedBody(string Key, ApiKeyBody Info);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyBody> Keys);

/// <summary>Source-generated JSON for the Jobs API's answers (docs/API.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ApiJob))]
[JsonSerializable(typeof(ApiJobDetail))]
[JsonSerializable(typeof(ApiJobsCreated))]
[JsonSerializable(typeof(ApiJobPage))]
[JsonSerializable(typeof(ApiDecision))]
[JsonSerializable(typeof(ApiKeyCreatedBody))]
[JsonSerializable(typeof(ApiKeyList))]
public sealed partial class ApiJson : JsonSerializerContext;
