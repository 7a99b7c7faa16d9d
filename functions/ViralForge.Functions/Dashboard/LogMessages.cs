namespace ViralForge.Functions.Dashboard;

/// <summary>The dashboard's log messages, source-generated. Emails and job ids only, never tokens.</summary>
internal static partial class DashboardLog
{
    // The admin dashboard: 4300-4399.
    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "The dashboard is served at / ({Mode} access)")]
    public static partial void DashboardOn(this ILogger logger, string mode);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "The dashboard is off (404): Dashboard:Auth is google and Dashboard:OAuthClientId is not set")]
    public static partial void DashboardOff(this ILogger logger);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Dashboard request to {Path} refused ({Status}): {Reason}")]
    public static partial void Refused(this ILogger logger, string path, int status, string reason);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "{Viewer} asked to {Action} job {JobId}: {Outcome}")]
    public static partial void ActionTaken(this ILogger logger, string viewer, string action, Guid jobId, string outcome);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Information, Message = "{Viewer} {Change} webhook subscription {SubscriptionId} ({Url})")]
    public static partial void WebhookChanged(this ILogger logger, string viewer, string change, Guid subscriptionId, string url);
}
