using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.YouTube;
using ViralForge.Testing.Providers;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>The scheduled refresh, run by its hosted service on a fake clock: it keeps the charts warm and spends no unit on a fresh one.</summary>
public sealed class YouTubeTrendsRefreshTests
{
    [Fact]
    public async Task The_refresh_takes_every_chart_at_once_then_again_only_when_it_would_expire_before_the_next_pass()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync(o => (o.TrendRegions, o.TrendCategories) = (["US", "GB"], ["0", "15"]));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 10)])));
        var counted = new CountingSnapshots(h.Snapshots);
        var refresher = new YouTubeTrendsRefresher(h.Client, counted, Options.Create(h.Options), h.Time);
        await using var provider = new ServiceCollection()
            .AddSingleton(refresher)
            .AddSingleton(Options.Create(h.Options))
            .BuildServiceProvider();
        using var service = new YouTubeTrendsRefreshService(provider, h.Time);

        await service.StartAsync(CancellationToken.None);
        try
        {
            // The first pass runs at once: 2 regions x 2 categories, a unit each.
            await counted.WaitForAsync(4);
            Assert.Equal(4, h.Calls(YouTubeTrendsWire.VideosPath));

            // Hourly passes (YouTube:TrendRefreshInterval) find the charts fresh for another 4 hours: they spend nothing.
            for (var hour = 1; hour <= 4; hour++)
            {
                h.Time.Advance(h.Options.TrendRefreshInterval);
                await counted.WaitForAsync(4 + 4 * hour);
                Assert.Equal(4, h.Calls(YouTubeTrendsWire.VideosPath));
            }

            // At 5 h a chart would be past the 6 h YouTube:TrendSnapshotMaxAge before the next pass: all are taken again.
            h.Time.Advance(h.Options.TrendRefreshInterval);
            await counted.WaitForAsync(24);
            await WaitForAsync(() => h.Calls(YouTubeTrendsWire.VideosPath) == 8);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        var regions = h.Server.LogEntries.Select(e => e.RequestMessage.Query!["regionCode"].Single()).ToList();
        Assert.Equal(4, regions.Count(r => r == "US"));
        Assert.Equal(4, regions.Count(r => r == "GB"));
        Assert.Equal(8m, await h.UnitsTodayAsync());
        Assert.Equal(8L, await h.Database.ScalarAsync<long>("SELECT count(*) FROM trend_snapshots"));
        // A 100-row day's trend reads with the refresh on: 24 h / 5 h is 5 takes of each chart (the 5th at 20 h), one
        // unit each; every job's charts are then fresh, so a job spends nothing unless its topic needs a search.
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !done(); await Task.Delay(20))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the refresh pass did not finish in 20 s");
        }
    }

    /// <summary>Counts the snapshot look-ups, so the test knows a pass ran even when it called nothing.</summary>
    private sealed class CountingSnapshots(ITrendSnapshots inner) : ITrendSnapshots
    {
        private int lookups;

        public async Task WaitForAsync(int count)
        {
            await YouTubeTrendsRefreshTests.WaitForAsync(() => Volatile.Read(ref lookups) >= count);
            Assert.Equal(count, Volatile.Read(ref lookups));
        }

        public async Task<TrendSnapshot> GetOrTakeAsync(TrendSnapshotKey key, TimeSpan maxAge, Func<CancellationToken, Task<TakenTrends>> take, CancellationToken cancellationToken)
        {
            try
            {
                return await inner.GetOrTakeAsync(key, maxAge, take, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref lookups);
            }
        }

        public Task<TrendSnapshot?> LatestAsync(TrendSnapshotKey key, CancellationToken cancellationToken) => inner.LatestAsync(key, cancellationToken);

        public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.PruneAsync(before, cancellationToken);
    }
}
