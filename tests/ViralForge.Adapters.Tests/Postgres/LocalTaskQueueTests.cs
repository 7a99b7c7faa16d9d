using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

public sealed class LocalTaskQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_named_task_enqueued_twice_is_delivered_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var harness = await QueueHarness.StartAsync(db, _ => 200);

        var first = await harness.EnqueueAsync("same-name");
        var second = await harness.EnqueueAsync("same-name");
        await harness.WaitForAsync(() => !harness.Deliveries.IsEmpty, Patience);
        // and once more after it ran: the name stays taken, as on Cloud Tasks
        await Task.Delay(300);
        var third = await harness.EnqueueAsync("same-name");
        await Task.Delay(500);

        Assert.Equal(EnqueueResult.Created, first);
        Assert.Equal(EnqueueResult.AlreadyExists, second);
        Assert.Equal(EnqueueResult.AlreadyExists, third);
        Assert.Single(harness.Deliveries);
    }

    [Fact]
    public async Task Delivery_carries_the_cloud_tasks_headers_and_the_token()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var harness = await QueueHarness.StartAsync(db, _ => 200);

        await harness.EnqueueAsync("headers");
        await harness.WaitForAsync(() => !harness.Deliveries.IsEmpty, Patience);

        var delivery = Assert.Single(harness.Deliveries);
        Assert.Equal("headers", delivery.TaskName);
        Assert.Equal("q-test", delivery.Queue);
        Assert.Equal(0, delivery.RetryCount);
        Assert.Equal(0, delivery.ExecutionCount);
        Assert.Equal($"Bearer {QueueHarness.Token}", delivery.Authorization);
        var eta = double.Parse(delivery.Eta!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(eta, delivery.At.AddSeconds(-30).ToUnixTimeSeconds(), delivery.At.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Failures_are_retried_with_exponential_backoff_until_success()
    {
        await using var db = await TestDatabase.CreateAsync();
        // 500, then 429 (an execution: it answered), then 200
        await using var harness = await QueueHarness.StartAsync(db, d => d.RetryCount switch { 0 => 500, 1 => 429, _ => 200 });

        await harness.EnqueueAsync("flaky");
        await harness.WaitForAsync(() => harness.Deliveries.Count >= 3, Patience);
        await Task.Delay(800);

        var deliveries = harness.Deliveries.ToArray();
        Assert.Equal(3, deliveries.Length);
        Assert.Equal([0, 1, 2], deliveries.Select(d => d.RetryCount));
        // 5xx answers do not count as executions; 4xx do
        Assert.Equal([0, 0, 1], deliveries.Select(d => d.ExecutionCount));
        var firstGap = deliveries[1].At - deliveries[0].At;
        var secondGap = deliveries[2].At - deliveries[1].At;
        Assert.True(firstGap >= TimeSpan.FromMilliseconds(180), $"first retry after {firstGap.TotalMilliseconds} ms, expected >= 200 ms");
        Assert.True(secondGap >= TimeSpan.FromMilliseconds(380), $"second retry after {secondGap.TotalMilliseconds} ms, expected >= 400 ms (doubled)");
        Assert.Equal("succeeded", await StateOf(db, "flaky"));
    }

    [Fact]
    public async Task A_task_that_keeps_failing_stops_at_max_attempts()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var harness = await QueueHarness.StartAsync(db, _ => 503, q => q.MinBackoff = TimeSpan.FromMilliseconds(50));

        await harness.EnqueueAsync("doomed");
        await harness.WaitForAsync(() => harness.Deliveries.Count >= 4, Patience);
        await Task.Delay(1500);

        Assert.Equal(4, harness.Deliveries.Count);
        Assert.Equal("dead", await StateOf(db, "doomed"));
    }

    [Fact]
    public async Task A_scheduled_task_waits_for_its_time()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var harness = await QueueHarness.StartAsync(db, _ => 200);
        var due = TimeProvider.System.GetUtcNow().AddSeconds(1.5);

        await harness.EnqueueAsync("later", due);
        await harness.WaitForAsync(() => !harness.Deliveries.IsEmpty, Patience);

        Assert.True(Assert.Single(harness.Deliveries).At >= due.AddMilliseconds(-50));
    }

    [Fact]
    public async Task A_task_whose_worker_died_is_delivered_again_when_its_lease_expires()
    {
        await using var db = await TestDatabase.CreateAsync();
        // A worker claims the task and dies: it holds a lease that nobody renews.
        var queue = new PostgresTaskQueue(db.DataSource, TimeProvider.System);
        await queue.EnqueueAsync(new QueueTask("q-test", "orphan", "/work", "{}"u8.ToArray()), CancellationToken.None);
        await using (var claim = db.DataSource.CreateCommand("""
            UPDATE tasks SET state = 'leased', dispatch_count = 1, leased_by = gen_random_uuid(), lease_until = now() + interval '1 second'
            WHERE name = 'orphan'
            """))
        {
            Assert.Equal(1, await claim.ExecuteNonQueryAsync());
        }
        var diedAt = TimeProvider.System.GetUtcNow();

        await using var harness = await QueueHarness.StartAsync(db, _ => 200);
        await harness.WaitForAsync(() => !harness.Deliveries.IsEmpty, Patience);

        var delivery = Assert.Single(harness.Deliveries);
        Assert.Equal(1, delivery.RetryCount); // the dead worker's attempt counts
        Assert.True(delivery.At >= diedAt.AddMilliseconds(900), "delivered before the dead worker's lease ran out");
    }

    [Fact]
    public async Task A_slow_attempt_keeps_its_task_by_renewing_the_lease()
    {
        await using var db = await TestDatabase.CreateAsync();
        // The lease is 2 s; the handler takes 5 s. Without renewal a second delivery would start.
        // (2 s rather than less: renewals run every lease/3 and a loaded 2-core CI machine can be late.)
        await using var harness = await QueueHarness.StartAsync(db, _ => 200, q => q.Lease = TimeSpan.FromSeconds(2), handlerTakes: TimeSpan.FromSeconds(5));

        await harness.EnqueueAsync("slow");
        await harness.WaitForAsync(() => !harness.Deliveries.IsEmpty, Patience);
        await Task.Delay(6000);

        Assert.Single(harness.Deliveries);
        Assert.Equal("succeeded", await StateOf(db, "slow"));
    }

    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    [InlineData(5, 3200)]  // doubled 4 times (maxDoublings) ...
    [InlineData(6, 6400)]  // ... then linear by the last doubled interval
    [InlineData(7, 9600)]
    [InlineData(20, 30000)] // capped at MaxBackoff
    public void Backoff_doubles_then_grows_linearly_then_caps(int retry, int expectedMs)
    {
        var retryOptions = new QueueRetryOptions
        {
            MinBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromSeconds(30),
            MaxDoublings = 4,
        };
        Assert.Equal(expectedMs, retryOptions.BackoffBefore(retry).TotalMilliseconds, precision: 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    public async Task Names_cloud_tasks_would_refuse_are_refused_here_too(string name)
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new PostgresTaskQueue(db.DataSource, TimeProvider.System);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            queue.EnqueueAsync(new QueueTask("q", name, "/x", []), CancellationToken.None));
    }

    private static async Task<string> StateOf(TestDatabase db, string name)
    {
        await using var command = db.DataSource.CreateCommand("SELECT state FROM tasks WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
