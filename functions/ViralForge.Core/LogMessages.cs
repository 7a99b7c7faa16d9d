using Microsoft.Extensions.Logging;

namespace ViralForge.Core;

/// <summary>
/// Every log message of the core, source-generated. Event ids 1000-1999 are the core's (the table of ranges per
/// assembly is in docs/ARCHITECTURE.md, and a test keeps every id unique and in its assembly's range).
/// </summary>
internal static partial class LogMessages
{
    // Stages: 1000-1049.
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Stage {Stage} of job {JobId} failed on delivery retry {Retry}")]
    public static partial void StageFailed(this ILogger logger, Exception exception, string stage, Guid jobId, int retry);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Could not delete scratch folder {Folder}")]
    public static partial void ScratchNotDeleted(this ILogger logger, Exception exception, string folder);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Could not renew a lease; will try again")]
    public static partial void LeaseNotRenewed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Stage {Stage} of job {JobId} waits until {Until}: {Reason}")]
    public static partial void StageDeferred(this ILogger logger, string stage, Guid jobId, DateTimeOffset until, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Stage {Stage} of job {JobId} looks again at {At}: {Reason}")]
    public static partial void StageWaiting(this ILogger logger, string stage, Guid jobId, DateTimeOffset at, string reason);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Warning, Message = "No progress for {Stall}: the lease is no longer renewed and the work is stopped")]
    public static partial void ProgressStalled(this ILogger logger, TimeSpan stall);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "Could not record the render's speed; the next render deadlines keep the older figure")]
    public static partial void RenderSpeedNotRecorded(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Debug, Message = "Could not record the progress of job {JobId}; the next report tries again")]
    public static partial void ProgressNotRecorded(this ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Deleted {Count} leftover blobs of job {JobId}")]
    public static partial void LeftoverBlobsDeleted(this ILogger logger, int count, Guid jobId);

    // Sheets and intake: 1050-1099.
    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning, Message = "Row of job {JobId} is no longer in sheet {SheetId}; status not written")]
    public static partial void RowGone(this ILogger logger, Guid jobId, string sheetId);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning, Message = "Could not write the status of job {JobId} to sheet {SheetId}")]
    public static partial void StatusNotWritten(this ILogger logger, Exception exception, Guid jobId, string sheetId);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Information, Message = "Row {Row} became job {JobId}")]
    public static partial void RowBecameJob(this ILogger logger, int row, Guid jobId);

    [LoggerMessage(EventId = 1053, Level = LogLevel.Warning, Message = "Row {Row} of {SheetId} names job {JobId}, which is not a job of this sheet; nothing cancelled")]
    public static partial void ForeignJobId(this ILogger logger, int row, string sheetId, Guid jobId);

    [LoggerMessage(EventId = 1054, Level = LogLevel.Information, Message = "Row {Row} was edited; its earlier job {JobId} had already ended ({Status}) and is left as it is")]
    public static partial void EditedAfterEnd(this ILogger logger, int row, Guid jobId, string status);

    // Review: 1100-1149.
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Posted the review card of job {JobId} generation {Generation} to {Surface}")]
    public static partial void Posted(this ILogger logger, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "The review card of job {JobId} generation {Generation} is already on {Surface}; not posting it again")]
    public static partial void AlreadyPosted(this ILogger logger, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Applied the review decision of job {JobId} generation {Generation}: {Result}")]
    public static partial void Applied(this ILogger logger, Guid jobId, int generation, string result);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Could not {Action} the review card of job {JobId} generation {Generation} on {Surface}; the task will be retried")]
    public static partial void PosterFailed(this ILogger logger, Exception exception, string action, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "The review card of job {JobId} generation {Generation} was posted to {Surface}, which no configured poster serves now")]
    public static partial void NoPoster(this ILogger logger, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Reminded about the review of job {JobId} generation {Generation} on {Count} surface(s)")]
    public static partial void Reminded(this ILogger logger, Guid jobId, int generation, int count);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "The review of job {JobId} generation {Generation} expired: {Outcome}")]
    public static partial void Expired(this ILogger logger, Guid jobId, int generation, string outcome);

    // Reconcile: 1150-1169.
    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "Job {JobId} stopped moving at {Stage} (generation {Generation}): {What}; queued it again ({Count} of {Max})")]
    public static partial void StageRequeued(this ILogger logger, Guid jobId, string stage, int generation, string what, int count, int max);

    [LoggerMessage(EventId = 1151, Level = LogLevel.Warning, Message = "Job {JobId} failed by reconcile: {Reason}")]
    public static partial void StalledJobFailed(this ILogger logger, Guid jobId, string reason);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Debug, Message = "Reconcile looked at {Examined} idle jobs: {Requeued} queued again, {Failed} failed")]
    public static partial void ReconcilePass(this ILogger logger, int examined, int requeued, int failed);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Warning, Message = "Could not reconcile job {JobId}; the next pass tries again")]
    public static partial void ReconcileJobFailed(this ILogger logger, Exception exception, Guid jobId);
}
