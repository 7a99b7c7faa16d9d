namespace ViralForge.Bot.Slack;

/// <summary>The Slack surface's log messages, source-generated. None carries a token, a signing secret or a signature.</summary>
internal static partial class LogMessages
{
    // Slack: 5100-5199.
    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Refused a Slack interaction with {Status}: {Reason}")]
    public static partial void InteractionRefused(this ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Slack {Action} by {UserId} on job {JobId} generation {Generation}: {Outcome}")]
    public static partial void Decided(this ILogger logger, string action, string userId, Guid jobId, int generation, string outcome);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Ignored a Slack interaction of type {Type} ({ActionOrCallback})")]
    public static partial void Ignored(this ILogger logger, string type, string actionOrCallback);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Could not open the Slack {Modal} modal for job {JobId}: {Error}")]
    public static partial void ModalFailed(this ILogger logger, string modal, Guid jobId, string error);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Could not tell a Slack user the outcome through response_url: {Error}")]
    public static partial void ResponseFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "The Slack response queue is full; a message to a clicker was dropped: {Text}")]
    public static partial void ResponseDropped(this ILogger logger, string text);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Posted the Slack review card for job {JobId} generation {Generation} to {Channel} as {Ts}")]
    public static partial void CardPosted(this ILogger logger, Guid jobId, int generation, string channel, string ts);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "Updated the Slack card {Channel}/{Ts} of job {JobId} with its decision")]
    public static partial void CardUpdated(this ILogger logger, string channel, string ts, Guid jobId);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning, Message = "The Slack card {Channel}/{Ts} of job {JobId} is gone ({Error}); nothing to update")]
    public static partial void CardGone(this ILogger logger, string channel, string ts, Guid jobId, string error);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Warning, Message = "Could not look up the Slack user {UserId}'s name ({Error}); recording their handle {Fallback}")]
    public static partial void UserLookupFailed(this ILogger logger, string userId, string error, string fallback);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "Slack refused users.info ({Error}): reviewers are recorded by their handle; add the users:read scope to the Slack app and reinstall it to record their names")]
    public static partial void UserLookupNotAllowed(this ILogger logger, string error);
}
