using System.Text.Json.Nodes;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing.Providers;
using Xunit.Abstractions;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>What a 100-row day costs in YouTube quota units, with the shared snapshots and without them, measured from the ledger.</summary>
public sealed class YouTubeTrendsQuotaDayTests(ITestOutputHelper output)
{
    private static readonly string[] Topics =
    [
        "Why cats knock things off tables",
        "Dogs that love the beach",
        "Football skills for kids",
        "Cooking pasta like an Italian",
        "Houseplant care for beginners", // no chart covers it: searched
    ];

    [Theory]
    // With the cache: the 11 default charts are taken at rows 0, 25, 50 and 75 (each 6 h old by then): 44 units; the
    // houseplant topic (every 5th row, every 72 min) is searched at its 1st, 6th, 11th and 16th row: 4 x (100 + 1).
    [InlineData(6 * 60, 4 * 11 + 4 * 101)]
    // Without it (a snapshot kept 2 minutes, rows 14.4 min apart): every row reads the 11 charts, every houseplant row searches.
    [InlineData(2, 100 * 11 + 20 * 101)]
    public async Task A_100_row_day_spread_over_24_hours_costs_the_units_the_snapshots_allow(int maxAgeMinutes, int expectedUnits)
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync(o =>
        {
            o.TrendCategories = [.. YouTubeTrendsOptions.DefaultCategories];
            o.TrendSnapshotMaxAge = TimeSpan.FromMinutes(maxAgeMinutes);
            o.TrendRefreshInterval = TimeSpan.FromMinutes(Math.Min(60, maxAgeMinutes / 2));
            o.DailyQuotaUnits = 1_000_000;
        });
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("chart", "mostPopular").UsingGet())
            .RespondWith(Json(YouTubeTrendsWire.VideoList(Chart())));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.SearchPath).UsingGet()).RespondWith(Json(YouTubeTrendsWire.SearchList("plant1", "plant2", "plant3")));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("id").UsingGet()).RespondWith(Json(YouTubeTrendsWire.VideoList(
            [.. Enumerable.Range(1, 3).Select(i => YouTubeTrendsWire.Video($"plant{i}", $"Houseplant rescue {i} #shorts", ["houseplant", "#shorts"], 40, 1_000 * i, "26"))])));

        for (var row = 0; row < 100; row++)
        {
            var query = new TrendQuery(Platforms.YouTube, Topics[row % Topics.Length], "en", "US", 25, new PaidWork(Guid.NewGuid(), StageName.Trends, 1, "trends"));
            var sample = await h.Provider.GetTrendingAsync(query, CancellationToken.None);
            Assert.False(sample.IsEmpty, $"row {row} ({query.Topic}) found no trends: {sample.Source}");
            h.Time.Advance(TimeSpan.FromMinutes(14.4));
        }

        var units = await h.Ledger.UnitsSinceAsync(YouTubePublisher.Provider, YouTubePublisher.QuotaUnits, YouTubeTrendsHarness.Start.AddDays(-1), CancellationToken.None);
        output.WriteLine($"100 rows over 24 h, snapshots kept {maxAgeMinutes} min: {units} quota units ({h.Calls(YouTubeTrendsWire.VideosPath)} videos.list, {h.Calls(YouTubeTrendsWire.SearchPath)} search.list)");
        Assert.Equal(expectedUnits, units);
    }

    /// <summary>A chart whose Shorts cover four of the five topics, three Shorts each.</summary>
    private static List<JsonObject> Chart()
    {
        var niches = new[] { ("cats", "Cats vs tables"), ("dogs", "Dogs at the beach"), ("football", "Football skills"), ("cooking", "Cooking pasta") };
        return [.. niches.SelectMany(n => Enumerable.Range(1, 3).Select(i =>
            YouTubeTrendsWire.Video($"{n.Item1}{i}", $"{n.Item2} {i} #shorts", [n.Item1, "#shorts"], 30, 10_000 * i)))];
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
