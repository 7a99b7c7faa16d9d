using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Webhooks;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Webhooks;

/// <summary>The emitter over the real PostgreSQL webhook store, an in-memory job store and queue.</summary>
public sealed class WebhookEmitterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_video_waiting_for_its_reviewer_is_a_status_change_and_a_review_request()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rig = new Rig(db);
        var job = await rig.NewJobAsync();
        await rig.Jobs.ClaimStageAsync(job.Id, StageName.Review, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await rig.Jobs.AwaitApprovalAsync(job.Id, StageName.Review, 1, System.Text.Json.JsonDocument.Parse("{}").RootElement, CancellationToken.None);
        await rig.Jobs.SetStatusAsync(job.Id, JobStatus.AwaitingAt(StageName.Review), StageName.Review, CancellationToken.None);

        var events = await rig.Emitter.EventsForAsync((await rig.Jobs.GetAsync(job.Id, CancellationToken.None))!, CancellationToken.None);

        Assert.Equal([WebhookEventTypes.StatusChanged, WebhookEventTypes.ReviewRequested], events.Select(e => e.Type));
        Assert.Equal(WebhookQueue.EventId(job.Id, 1, WebhookEventTypes.ReviewRequested, "review"), events[1].Id);
        Assert.Contains("\"status\":\"review\"", events[1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_review_stage_while_it_runs_is_only_a_status_change_and_a_script_review_is_a_request()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rig = new Rig(db);
        var running = await rig.NewJobAsync();
        await rig.Jobs.SetStatusAsync(running.Id, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        var script = await rig.NewJobAsync();
        await rig.Jobs.SetStatusAsync(script.Id, JobStatus.ScriptReview, StageName.Script, CancellationToken.None);

        var whileRunning = await rig.Emitter.EventsForAsync((await rig.Jobs.GetAsync(running.Id, CancellationToken.None))!, CancellationToken.None);
        var scriptReview = await rig.Emitter.EventsForAsync((await rig.Jobs.GetAsync(script.Id, CancellationToken.None))!, CancellationToken.None);

        Assert.Equal([WebhookEventTypes.StatusChanged], whileRunning.Select(e => e.Type));
        Assert.Equal([WebhookEventTypes.StatusChanged, WebhookEventTypes.ReviewRequested], scriptReview.Select(e => e.Type));
        Assert.Equal(WebhookQueue.EventId(script.Id, 1, WebhookEventTypes.ReviewRequested, "script"), scriptReview[1].Id);
    }

    [Fact]
    public async Task A_failed_job_queues_one_task_per_subscription_that_wants_it_and_seeing_it_again_queues_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rig = new Rig(db);
        var failures = await rig.SubscribeAsync(WebhookEventTypes.Failed);
        var everything = await rig.SubscribeAsync([.. WebhookEventTypes.All]);
        // Wants only job.published: gets none of these.
        await rig.SubscribeAsync(WebhookEventTypes.Published);
        var job = await rig.NewJobAsync();
        await rig.Jobs.FinishAsync(job.Id, JobStatus.Failed, "voice: espeak-ng crashed", CancellationToken.None);
        job = (await rig.Jobs.GetAsync(job.Id, CancellationToken.None))!;

        await rig.Emitter.JobChangedAsync(job, CancellationToken.None);
        var calls = rig.Queue.Calls;
        await rig.Emitter.JobChangedAsync(job, CancellationToken.None);

        var failed = WebhookQueue.EventId(job.Id, 1, WebhookEventTypes.Failed, JobStatus.Failed);
        var changed = WebhookQueue.EventId(job.Id, 1, WebhookEventTypes.StatusChanged, JobStatus.Failed);
        Assert.Equal(
            new[] { (changed, everything.Id), (failed, failures.Id), (failed, everything.Id) }.Select(p => WebhookQueue.TaskName(p.Item1, p.Item2)).Order(),
            rig.Queue.Tasks.Select(t => t.Name).Order());
        Assert.All(rig.Queue.Tasks, t => Assert.Equal((WebhookQueue.Name, WebhookQueue.DeliverPath), (t.Queue, t.Path)));
        Assert.Equal(calls, rig.Queue.Calls);
        var payload = (await rig.Store.GetEventAsync(failed, CancellationToken.None))!.Payload;
        Assert.Contains("\"error\":\"voice: espeak-ng crashed\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_the_queue_could_not_take_is_queued_at_the_jobs_next_change()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rig = new Rig(db);
        var subscription = await rig.SubscribeAsync(WebhookEventTypes.StatusChanged);
        var job = await rig.NewJobAsync();
        rig.Queue.Failure = new TaskQueueUnavailableException(WebhookQueue.Name, "503 from Cloud Tasks");

        await rig.Emitter.JobChangedAsync(job, CancellationToken.None);
        var undispatched = await rig.Store.ListUndispatchedAsync(job.Id, CancellationToken.None);
        rig.Queue.Failure = null;
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await rig.Jobs.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Trends), StageName.Trends, CancellationToken.None);
        await rig.Emitter.JobChangedAsync((await rig.Jobs.GetAsync(job.Id, CancellationToken.None))!, CancellationToken.None);

        Assert.Single(undispatched);
        // The older event first.
        Assert.Equal(
            new[] { JobStatus.Queued, "trends" }.Select(s => WebhookQueue.TaskName(WebhookQueue.EventId(job.Id, 1, WebhookEventTypes.StatusChanged, s), subscription.Id)),
            rig.Queue.Tasks.Select(t => t.Name));
        Assert.Empty(await rig.Store.ListUndispatchedAsync(job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Nothing_is_recorded_while_nobody_subscribes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rig = new Rig(db);
        var job = await rig.NewJobAsync();

        await rig.Emitter.JobChangedAsync(job, CancellationToken.None);

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM webhook_events"));
        Assert.Equal(0, rig.Queue.Calls);
    }

    private sealed class Rig(TestDatabase db)
    {
        public FakeTimeProvider Time { get; } = new(Start);

        public InMemoryJobStore Jobs { get; } = new(new FakeTimeProvider(Start));

        public InMemoryTaskQueue Queue { get; } = new();

        public PostgresWebhooks Store { get; } = new(db.DataSource);

        public WebhookEmitter Emitter => new(Store, Jobs, Queue, Time, NullLogger<WebhookEmitter>.Instance);

        public async Task<Job> NewJobAsync()
        {
            var request = new VideoRequest("Why cats sleep so much", Platforms.YouTube, 10, "energetic", "en", "en", null, [], "");
            return (await Jobs.SubmitAsync("sheet.csv", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        }

        public async Task<WebhookSubscription> SubscribeAsync(params string[] events)
        {
            var subscription = new WebhookSubscription(Guid.NewGuid(), new Uri("https://hooks.example.com/x"), events, WebhookSigner.NewSecret(), Time.GetUtcNow());
            await Store.AddSubscriptionAsync(subscription, CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
            return subscription;
        }
    }
}
