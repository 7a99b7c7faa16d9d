using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Core.Webhooks;

/// <summary>The queue webhook deliveries go through, its endpoint, its task names and its retry schedule.</summary>
public static class WebhookQueue
{
    public const string Name = "vf-webhooks";

    public const string DeliverPath = "/webhooks/deliver";

    /// <summary>
    /// Retries back off from 10 s, doubling 9 times, then every hour: 33 attempts span about a day (24.4 h), as long as a
    /// subscription may fail before it is disabled, so a receiver that is down for hours still gets every event.
    /// </summary>
    public static QueueRetryOptions DefaultRetry() => new()
    {
        MaxAttempts = 33,
        MinBackoff = TimeSpan.FromSeconds(10),
        MaxBackoff = TimeSpan.FromHours(1),
        MaxDoublings = 9,
    };

    /// <summary>
    /// The delivery task's name: a hash of (event, subscription). The event id is itself derived from what happened to the
    /// job, so a redelivered stage that emits the event again queues nothing new.
    /// </summary>
    public static string TaskName(string eventId, Guid subscriptionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"webhook/{eventId}/{subscriptionId:N}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }

    /// <summary>
    /// The event id (webhook-id): "msg_" + a hash of the job, its generation, the event type and what it reports (the status,
    /// or the stage waiting). The same change seen twice gives the same id; a new generation's review gives a new one.
    /// </summary>
    public static string EventId(Guid jobId, int generation, string type, string what)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId:N}/{generation}/{type}/{what}"));
        return "msg_" + Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }
}
