using Microsoft.Extensions.Logging;

namespace ViralForge.RenderJob;

/// <summary>Every log message of the render job, source-generated.</summary>
internal static partial class LogMessages
{
    // Render job: 7000-7099.
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information,
        Message = "Rendering job {JobId} generation {Generation} (execution {Execution}, task {TaskIndex}, attempt {TaskAttempt})")]
    public static partial void RenderStarting(this ILogger logger, Guid jobId, int generation, string? execution, int? taskIndex, int taskAttempt);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Render of job {JobId} ended: {Detail}; exit code {ExitCode}")]
    public static partial void RenderFinished(this ILogger logger, Guid jobId, string detail, int exitCode);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Render of job {JobId} was stopped (SIGTERM or Ctrl+C); nothing was stored as its result; exit code {ExitCode}")]
    public static partial void RenderInterrupted(this ILogger logger, Guid jobId, int exitCode);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error,
        Message = "Render of job {JobId} failed; exit code {ExitCode}")]
    public static partial void RenderCrashed(this ILogger logger, Exception exception, Guid jobId, int exitCode);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning,
        Message = "Could not store why the render of job {JobId} failed; the execution's failure stands")]
    public static partial void FailureNotStored(this ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Debug, Message = "Could not store the render progress of job {JobId}; the next report tries again")]
    public static partial void ProgressNotStored(this ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Debug, Message = "Could not delete scratch folder {Folder}")]
    public static partial void ScratchNotDeleted(this ILogger logger, Exception exception, string folder);
}
