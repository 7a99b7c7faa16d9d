using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Log messages of the OpenAI trend insight writer (event ids 3550-3559), source-generated; it also logs through
/// <see cref="OpenAIScriptLog"/>'s paid-call messages. The API key is never an argument.
/// </summary>
internal static partial class OpenAIInsightLog
{
    [LoggerMessage(EventId = 3550, Level = LogLevel.Warning, Message = "The OpenAI trend insight for job {JobId} is unusable: {Reason}")]
    public static partial void InsightUnusable(this ILogger logger, Guid? jobId, string reason);

    [LoggerMessage(EventId = 3551, Level = LogLevel.Information, Message = "OpenAI trend insight for job {JobId}: {CommonCount} common traits, {HookCount} hook lines in {Language}")]
    public static partial void InsightWritten(this ILogger logger, Guid? jobId, int commonCount, int hookCount, string language);
}
