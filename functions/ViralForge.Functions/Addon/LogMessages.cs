namespace ViralForge.Functions.Addon;

/// <summary>The add-on backend's log messages, source-generated. Emails and counts only, never tokens or keys.</summary>
internal static partial class AddonLog
{
    // The Sheets add-on: 4100-4199.
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "The Sheets add-on's endpoints are on for OAuth client {ClientId} ({Emails} allowed emails, {Domains} allowed domains)")]
    public static partial void AddonOn(this ILogger logger, string clientId, int emails, int domains);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "The Sheets add-on's endpoints are off (404): Addon:OAuthClientId is not set")]
    public static partial void AddonOff(this ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Rate limit: {Caller} refused on {Path} for {Seconds} s")]
    public static partial void RateLimited(this ILogger logger, string caller, string path, int seconds);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "{Caller} submitted {Rows} rows of {SheetId}: {Created} new jobs, {Invalid} invalid")]
    public static partial void RowsSubmitted(this ILogger logger, string caller, int rows, string sheetId, int created, int invalid);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Issued a new API key for {Caller}; their previous key, if any, is revoked")]
    public static partial void KeyIssued(this ILogger logger, string caller);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Revoked the API key of {Caller} (had one: {HadKey})")]
    public static partial void KeyRevoked(this ILogger logger, string caller, bool hadKey);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Rows of {SheetId} from {Caller} could not be queued ({Error}); answered 503")]
    public static partial void QueueUnavailable(this ILogger logger, string caller, string sheetId, string error);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Information, Message = "{Caller} checked the script of job {JobId} generation {Generation}: {Outcome}")]
    public static partial void ScriptChecked(this ILogger logger, string caller, Guid jobId, int generation, string outcome);
}
