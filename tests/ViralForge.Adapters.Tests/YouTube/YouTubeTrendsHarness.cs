using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Adapters.YouTube;
using ViralForge.Testing;
using ViralForge.Testing.Providers;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>
/// The trend reads wired as the host wires them, against WireMock and a database of the test's own: the real client,
/// the PostgreSQL snapshots and cost ledger, a fake clock at 10:00 Pacific time.
/// </summary>
internal sealed class YouTubeTrendsHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);

    private YouTubeTrendsHarness(TestDatabase database, WireMockServer server, YouTubeTrendsOptions options)
    {
        Database = database;
        Server = server;
        Options = options;
        Ledger = new PostgresCostLedger(database.DataSource, Time);
        Snapshots = new PostgresTrendSnapshots(database.DataSource, Time);
        Client = new YouTubeTrendsClient(new PlainHttpClients(), Microsoft.Extensions.Options.Options.Create(options), Ledger, Time);
        Provider = new YouTubeTrendsProvider(Client, Snapshots, Microsoft.Extensions.Options.Options.Create(options));
        Refresher = new YouTubeTrendsRefresher(Client, Snapshots, Microsoft.Extensions.Options.Options.Create(options), Time);
    }

    public TestDatabase Database { get; }

    public WireMockServer Server { get; }

    public YouTubeTrendsOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public PostgresCostLedger Ledger { get; }

    public PostgresTrendSnapshots Snapshots { get; }

    public YouTubeTrendsClient Client { get; }

    public YouTubeTrendsProvider Provider { get; }

    public YouTubeTrendsRefresher Refresher { get; }

    /// <summary>Requests YouTube got on <paramref name="path"/>.</summary>
    public int Calls(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    /// <summary>YouTube quota units the ledger holds for today (every job's and the refresh's).</summary>
    public Task<decimal> UnitsTodayAsync() =>
        Ledger.UnitsSinceAsync(YouTubePublisher.Provider, YouTubePublisher.QuotaUnits, Start.AddHours(-10), CancellationToken.None);

    public static async Task<YouTubeTrendsHarness> CreateAsync(Action<YouTubeTrendsOptions>? configure = null)
    {
        var database = await TestDatabase.CreateAsync();
        var server = WireMockServer.Start();
        var options = new YouTubeTrendsOptions
        {
            ApiKey = YouTubeTrendsWire.ApiKey,
            ApiBaseUrl = new Uri(server.Url + "/youtube/v3"),
            TrendCategories = ["15"],
            RetryBaseDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        Assert.Empty(new YouTubeTrendsOptionsValidator().Validate(null, options).Failures ?? []);
        return new YouTubeTrendsHarness(database, server, options);
    }

    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        await Database.DisposeAsync();
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
