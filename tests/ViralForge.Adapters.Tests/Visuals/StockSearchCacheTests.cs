using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.Visuals;

/// <summary>The stock search cache shared by Pexels and Pixabay, kept in the blob store for a configured age.</summary>
public sealed class StockSearchCacheTests : IDisposable
{
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly InMemoryBlobStore blobs = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    public StockSearchCacheTests()
    {
        server.Given(Request.Create().WithPath("/videos/search").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(
            StockTesting.PexelsPage(StockTesting.PexelsVideo(42, 1080, 1920, 9, "Jane Doe", ("hd", 1080, 1920, "https://videos.pexels.com/42/hd.mp4")))));
        server.Given(Request.Create().WithPath("/api/videos/").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(
            StockTesting.PixabayPage(StockTesting.PixabayHit(7, 9, "B", null, ("https://cdn.pixabay.com/7/medium.mp4", 1080, 1920)))));
    }

    [Fact]
    public async Task The_same_search_again_is_answered_from_the_blob_store_without_a_request()
    {
        var pexels = StockTesting.Pexels(server, blobs, time);
        var first = await pexels.SearchAsync(new StockSearch("Ocean  Waves", "portrait", 5, "en"), CancellationToken.None);

        // Another process (a redelivery elsewhere) with the same blob store, the query spelt with other case and spaces.
        var again = StockTesting.Pexels(server, blobs, time);
        var second = await again.SearchAsync(new StockSearch(" ocean waves ", "portrait", 8, "en"), CancellationToken.None);

        Assert.Single(server.LogEntries);
        Assert.Equal(0, again.RequestsThisHour);
        Assert.Equal(first.Single().Credit, second.Single().Credit);
        Assert.Equal(first.Single().Renditions, second.Single().Renditions);
        Assert.StartsWith("cache/stock/pexels/", Assert.Single(blobs.Keys), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_site_and_each_shape_of_search_has_its_own_entry()
    {
        var pexels = StockTesting.Pexels(server, blobs, time);
        var pixabay = StockTesting.Pixabay(server, blobs, time);

        await pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None);
        await pexels.SearchAsync(new StockSearch("sea", "", 5, "en"), CancellationToken.None);
        await pixabay.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None);
        await pixabay.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None);

        Assert.Equal(3, server.LogEntries.Count());
        Assert.Equal(2, blobs.Keys.Count(k => k.StartsWith("cache/stock/pexels/", StringComparison.Ordinal)));
        Assert.Single(blobs.Keys, k => k.StartsWith("cache/stock/pixabay/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_answer_older_than_the_configured_age_is_asked_again()
    {
        var pexels = StockTesting.Pexels(server, blobs, time);
        var search = new StockSearch("sea", "portrait", 5, "en");
        await pexels.SearchAsync(search, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(23.9));
        await pexels.SearchAsync(search, CancellationToken.None);
        Assert.Single(server.LogEntries);

        time.Advance(TimeSpan.FromHours(0.2));
        await pexels.SearchAsync(search, CancellationToken.None);
        await pexels.SearchAsync(search, CancellationToken.None);

        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task With_the_cache_off_every_search_is_a_request()
    {
        var pexels = StockTesting.Pexels(server, blobs, time, visuals: new VisualsOptions { CacheHours = 0 });
        var search = new StockSearch("sea", "portrait", 5, "en");

        await pexels.SearchAsync(search, CancellationToken.None);
        await pexels.SearchAsync(search, CancellationToken.None);

        Assert.Equal(2, server.LogEntries.Count());
        Assert.Empty(blobs.Keys);
    }

    [Fact]
    public async Task A_damaged_entry_is_a_miss_and_is_replaced()
    {
        var search = new StockSearch("sea", "portrait", 5, "en");
        blobs.Put(StockSearchCache.KeyFor("pexels", search), "{ not json"u8.ToArray());
        var pexels = StockTesting.Pexels(server, blobs, time);

        var clips = await pexels.SearchAsync(search, CancellationToken.None);
        await pexels.SearchAsync(search, CancellationToken.None);

        Assert.Single(clips);
        Assert.Single(server.LogEntries);
    }

    public void Dispose() => server.Dispose();
}
