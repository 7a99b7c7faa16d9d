using Microsoft.Extensions.Logging;

namespace ViralForge.Core.Review;

/// <summary>
/// The review core's log messages. They keep the event ids they had in the bot (5101-5107), which Slack's messages
/// share; the logger's category (ChatReviewChannel, ReviewTasks) tells them apart.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Posted the review card of job {JobId} generation {Generation} to {Surface}")]
    public static partial void Posted(this ILogger logger, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "The review card of job {JobId} generation {Generation} is already on {Surface}; not posting it again")]
    public static partial void AlreadyPosted(this ILogger logger, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Applied the review decision of job {JobId} generation {Generation}: {Result}")]
    public static partial void Applied(this ILogger logger, Guid jobId, int generation, string result);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Could not {Action} the review card of job {JobId} generation {Generation} on {Surface}; the task will be retried")]
    public static partial void PosterFailed(this ILogger logger, Exception exception, string action, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "The review card of job {JobId} generation {Generation} was posted to {Surface}, which no configured poster serves now")]
    public static partial void NoPoster(this ILogger logger, Guid jobId, int generation, string surface);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Reminded about the review of job {JobId} generation {Generation} on {Count} surface(s)")]
    public static partial void Reminded(this ILogger logger, Guid jobId, int generation, int count);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "The review of job {JobId} generation {Generation} expired: {Outcome}")]
    public static partial void Expired(this ILogger logger, Guid jobId, int generation, string outcome);
}
