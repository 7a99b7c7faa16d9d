using Microsoft.Extensions.Logging;

namespace ViralForge.Core.Webhooks;

/// <summary>The core's webhook log messages: 1700-1719.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Could not queue the {Type} webhooks of job {JobId}; the job's next change queues them: {Reason}")]
    public static partial void WebhookNotQueued(this ILogger logger, Guid jobId, string type, string reason);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Webhook {EventId} to subscription {SubscriptionId}, attempt {Attempt}: {Status} {Result}")]
    public static partial void WebhookAttempted(this ILogger logger, Guid subscriptionId, string eventId, int attempt, int? status, string result);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} is disabled: {Reason}")]
    public static partial void WebhookDisabled(this ILogger logger, Guid subscriptionId, string reason);
}
