namespace ViralForge.Bot.Teams;

/// <summary>The Teams side's log messages, source-generated. None carries a token or secret.</summary>
internal static partial class LogMessages
{
    // Teams: 6500-6599.
    [LoggerMessage(EventId = 6501, Level = LogLevel.Warning, Message = "Refused a Teams request with {Status}: {Reason}")]
    public static partial void TeamsRefused(this ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 6502, Level = LogLevel.Information, Message = "Fetched {Count} Bot Framework signing keys ({KeyIds}) from {JwksUri}; kept for {Lifetime}")]
    public static partial void TeamsKeysFetched(this ILogger logger, int count, string keyIds, string jwksUri, TimeSpan lifetime);

    [LoggerMessage(EventId = 6503, Level = LogLevel.Warning, Message = "Could not fetch Bot Framework's signing keys from {Url} ({Error}: {ErrorMessage}); {Fallback}")]
    public static partial void TeamsKeysFetchFailed(this ILogger logger, string url, string error, string errorMessage, string fallback);

    [LoggerMessage(EventId = 6504, Level = LogLevel.Information, Message = "Fetched the bot's Connector token, valid for {Lifetime}")]
    public static partial void TeamsTokenFetched(this ILogger logger, TimeSpan lifetime);

    [LoggerMessage(EventId = 6505, Level = LogLevel.Information, Message = "Posted Teams activity {ActivityId}")]
    public static partial void TeamsActivitySent(this ILogger logger, string activityId);

    [LoggerMessage(EventId = 6506, Level = LogLevel.Information, Message = "Replaced Teams activity {ActivityId}")]
    public static partial void TeamsActivityUpdated(this ILogger logger, string activityId);

    [LoggerMessage(EventId = 6507, Level = LogLevel.Information, Message = "Teams click on job {JobId} generation {Generation}: {Verdict} by {ReviewerId}: {Outcome}")]
    public static partial void TeamsClick(this ILogger logger, Guid jobId, int generation, string verdict, string reviewerId, string outcome);

    [LoggerMessage(EventId = 6508, Level = LogLevel.Debug, Message = "Ignored a Teams {Type} activity")]
    public static partial void TeamsIgnored(this ILogger logger, string type);
}
