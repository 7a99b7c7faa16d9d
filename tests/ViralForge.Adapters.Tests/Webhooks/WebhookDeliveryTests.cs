using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Core.Webhooks;
using ViralForge.Testing;
using ViralForge.Testing.Webhooks;

namespace ViralForge.Adapters.Tests.Webhooks;

/// <summary>The core's deliverer over the real PostgreSQL store and the guarded HTTP sender, against a WireMock receiver.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_subscription_failing_for_a_whole_day_is_disabled_with_its_reason_and_sends_nothing_more()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(500).WithBody("down"));
        await using var db = await TestDatabase.CreateAsync();
        await using var rig = await Rig.CreateAsync(db, receiver);

        var first = await rig.DeliverAsync(await rig.EventAsync("queued"), retry: 0);
        rig.Time.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        var second = await rig.DeliverAsync(await rig.EventAsync("trends"), retry: 0);
        var beforeTheDay = await rig.Store.GetSubscriptionAsync(rig.Subscription.Id, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var third = await rig.DeliverAsync(await rig.EventAsync("analysis"), retry: 0);
        var after = await rig.Store.GetSubscriptionAsync(rig.Subscription.Id, CancellationToken.None);
        var fourth = await rig.DeliverAsync(await rig.EventAsync("script"), retry: 0);

        Assert.IsType<StageOutcome.RetryLater>(first);
        Assert.Equal("the receiver answered 500", first.Detail);
        Assert.IsType<StageOutcome.RetryLater>(second);
        Assert.True(beforeTheDay!.IsActive);
        Assert.Equal(Start, beforeTheDay.FirstFailureAt);
        Assert.IsType<StageOutcome.Ended>(third);
        Assert.False(after!.IsActive);
        Assert.Equal(Start.AddDays(1), after.DisabledAt);
        Assert.Equal("every delivery failed since 2026-12-07 09:00 UTC; the last: the receiver answered 500", after.DisabledReason);
        Assert.IsType<StageOutcome.Skipped>(fourth);
        Assert.Contains("disabled", fourth.Detail, StringComparison.Ordinal);
        Assert.Equal(3, receiver.LogEntries.Count());
        var log = await rig.Store.ListDeliveriesAsync(rig.Subscription.Id, 10, CancellationToken.None);
        Assert.Equal([500, 500, 500], log.Select(a => a.StatusCode));
        Assert.All(log, a => Assert.False(a.Succeeded));
    }

    [Fact]
    public async Task A_success_ends_the_run_of_failures_so_a_later_failure_starts_a_new_day()
    {
        using var receiver = WireMockServer.Start();
        await using var db = await TestDatabase.CreateAsync();
        await using var rig = await Rig.CreateAsync(db, receiver);

        Answer(receiver, 503);
        await rig.DeliverAsync(await rig.EventAsync("queued"), retry: 0);
        rig.Time.Advance(TimeSpan.FromHours(23));
        Answer(receiver, 200);
        var ok = await rig.DeliverAsync(await rig.EventAsync("trends"), retry: 0);
        var cleared = await rig.Store.GetSubscriptionAsync(rig.Subscription.Id, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromHours(2));
        Answer(receiver, 503);
        var failed = await rig.DeliverAsync(await rig.EventAsync("analysis"), retry: 0);
        var after = await rig.Store.GetSubscriptionAsync(rig.Subscription.Id, CancellationToken.None);

        Assert.IsType<StageOutcome.Completed>(ok);
        Assert.Null(cleared!.FirstFailureAt);
        Assert.IsType<StageOutcome.RetryLater>(failed);
        Assert.True(after!.IsActive);
        Assert.Equal(Start.AddHours(25), after.FirstFailureAt);
    }

    [Fact]
    public async Task A_delivery_task_that_comes_back_after_a_success_sends_nothing()
    {
        using var receiver = WireMockServer.Start();
        Answer(receiver, 200);
        await using var db = await TestDatabase.CreateAsync();
        await using var rig = await Rig.CreateAsync(db, receiver);
        var webhookEvent = await rig.EventAsync("render");

        var first = await rig.DeliverAsync(webhookEvent, retry: 0);
        var again = await rig.DeliverAsync(webhookEvent, retry: 1);

        Assert.IsType<StageOutcome.Completed>(first);
        Assert.IsType<StageOutcome.Skipped>(again);
        var entry = Assert.Single(receiver.LogEntries);
        // What arrived verifies with the independent Standard Webhooks check, under the subscription's secret.
        Assert.Null(StandardWebhooksVerifier.Verify(rig.Subscription.Secret, WebhookAddressGuardTests.Header(entry, "webhook-id"),
            WebhookAddressGuardTests.Header(entry, "webhook-timestamp"), WebhookAddressGuardTests.Header(entry, "webhook-signature"), entry.RequestMessage.Body!, rig.Time.GetUtcNow()));
        Assert.Equal(webhookEvent.Id, WebhookAddressGuardTests.Header(entry, "webhook-id"));
        Assert.Equal(webhookEvent.Payload, entry.RequestMessage.Body);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_is_retried_and_the_timeout_logged()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)));
        await using var db = await TestDatabase.CreateAsync();
        await using var rig = await Rig.CreateAsync(db, receiver, timeout: TimeSpan.FromMilliseconds(300));

        var outcome = await rig.DeliverAsync(await rig.EventAsync("voice"), retry: 0);

        Assert.IsType<StageOutcome.RetryLater>(outcome);
        var attempt = Assert.Single(await rig.Store.ListDeliveriesAsync(rig.Subscription.Id, 10, CancellationToken.None));
        Assert.Null(attempt.StatusCode);
        Assert.Equal("no answer within 0.3 s", attempt.Error);
    }

    [Fact]
    public async Task The_queues_last_attempt_ends_the_task_without_disabling_the_subscription()
    {
        using var receiver = WireMockServer.Start();
        Answer(receiver, 502);
        await using var db = await TestDatabase.CreateAsync();
        await using var rig = await Rig.CreateAsync(db, receiver);
        var last = new ViralForgeOptions().Queue.RetryFor(WebhookQueue.Name).MaxAttempts - 1;

        var outcome = await rig.DeliverAsync(await rig.EventAsync("publishing"), retry: last);

        Assert.IsType<StageOutcome.Ended>(outcome);
        Assert.StartsWith("gave up", outcome.Detail, StringComparison.Ordinal);
        Assert.True((await rig.Store.GetSubscriptionAsync(rig.Subscription.Id, CancellationToken.None))!.IsActive);
    }

    private static void Answer(WireMockServer receiver, int status)
    {
        receiver.ResetMappings();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(status));
    }

    /// <summary>A subscription to the receiver, the store, the guarded sender and the deliverer on a fake clock.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly ServiceProvider services;
        private readonly Guid jobId = Guid.NewGuid();

        private Rig(ServiceProvider services, PostgresWebhooks store, WebhookSubscription subscription, WebhookDeliverer deliverer, FakeTimeProvider time)
        {
            this.services = services;
            Store = store;
            Subscription = subscription;
            Deliverer = deliverer;
            Time = time;
        }

        public PostgresWebhooks Store { get; }

        public WebhookSubscription Subscription { get; }

        public WebhookDeliverer Deliverer { get; }

        public FakeTimeProvider Time { get; }

        public static async Task<Rig> CreateAsync(TestDatabase db, WireMockServer receiver, TimeSpan? timeout = null)
        {
            var time = new FakeTimeProvider(Start);
            var services = WebhookTestServices.Build(new ScriptedResolver(["127.0.0.1"]), allowPrivateNetworks: true, timeout);
            var store = new PostgresWebhooks(db.DataSource);
            var subscription = new WebhookSubscription(Guid.NewGuid(), new Uri($"http://receiver.example.test:{receiver.Port}/hook"), WebhookEventTypes.All, WebhookSigner.NewSecret(), Start);
            await store.AddSubscriptionAsync(subscription, CancellationToken.None);
            var deliverer = new WebhookDeliverer(store, services.GetRequiredService<IWebhookSender>(), services.GetRequiredService<IOptions<WebhookOptions>>(),
                Options.Create(new ViralForgeOptions()), time, NullLogger<WebhookDeliverer>.Instance);
            return new Rig(services, store, subscription, deliverer, time);
        }

        public async Task<WebhookEvent> EventAsync(string status)
        {
            var id = WebhookQueue.EventId(jobId, 1, WebhookEventTypes.StatusChanged, status);
            var webhookEvent = new WebhookEvent(id, jobId, WebhookEventTypes.StatusChanged, "{\"type\":\"job.status_changed\",\"data\":{\"status\":\"" + status + "\"}}", Time.GetUtcNow());
            await Store.RecordEventAsync(webhookEvent, CancellationToken.None);
            return webhookEvent;
        }

        public Task<StageOutcome> DeliverAsync(WebhookEvent webhookEvent, int retry) =>
            Deliverer.DeliverAsync(new WebhookDeliveryMessage(webhookEvent.Id, Subscription.Id), new DeliveryInfo(WebhookQueue.Name, "task", retry, retry + 1), CancellationToken.None);

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
