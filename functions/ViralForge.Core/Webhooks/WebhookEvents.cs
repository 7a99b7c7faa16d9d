using System.Text.Json.Serialization;

namespace ViralForge.Core.Webhooks;

/// <summary>The event types a subscription can ask for; the words are a public contract and never change.</summary>
public static class WebhookEventTypes
{
    /// <summary>Every change of a job's status (queued, trends, ..., published, failed).</summary>
    public const string StatusChanged = "job.status_changed";

    /// <summary>A job waits for a person: the script review or the video review.</summary>
    public const string ReviewRequested = "job.review_requested";

    /// <summary>The video is live on its platforms (a scheduled one when its Publish At comes).</summary>
    public const string Published = "job.published";

    /// <summary>The job failed for good; its compensations ran.</summary>
    public const string Failed = "job.failed";

    public static IReadOnlyList<string> All { get; } = [StatusChanged, ReviewRequested, Published, Failed];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}

/// <summary>
/// The JSON body of every delivery, in the shape Standard Webhooks recommends: the event type, when it happened and the
/// job as it then stood.
/// </summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, WebhookJobData Data);

/// <summary>The job in a webhook payload.</summary>
/// <param name="PublishedUrls">The public URLs, on job.published only.</param>
public sealed record WebhookJobData(
    Guid JobId,
    string SheetId,
    string Topic,
    string Status,
    string? Stage,
    int Generation,
    string? Error,
    IReadOnlyList<string>? PublishedUrls = null);

/// <summary>One event as recorded: its id (the webhook-id header), its type and the exact body every attempt sends.</summary>
public sealed record WebhookEvent(string Id, Guid JobId, string Type, string Payload, DateTimeOffset CreatedAt);

/// <summary>The body of a vf-webhooks task: deliver this event to this subscription.</summary>
public sealed record WebhookDeliveryMessage(string EventId, Guid SubscriptionId);

/// <summary>Source-generated JSON for webhook payloads and delivery tasks (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(WebhookDeliveryMessage))]
public sealed partial class WebhookJson : JsonSerializerContext;
