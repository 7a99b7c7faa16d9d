using System.Collections.Concurrent;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

/// <summary>Each queue's rateLimits hold over every dispatcher sharing the table, and each task's own deadline is honoured.</summary>
public sealed class LocalTaskQueueLimitsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_queues_concurrency_holds_across_two_dispatchers_sharing_the_table()
    {
        await using var db = await TestDatabase.CreateAsync();
        var ends = new ConcurrentDictionary<string, DateTimeOffset>();
        int Finish(Delivery d)
        {
            ends[d.TaskName] = TimeProvider.System.GetUtcNow();
            return 200;
        }
        // Each process may run 2 attempts, the queue 3 in all: only the database's count keeps the two processes to 3,
        // and reaching 3 takes both of them.
        void Limits(QueueOptions q)
        {
            // A lease long enough that a heartbeat delayed on a loaded machine does not let the other dispatcher take a
            // running task again (that redelivery is the lease working, not the limit failing, and would count 13).
            q.Lease = TimeSpan.FromSeconds(10);
            q.MaxConcurrentDispatches = 2;
            q.Queues["vf-render"] = new QueueRetryOptions { MaxConcurrentDispatches = 3, MaxDispatchesPerSecond = 100 };
        }
        await using var one = await QueueHarness.StartAsync(db, Finish, Limits, handlerTakes: TimeSpan.FromMilliseconds(700));
        await using var two = await QueueHarness.StartAsync(db, Finish, Limits, handlerTakes: TimeSpan.FromMilliseconds(700));

        for (var i = 0; i < 12; i++)
        {
            await one.Queue.EnqueueAsync(new QueueTask("vf-render", $"render-{i}", "/work", "{}"u8.ToArray()), CancellationToken.None);
        }
        await one.WaitForAsync(() => ends.Count == 12, Patience);

        var deliveries = one.Deliveries.Concat(two.Deliveries).ToList();
        Assert.Equal(12, deliveries.Count);
        Assert.NotEmpty(one.Deliveries);
        Assert.NotEmpty(two.Deliveries);
        Assert.Equal(3, MostAtOnce(deliveries.Select(d => (d.At, ends[d.TaskName]))));
    }

    [Fact]
    public async Task A_queues_dispatch_rate_holds_across_two_dispatchers()
    {
        await using var db = await TestDatabase.CreateAsync();
        void Limits(QueueOptions q) => q.Queues["vf-publish"] = new QueueRetryOptions { MaxConcurrentDispatches = 50, MaxDispatchesPerSecond = 4 };
        await using var one = await QueueHarness.StartAsync(db, _ => 200, Limits);
        await using var two = await QueueHarness.StartAsync(db, _ => 200, Limits);

        // All due at the same instant: enqueueing one by one on a loaded machine would let the bucket refill meanwhile.
        var due = TimeProvider.System.GetUtcNow().AddSeconds(3);
        for (var i = 0; i < 10; i++)
        {
            await one.Queue.EnqueueAsync(new QueueTask("vf-publish", $"publish-{i}", "/work", "{}"u8.ToArray(), due), CancellationToken.None);
        }
        await one.WaitForAsync(() => one.Deliveries.Count + two.Deliveries.Count == 10, Patience);

        var starts = one.Deliveries.Concat(two.Deliveries).Select(d => d.At).Order().ToList();
        // A burst of one second's worth (4) may go at once; after it, 4 a second: the 5th to the 10th start 250 ms apart,
        // 1.5 s for the six (less the time a request takes to arrive, which varies under load). Without the limit all ten
        // start within a few milliseconds.
        var span = starts[9] - starts[3];
        Assert.True(span >= TimeSpan.FromMilliseconds(1000), $"the last 6 dispatches took {span.TotalMilliseconds} ms; 4/s needs about 1500 ms");
    }

    [Fact]
    public async Task A_task_slower_than_its_own_deadline_is_abandoned_and_retried_and_one_with_a_longer_deadline_is_not()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var harness = await QueueHarness.StartAsync(
            db, _ => 200, q => q.Queues["vf-script"] = new QueueRetryOptions { DispatchDeadline = TimeSpan.FromSeconds(1) }, handlerTakes: TimeSpan.FromSeconds(2));

        await harness.Queue.EnqueueAsync(new QueueTask("q-test", "short", "/work", "{}"u8.ToArray(), DispatchDeadline: TimeSpan.FromSeconds(1)), CancellationToken.None);
        await harness.Queue.EnqueueAsync(new QueueTask("q-test", "long", "/work", "{}"u8.ToArray(), DispatchDeadline: TimeSpan.FromSeconds(8)), CancellationToken.None);
        // No deadline of its own: its queue's (1 s) applies.
        await harness.Queue.EnqueueAsync(new QueueTask("vf-script", "queue-default", "/work", "{}"u8.ToArray()), CancellationToken.None);
        await harness.WaitForAsync(() => harness.Deliveries.Count(d => d.TaskName == "short") >= 2 && harness.Deliveries.Count(d => d.TaskName == "queue-default") >= 2, Patience);
        using (var wait = new CancellationTokenSource(Patience))
        {
            while ((await TaskRow(db, "long")).State != "succeeded")
            {
                await Task.Delay(50, wait.Token);
            }
        }

        Assert.Single(harness.Deliveries, d => d.TaskName == "long");
        var shortTask = await TaskRow(db, "short");
        Assert.Contains("no answer within the dispatch deadline (00:00:01)", shortTask.Error, StringComparison.Ordinal);
        Assert.Contains("no answer within the dispatch deadline (00:00:01)", (await TaskRow(db, "queue-default")).Error, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), shortTask.Deadline);
    }

    [Fact]
    public async Task Render_speeds_give_the_slow_end_of_the_recent_renders()
    {
        await using var db = await TestDatabase.CreateAsync();
        var speed = new PostgresRenderSpeed(db.DataSource, TimeProvider.System);
        Assert.Null(await speed.SecondsPerVideoSecondAsync(CancellationToken.None));

        // Nine renders at 1.2 s per video second and one at 3: the figure leans to the slow one.
        for (var i = 0; i < 9; i++)
        {
            await speed.RecordAsync(30, TimeSpan.FromSeconds(36), CancellationToken.None);
        }
        await speed.RecordAsync(30, TimeSpan.FromSeconds(90), CancellationToken.None);

        var figure = await speed.SecondsPerVideoSecondAsync(CancellationToken.None);
        Assert.NotNull(figure);
        Assert.InRange(figure.Value, 1.3, 3.0);
        // Only the recent window counts: twenty fast renders later, the slow one is forgotten.
        for (var i = 0; i < PostgresRenderSpeed.Window; i++)
        {
            await speed.RecordAsync(10, TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        Assert.Equal(1.0, await speed.SecondsPerVideoSecondAsync(CancellationToken.None));
    }

    [Fact]
    public void A_rate_slot_is_saved_up_for_at_most_one_seconds_burst()
    {
        var now = TimeProvider.System.GetUtcNow();
        var idle = LocalTaskDispatcher.QueueSlots.Open(new QueueLimits(100, 4, TimeSpan.FromMinutes(1)), inFlight: 0, nextDispatchAt: now.AddHours(-1), now);
        var taken = 0;
        while (idle.TryTake())
        {
            taken++;
        }
        Assert.Equal(4, taken);
        Assert.Equal(now.AddMilliseconds(250), idle.NextDispatchAt);

        var busy = LocalTaskDispatcher.QueueSlots.Open(new QueueLimits(2, 100, TimeSpan.FromMinutes(1)), inFlight: 2, nextDispatchAt: null, now);
        Assert.False(busy.TryTake());
        var early = LocalTaskDispatcher.QueueSlots.Open(new QueueLimits(5, 0.1, TimeSpan.FromMinutes(1)), inFlight: 0, nextDispatchAt: now.AddSeconds(3), now);
        Assert.False(early.TryTake());
    }

    private static int MostAtOnce(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> attempts)
    {
        // Ends sort before starts at the same instant: an attempt that ended frees its slot for one starting then.
        var events = attempts.SelectMany(a => new[] { (At: a.Start, Change: 1), (At: a.End, Change: -1) }).OrderBy(e => e.At).ThenBy(e => e.Change);
        int current = 0, most = 0;
        foreach (var (_, change) in events)
        {
            current += change;
            most = Math.Max(most, current);
        }
        return most;
    }

    private static async Task<(string State, string? Error, TimeSpan? Deadline)> TaskRow(TestDatabase db, string name)
    {
        await using var command = db.DataSource.CreateCommand("SELECT state, last_error, dispatch_deadline FROM tasks WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<TimeSpan>(2));
    }
}
