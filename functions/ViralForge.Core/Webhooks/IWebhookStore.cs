using ViralForge.Core.Jobs;

namespace ViralForge.Core.Webhooks;

/// <summary>A webhook subscription. <see cref="Secret"/> signs its deliveries and is shown to the subscriber only once.</summary>
/// <param name="FirstFailureAt">When the current run of failed deliveries began; null after a success.</param>
public sealed record WebhookSubscription(
    Guid Id,
    Uri Url,
    IReadOnlyList<string> Events,
    string Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt = null,
    string? DisabledReason = null,
    DateTimeOffset? FirstFailureAt = null)
{
    public bool IsActive => DisabledAt is null;

    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>One attempt to deliver one event to one subscription, as the delivery log keeps it.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when none came (timeout, refused address, no connection).</param>
public sealed record WebhookAttempt(
    Guid SubscriptionId,
    string EventId,
    string EventType,
    int Attempt,
    int? StatusCode,
    string? Error,
    bool Succeeded,
    DateTimeOffset At);

/// <summary>Subscriptions, recorded events and the delivery log: PostgreSQL in every profile.</summary>
public interface IWebhookStore
{
    Task AddSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken);

    Task<WebhookSubscription?> GetSubscriptionAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every subscription, disabled ones included (the dashboard shows why), oldest first.</summary>
    Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the subscription and its delivery log; false when there was none.</summary>
    Task<bool> DeleteSubscriptionAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Records the event once (INSERT ... ON CONFLICT DO NOTHING on its id); false when it was recorded before.</summary>
    Task<bool> RecordEventAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken);

    Task<WebhookEvent?> GetEventAsync(string id, CancellationToken cancellationToken);

    /// <summary>The job's events whose delivery tasks are not all queued yet, oldest first.</summary>
    Task<IReadOnlyList<WebhookEvent>> ListUndispatchedAsync(Guid jobId, CancellationToken cancellationToken);

    Task MarkDispatchedAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Whether an attempt already delivered this event to this subscription (a redelivered task then sends nothing).</summary>
    Task<bool> WasDeliveredAsync(Guid subscriptionId, string eventId, CancellationToken cancellationToken);

    /// <summary>How many attempts of this event to this subscription the log holds.</summary>
    Task<int> CountAttemptsAsync(Guid subscriptionId, string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Logs the attempt and updates the subscription in one transaction: a success clears its run of failures; a failure
    /// starts one, or, when the run began <paramref name="disableAfter"/> or longer before the attempt, disables the
    /// subscription with a reason. Returns the subscription after, or null when it was deleted meanwhile.
    /// </summary>
    Task<WebhookSubscription?> RecordAttemptAsync(WebhookAttempt attempt, TimeSpan disableAfter, CancellationToken cancellationToken);

    /// <summary>The subscription's delivery log, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookAttempt>> ListDeliveriesAsync(Guid subscriptionId, int limit, CancellationToken cancellationToken);
}

/// <summary>Called wherever a job's status becomes visible (the row's sync): queues the webhooks the change calls for.</summary>
public interface IWebhookEvents
{
    Task JobChangedAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>One signed delivery, ready to POST.</summary>
public sealed record WebhookRequest(Uri Url, string Id, long Timestamp, string Signature, string Body);

/// <summary>What the receiver answered, or why nothing came back.</summary>
public sealed record WebhookResponse(int? StatusCode, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>POSTs a signed delivery; never throws for what the receiver or the network did, it answers a <see cref="WebhookResponse"/>.</summary>
public interface IWebhookSender
{
    Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}
