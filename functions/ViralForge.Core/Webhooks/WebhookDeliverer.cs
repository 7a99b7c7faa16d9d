using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Webhooks;

/// <summary>
/// One delivery of a vf-webhooks task: sign the recorded event for the subscription, POST it, log the attempt. A 2xx
/// ends the task; anything else asks the queue to retry with its backoff (<see cref="StageOutcome.RetryLater"/>), until
/// the queue's last attempt or until the subscription has failed for <see cref="WebhookOptions.DisableAfter"/> and is
/// disabled. A task delivered again after a success sends nothing.
/// </summary>
public sealed class WebhookDeliverer(
    IWebhookStore store,
    IWebhookSender sender,
    IOptions<WebhookOptions> webhookOptions,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliverer> log)
{
    public async Task<StageOutcome> DeliverAsync(WebhookDeliveryMessage message, DeliveryInfo delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(delivery);
        var subscription = await store.GetSubscriptionAsync(message.SubscriptionId, cancellationToken);
        if (subscription is null)
        {
            return new StageOutcome.Skipped($"subscription {message.SubscriptionId} was deleted");
        }
        if (!subscription.IsActive)
        {
            return new StageOutcome.Skipped($"subscription {subscription.Id} is disabled: {subscription.DisabledReason}");
        }
        var webhookEvent = await store.GetEventAsync(message.EventId, cancellationToken);
        if (webhookEvent is null)
        {
            return new StageOutcome.Skipped($"event {message.EventId} is not recorded");
        }
        if (await store.WasDeliveredAsync(subscription.Id, webhookEvent.Id, cancellationToken))
        {
            return new StageOutcome.Skipped($"event {webhookEvent.Id} was delivered already");
        }

        var attempt = await store.CountAttemptsAsync(subscription.Id, webhookEvent.Id, cancellationToken) + 1;
        var now = time.GetUtcNow();
        // Each attempt is signed afresh with its own timestamp: receivers refuse old timestamps (replay protection).
        var timestamp = WebhookSigner.Timestamp(now);
        var request = new WebhookRequest(subscription.Url, webhookEvent.Id, timestamp,
            WebhookSigner.Sign(subscription.Secret, webhookEvent.Id, timestamp, webhookEvent.Payload), webhookEvent.Payload);
        var response = await sender.SendAsync(request, cancellationToken);
        var error = response.Succeeded ? null : response.Error ?? $"the receiver answered {response.StatusCode}";
        var after = await store.RecordAttemptAsync(
            new WebhookAttempt(subscription.Id, webhookEvent.Id, webhookEvent.Type, attempt, response.StatusCode, error, response.Succeeded, time.GetUtcNow()),
            webhookOptions.Value.DisableAfter,
            CancellationToken.None);
        log.WebhookAttempted(subscription.Id, webhookEvent.Id, attempt, response.StatusCode, error ?? "ok");

        if (response.Succeeded)
        {
            return new StageOutcome.Completed($"delivered {webhookEvent.Type} {webhookEvent.Id} on attempt {attempt}");
        }
        if (after is null)
        {
            return new StageOutcome.Skipped($"subscription {subscription.Id} was deleted");
        }
        if (!after.IsActive)
        {
            log.WebhookDisabled(subscription.Id, after.DisabledReason ?? "");
            return new StageOutcome.Ended($"subscription disabled: {after.DisabledReason}");
        }
        if (delivery.RetryCount + 1 >= options.Value.Queue.RetryFor(WebhookQueue.Name).MaxAttempts)
        {
            return new StageOutcome.Ended($"gave up on {webhookEvent.Id} after {delivery.RetryCount + 1} attempts: {error}");
        }
        return new StageOutcome.RetryLater(error!);
    }
}
