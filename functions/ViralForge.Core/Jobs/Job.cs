using System.Text.Json;

namespace ViralForge.Core.Jobs;

/// <summary>One video being made from one sheet row.</summary>
/// <param name="Generation">Bumped by Regenerate; the stage it names and every later stage run again.</param>
public sealed record Job(
    Guid Id,
    string SheetId,
    string RowHash,
    VideoRequest Request,
    string Status,
    StageName? Stage,
    int Generation,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsTerminal => JobStatus.IsTerminal(Status);
}

/// <summary>The record of one stage of one job at one generation.</summary>
public sealed record StageRun(
    Guid JobId,
    StageName Stage,
    int Generation,
    string Status,
    int Attempts,
    JsonElement? Output,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? CompensatedAt);

/// <summary>Stage-run status words stored in stage_runs.status.</summary>
public static class StageRunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Failed = "failed";
}

/// <summary>A file a stage produced, kept in the blob store.</summary>
public sealed record Asset(
    Guid JobId,
    StageName Stage,
    int Generation,
    string Kind,
    string BlobKey,
    long SizeBytes,
    string Sha256,
    double? DurationSeconds);

/// <summary>One line of a job's append-only history.</summary>
public sealed record JobEvent(long Id, Guid JobId, DateTimeOffset At, string Kind, StageName? Stage, string Message);
