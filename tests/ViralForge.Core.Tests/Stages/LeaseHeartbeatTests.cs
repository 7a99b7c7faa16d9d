using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

public sealed class LeaseHeartbeatTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider time = new();
    private readonly Channel<DateTimeOffset> renewals = Channel.CreateUnbounded<DateTimeOffset>();

    [Fact]
    public async Task Renews_once_per_interval_on_the_injected_clock()
    {
        var start = time.GetUtcNow();
        using var heartbeat = new LeaseHeartbeat(Record, Interval, time, NullLogger.Instance);

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(renewals.Reader.TryRead(out _), "renewed before the interval was up");

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(start + Interval, await NextRenewalAsync());
        time.Advance(Interval);
        Assert.Equal(start + 2 * Interval, await NextRenewalAsync());
        time.Advance(Interval);
        Assert.Equal(start + 3 * Interval, await NextRenewalAsync());
    }

    [Fact]
    public async Task Stops_renewing_when_disposed()
    {
        var heartbeat = new LeaseHeartbeat(Record, Interval, time, NullLogger.Instance);
        time.Advance(Interval);
        await NextRenewalAsync();

        heartbeat.Dispose();
        time.Advance(10 * Interval);

        Assert.False(renewals.Reader.TryRead(out _), "renewed after Dispose");
    }

    [Fact]
    public async Task Dispose_cancels_a_renewal_in_flight_and_waits_for_it()
    {
        var cancelled = false;
        var heartbeat = new LeaseHeartbeat(async ct =>
        {
            await Record(ct);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        }, Interval, time, NullLogger.Instance);
        time.Advance(Interval);
        await NextRenewalAsync();

        heartbeat.Dispose();

        Assert.True(cancelled);
    }

    [Fact]
    public async Task A_failing_renewal_is_tried_again_at_the_next_interval()
    {
        var calls = 0;
        using var heartbeat = new LeaseHeartbeat(async ct =>
        {
            await Record(ct);
            if (Interlocked.Increment(ref calls) <= 2)
            {
                throw new TimeoutException("the database did not answer");
            }
        }, Interval, time, NullLogger.Instance);

        var start = time.GetUtcNow();
        for (var tick = 1; tick <= 4; tick++)
        {
            time.Advance(Interval);
            Assert.Equal(start + tick * Interval, await NextRenewalAsync());
        }
        Assert.Equal(4, Volatile.Read(ref calls));
    }

    private Task Record(CancellationToken cancellationToken) => renewals.Writer.WriteAsync(time.GetUtcNow(), cancellationToken).AsTask();

    private async Task<DateTimeOffset> NextRenewalAsync() => await renewals.Reader.ReadAsync().AsTask().WaitAsync(Patience, TimeProvider.System);
}
