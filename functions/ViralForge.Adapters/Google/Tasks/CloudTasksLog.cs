using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.Google.Tasks;

/// <summary>Log messages of the Cloud Tasks adapter (event ids 3300-3319), source-generated.</summary>
internal static partial class CloudTasksLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Debug, Message = "Enqueued task {TaskName} on Cloud Tasks queue {Queue} for {Url}")]
    public static partial void TaskCreated(this ILogger logger, string taskName, string queue, string url);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "Task {TaskName} is already on Cloud Tasks queue {Queue} (or ran recently); nothing to do")]
    public static partial void TaskAlreadyExists(this ILogger logger, string taskName, string queue);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Debug, Message = "Task {TaskName} is not on Cloud Tasks queue {Queue} ({Status}): it ran, was deleted or ran out of attempts")]
    public static partial void TaskNotFound(this ILogger logger, string taskName, string queue, string status);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Cloud Tasks queue {Queue} now retries {MaxAttempts} times in all, backoff {MinBackoff} to {MaxBackoff}, {MaxDoublings} doublings")]
    public static partial void QueueEnsured(this ILogger logger, string queue, int maxAttempts, TimeSpan minBackoff, TimeSpan maxBackoff, int maxDoublings);
}
