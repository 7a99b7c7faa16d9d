namespace ViralForge.Functions.Api;

/// <summary>The Jobs API's log messages, source-generated. Owners, ids and counts only, never keys or tokens.</summary>
internal static partial class ApiLog
{
    // The public Jobs API: 4350-4369.
    [LoggerMessage(EventId = 4351, Level = LogLevel.Warning, Message = "API rate limit: {Partition} refused on {Path} for {Seconds} s")]
    public static partial void ApiRateLimited(this ILogger logger, string partition, string path, int seconds);

    [LoggerMessage(EventId = 4352, Level = LogLevel.Information, Message = "{Caller} submitted {Rows} rows of {SheetId} through the API: {Created} new jobs")]
    public static partial void ApiRowsSubmitted(this ILogger logger, string caller, int rows, string sheetId, int created);

    [LoggerMessage(EventId = 4353, Level = LogLevel.Information, Message = "{Caller} made API key {KeyId} for {Owner} with {Scope} scope")]
    public static partial void ApiKeyCreated(this ILogger logger, string caller, long keyId, string owner, string scope);

    [LoggerMessage(EventId = 4354, Level = LogLevel.Information, Message = "{Caller} revoked API key {KeyId} (was live: {WasLive})")]
    public static partial void ApiKeyRevoked(this ILogger logger, string caller, long keyId, bool wasLive);

    [LoggerMessage(EventId = 4355, Level = LogLevel.Information, Message = "{Caller} cancelled job {JobId} through the API")]
    public static partial void ApiJobCancelled(this ILogger logger, string caller, Guid jobId);

    [LoggerMessage(EventId = 4356, Level = LogLevel.Information, Message = "{Caller} decided {Verdict} on job {JobId} generation {Generation} through the API: {Outcome}")]
    public static partial void ApiDecision(this ILogger logger, string caller, string verdict, Guid jobId, int generation, string outcome);

    [LoggerMessage(EventId = 4357, Level = LogLevel.Warning, Message = "Rows of {SheetId} from {Caller} could not be queued ({Error}); answered 503")]
    public static partial void ApiQueueUnavailable(this ILogger logger, string caller, string sheetId, string error);
}
