using System.Text.Json;
using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Webhooks;

/// <summary>
/// Turns a job's state into webhook events and queues one delivery task per matching subscription. Each event is recorded
/// once under an id derived from what happened (<see cref="WebhookQueue.EventId"/>), and each task is named from (event,
/// subscription), so seeing the same state again (a redelivered stage, a progress sync) sends nothing twice. An event whose
/// tasks could not all be queued stays undispatched and is queued again at the job's next change.
/// </summary>
public sealed class WebhookEmitter(IWebhookStore webhooks, IJobStore jobs, ITaskQueue queue, TimeProvider time, ILogger<WebhookEmitter> log) : IWebhookEvents
{
    public async Task JobChangedAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var subscriptions = (await webhooks.ListSubscriptionsAsync(cancellationToken)).Where(s => s.IsActive).ToList();
        if (subscriptions.Count == 0)
        {
            // Nobody listens: an event recorded now would go to a subscription made later, which did not ask for the past.
            return;
        }
        foreach (var webhookEvent in await EventsForAsync(job, cancellationToken))
        {
            await webhooks.RecordEventAsync(webhookEvent, cancellationToken);
        }
        foreach (var pending in await webhooks.ListUndispatchedAsync(job.Id, cancellationToken))
        {
            try
            {
                foreach (var subscription in subscriptions.Where(s => s.Wants(pending.Type)))
                {
                    var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookDeliveryMessage(pending.Id, subscription.Id), WebhookJson.Default.WebhookDeliveryMessage);
                    await queue.EnqueueAsync(new QueueTask(WebhookQueue.Name, WebhookQueue.TaskName(pending.Id, subscription.Id), WebhookQueue.DeliverPath, body), cancellationToken);
                }
            }
            catch (TaskQueueUnavailableException ex)
            {
                // The job's work stands; the event stays undispatched and the next change of this job queues it again.
                log.WebhookNotQueued(job.Id, pending.Type, ex.Message);
                return;
            }
            await webhooks.MarkDispatchedAsync(pending.Id, time.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>The events the job's present state stands for: always its status, and what the status means besides.</summary>
    public async Task<IReadOnlyList<WebhookEvent>> EventsForAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var events = new List<WebhookEvent> { Event(job, WebhookEventTypes.StatusChanged, job.Status, null) };
        if (job.Status == JobStatus.ScriptReview || await ReviewAwaitsAsync(job, cancellationToken))
        {
            events.Add(Event(job, WebhookEventTypes.ReviewRequested, job.Stage?.Wire() ?? job.Status, null));
        }
        else if (job.Status == JobStatus.Published)
        {
            var publish = await jobs.GetLatestCompletedAsync(job.Id, StageName.Publish, job.Generation, cancellationToken);
            var urls = publish?.Output is { } output ? StageJson.FromElement<PublishOutput>(output).Videos.Select(v => v.Url).ToList() : [];
            events.Add(Event(job, WebhookEventTypes.Published, job.Status, urls));
        }
        else if (job.Status == JobStatus.Failed)
        {
            events.Add(Event(job, WebhookEventTypes.Failed, job.Status, null));
        }
        return events;
    }

    private async Task<bool> ReviewAwaitsAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.IsTerminal || job.Stage is not { } stage || job.Status != JobStatus.AwaitingAt(stage))
        {
            return false;
        }
        var runs = await jobs.ListStageRunsAsync(job.Id, cancellationToken);
        return runs.Any(r => r.Stage == stage && r.Generation == job.Generation && r.Status == StageRunStatus.AwaitingApproval);
    }

    private WebhookEvent Event(Job job, string type, string what, IReadOnlyList<string>? publishedUrls)
    {
        var now = time.GetUtcNow();
        var data = new WebhookJobData(job.Id, job.SheetId, job.Request.Topic, job.Status, job.Stage?.Wire(), job.Generation, job.Error, publishedUrls);
        var payload = JsonSerializer.Serialize(new WebhookPayload(type, now, data), WebhookJson.Default.WebhookPayload);
        return new WebhookEvent(WebhookQueue.EventId(job.Id, job.Generation, type, what), job.Id, type, payload, now);
    }
}
