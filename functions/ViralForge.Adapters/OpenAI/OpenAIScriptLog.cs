using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Log messages of the OpenAI script writer and moderator (event ids 3500-3519; 3520-3549 are left for OpenAI voices),
/// source-generated. The API key is never an argument of any of them.
/// </summary>
internal static partial class OpenAIScriptLog
{
    [LoggerMessage(EventId = 3500, Level = LogLevel.Warning, Message = "OpenAI {Call} failed ({Reason}); retry {Attempt} of {MaxRetries} in {DelaySeconds:0.###} s")]
    public static partial void Retrying(this ILogger logger, string call, int attempt, int maxRetries, string reason, double delaySeconds);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "OpenAI {Call} failed for good: {Reason}")]
    public static partial void CallFailedPermanently(this ILogger logger, string call, string reason);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Reusing the recorded OpenAI {Call} of job {JobId} generation {Generation}: nothing paid again")]
    public static partial void ReusedPaidCall(this ILogger logger, string call, Guid jobId, int generation);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Information, Message = "OpenAI {Call} on {Model}: {InputTokens} tokens in ({CachedTokens} cached), {OutputTokens} out, {Usd} USD at prices of {PricesOf}")]
    public static partial void ChatCallCosted(this ILogger logger, string call, string model, int inputTokens, int cachedTokens, int outputTokens, decimal usd, DateOnly pricesOf);

    [LoggerMessage(EventId = 3504, Level = LogLevel.Information, Message = "The script for job {JobId} broke {Count} rules ({Errors}); asking the model once to repair it")]
    public static partial void Repairing(this ILogger logger, Guid? jobId, int count, string errors);

    [LoggerMessage(EventId = 3505, Level = LogLevel.Information, Message = "Moderation of job {JobId}: flagged={Flagged} {Categories}")]
    public static partial void Moderated(this ILogger logger, Guid? jobId, bool flagged, string categories);
}
