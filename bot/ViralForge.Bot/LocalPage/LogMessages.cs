namespace ViralForge.Bot.LocalPage;

/// <summary>The local review page's log messages (5300-5399).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Review page: {Reviewer} chose {Verdict} for job {JobId} generation {Generation}: {Outcome}")]
    public static partial void PageDecision(this ILogger logger, string reviewer, string verdict, Guid jobId, int generation, string outcome);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Review page refused a request for {Path}: {Reason}")]
    public static partial void PageRefused(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Review page: {Reviewer} checked the script of job {JobId} generation {Generation}: {Outcome}")]
    public static partial void ScriptChecked(this ILogger logger, string reviewer, Guid jobId, int generation, string outcome);
}
