using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>Log messages of the Cloud Run jobs adapter (event ids 3350-3379), source-generated.</summary>
internal static partial class CloudRunLog
{
    [LoggerMessage(EventId = 3350, Level = LogLevel.Information, Message = "Started execution {Execution} of Cloud Run job {Job}")]
    public static partial void ExecutionStarted(this ILogger logger, string job, string execution);

    [LoggerMessage(EventId = 3351, Level = LogLevel.Information, Message = "Execution {Execution} ended {Outcome}: {Succeeded}/{TaskCount} tasks succeeded, {Failed} failed, {Retried} retries; {Message}")]
    public static partial void ExecutionEnded(this ILogger logger, string execution, CloudRunExecutionOutcome outcome, int succeeded, int taskCount, int failed, int retried, string? message);

    [LoggerMessage(EventId = 3352, Level = LogLevel.Warning, Message = "Stopped watching execution {Execution} after {Timeout}; it is still running")]
    public static partial void ExecutionWatchTimedOut(this ILogger logger, string execution, TimeSpan timeout);

    [LoggerMessage(EventId = 3353, Level = LogLevel.Information, Message = "Render of job {JobId} generation {Generation}: execution {Execution} is already {State}; not starting another")]
    public static partial void RenderAlreadyLaunched(this ILogger logger, Guid jobId, int generation, string execution, string state);

    [LoggerMessage(EventId = 3354, Level = LogLevel.Information, Message = "Render of job {JobId} generation {Generation} launched as execution {Execution}")]
    public static partial void RenderLaunched(this ILogger logger, Guid jobId, int generation, string execution);

    [LoggerMessage(EventId = 3355, Level = LogLevel.Information, Message = "Render of job {JobId} generation {Generation}: execution {Execution} still running after {Wait}; handing the delivery back")]
    public static partial void RenderStillRunning(this ILogger logger, Guid jobId, int generation, string execution, TimeSpan wait);

    [LoggerMessage(EventId = 3356, Level = LogLevel.Information, Message = "Render of job {JobId} generation {Generation} was already finished; collecting its result")]
    public static partial void RenderCollected(this ILogger logger, Guid jobId, int generation);

    [LoggerMessage(EventId = 3357, Level = LogLevel.Debug, Message = "Could not read the render progress of job {JobId}: {Reason}; the next look tries again")]
    public static partial void RenderProgressUnread(this ILogger logger, Guid jobId, string reason);
}
