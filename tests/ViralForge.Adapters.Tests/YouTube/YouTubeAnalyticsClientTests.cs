using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Publishing;
using ViralForge.Adapters.YouTube;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>The YouTube analytics reader against WireMock answering reports.query and videos.list in their wire formats.</summary>
public sealed class YouTubeAnalyticsClientTests : IDisposable
{
    private const string VideoId = "vf_Test_Vid1";
    private const string Reports = "/v2/reports";
    private const string Videos = "/youtube/v3/videos";

    private const string Report = """
        {"kind":"youtubeAnalytics#resultTable",
         "columnHeaders":[{"name":"views","columnType":"METRIC","dataType":"INTEGER"},
                          {"name":"estimatedMinutesWatched","columnType":"METRIC","dataType":"INTEGER"},
                          {"name":"averageViewDuration","columnType":"METRIC","dataType":"INTEGER"},
                          {"name":"averageViewPercentage","columnType":"METRIC","dataType":"FLOAT"},
                          {"name":"likes","columnType":"METRIC","dataType":"INTEGER"}],
         "rows":[[1523,412,16,57.3,88]]}
        """;

    // 2026-12-08 18:00 UTC is 10:00 in Los Angeles; the video went public at 09:00 Pacific the day before.
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PublicAt = new(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FakeTimeProvider time = new(Now);
    private readonly InMemoryCostLedger ledger;
    private readonly FakePlatformTokens tokens = new("ya29.first", "ya29.second");

    public YouTubeAnalyticsClientTests() => ledger = new InMemoryCostLedger(time);

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task A_read_sends_reports_query_in_its_wire_format_and_records_the_answer_and_its_units()
    {
        Answer(Reports, 200, Report);

        var stats = await Client().ReadAsync(ReadOf(), CancellationToken.None);

        Assert.Equal(new VideoStats(1523, 88, null, null, 412, 16, 57.3), stats);
        var sent = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal(("GET", Reports), (sent.Method, sent.Path));
        Assert.Equal("Bearer ya29.first", sent.Headers!["Authorization"].Single());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(sent.RawQuery).ToDictionary(q => q.Key, q => q.Value.Single()!);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["ids"] = "channel==MINE",
                ["startDate"] = "2026-12-07",
                ["endDate"] = "2026-12-08",
                ["metrics"] = "views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,likes",
                ["filters"] = $"video=={VideoId}",
            },
            query);
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((YouTubeAnalyticsClient.Provider, 1m, YouTubePublisher.QuotaUnits, 0m, VideoId), (call.Provider, call.Units, call.UnitKind, call.Usd, call.VendorId));
        Assert.Equal("metrics-24h-youtube", call.Work.Call);
        Assert.Equal(57.3, call.Result!.Value.GetProperty("averageViewPercentage").GetDouble());
        Assert.Equal([FakePlatformTokens.Channel.Name], tokens.Channels);
    }

    [Fact]
    public async Task A_redelivered_read_returns_the_stored_answer_without_asking_youtube_again()
    {
        Answer(Reports, 200, Report);
        var client = Client();
        var first = await client.ReadAsync(ReadOf(), CancellationToken.None);

        var again = await client.ReadAsync(ReadOf(), CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(server.LogEntries);
        Assert.Single(ledger.Calls);
    }

    [Fact]
    public async Task Without_analytics_rows_yet_the_data_apis_live_counts_stand_in_and_both_calls_are_recorded()
    {
        Answer(Reports, 200, """{"kind":"youtubeAnalytics#resultTable","columnHeaders":[{"name":"views","columnType":"METRIC","dataType":"INTEGER"}]}""");
        Answer(Videos, 200, $$$"""{"kind":"youtube#videoListResponse","items":[{"kind":"youtube#video","id":"{{{VideoId}}}","statistics":{"viewCount":"312","favoriteCount":"0","commentCount":"4"}}],"pageInfo":{"totalResults":1,"resultsPerPage":1}}""");

        var stats = await Client().ReadAsync(ReadOf(due: "1h"), CancellationToken.None);

        // likeCount is absent when the channel hides likes: unknown, not 0.
        Assert.Equal(new VideoStats(312, null, 4), stats);
        var statistics = Assert.Single(server.LogEntries, e => e.RequestMessage.Path == Videos).RequestMessage;
        Assert.Equal("part=statistics&id=vf_Test_Vid1", statistics.RawQuery.TrimStart('?'));
        Assert.Equal("Bearer ya29.first", statistics.Headers!["Authorization"].Single());
        Assert.Equal(
            [("metrics-1h-youtube", YouTubeAnalyticsClient.Provider), ("metrics-1h-youtube-statistics", YouTubePublisher.Provider)],
            ledger.Calls.Select(c => (c.Work.Call, c.Provider)));
    }

    [Theory]
    [InlineData(429, "rateLimitExceeded", true)]
    [InlineData(500, "backendError", true)]
    [InlineData(503, "backendError", true)]
    [InlineData(403, "quotaExceeded", true)]
    [InlineData(403, "forbidden", false)]
    [InlineData(403, "insufficientPermissions", false)]
    [InlineData(400, "badRequest", false)]
    public async Task A_refusal_is_transient_or_lasting_as_its_status_and_reason_say_and_nothing_is_recorded(int status, string reason, bool transient)
    {
        Answer(Reports, status, $$$"""{"error":{"code":{{{status}}},"message":"The request was refused.","errors":[{"message":"The request was refused.","domain":"youtube.analytics","reason":"{{{reason}}}"}]}}""");

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.Equal(transient, error.Transient);
        Assert.Contains($"{status} {reason}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ya29", error.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""{"kind":"youtubeAnalytics#resultTable"}""")]
    [InlineData("""{"columnHeaders":[{"name":"views"},{"name":"likes"}],"rows":[[12]]}""")]
    [InlineData("""{"columnHeaders":[{"name":"views"}],"rows":[["many"]]}""")]
    public async Task A_malformed_answer_is_transient(string body)
    {
        Answer(Reports, 200, body);

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.True(error.Transient);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_past_the_timeout_is_transient()
    {
        server.Given(Request.Create().WithPath(Reports).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Report).WithDelay(TimeSpan.FromSeconds(3)));

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client(server, realClock: true, ("YouTubeAnalytics:Timeout", "00:00:00.200")).ReadAsync(ReadOf(), CancellationToken.None));

        Assert.True(error.Transient);
    }

    [Fact]
    public async Task A_5xx_is_retried_within_the_delivery_when_retries_are_set()
    {
        server.Given(Request.Create().WithPath(Reports).UsingGet()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"error":{"code":503,"message":"Backend Error","errors":[{"reason":"backendError"}]}}"""));
        server.Given(Request.Create().WithPath(Reports).UsingGet()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Report));

        var stats = await Client(("YouTubeAnalytics:MaxRetries", "1")).ReadAsync(ReadOf(), CancellationToken.None);

        Assert.Equal(1523, stats.Views);
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task A_401_asks_for_a_fresh_token_once_and_a_second_401_means_reconnect()
    {
        server.Given(Request.Create().WithPath(Reports).WithHeader("Authorization", "Bearer ya29.first")).RespondWith(Response.Create().WithStatusCode(401));
        server.Given(Request.Create().WithPath(Reports).WithHeader("Authorization", "Bearer ya29.second")).RespondWith(Response.Create().WithStatusCode(200).WithBody(Report));

        var stats = await Client().ReadAsync(ReadOf(), CancellationToken.None);

        Assert.Equal(1523, stats.Views);
        Assert.Equal(["ya29.first"], tokens.Forgotten);

        using var refused = WireMockServer.Start();
        refused.Given(Request.Create().WithPath(Reports)).RespondWith(Response.Create().WithStatusCode(401));
        var error = await Assert.ThrowsAsync<ReconnectRequiredException>(() => Client(refused, false).ReadAsync(ReadOf(due: "7d"), CancellationToken.None));
        Assert.Equal("youtube", error.Platform);
        Assert.Contains("./vf connect youtube", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_video_is_a_lasting_failure()
    {
        Answer(Reports, 200, """{"kind":"youtubeAnalytics#resultTable","columnHeaders":[{"name":"views","columnType":"METRIC","dataType":"INTEGER"}],"rows":[]}""");
        Answer(Videos, 200, """{"kind":"youtube#videoListResponse","items":[],"pageInfo":{"totalResults":0,"resultsPerPage":0}}""");

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.False(error.Transient);
    }

    private void Answer(string path, int status, string body) =>
        server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body));

    private static MetricsReadRequest ReadOf(string due = "24h") =>
        new(Guid.Parse("7d0c6c1e-64a4-4bb8-9a43-2b1f0f1a0001"), new PublishedVideo("youtube", YouTubePublisher.WatchUrl(VideoId), VideoId, Channel: FakePlatformTokens.Channel.Name),
            PublicAt, new PaidWork(Guid.Parse("7d0c6c1e-64a4-4bb8-9a43-2b1f0f1a0001"), StageName.Publish, 1, MetricsTasks.CallName(due, "youtube")));

    private IVideoStatsReader Client(params (string Key, string Value)[] settings) => Client(server, false, settings);

    /// <param name="realClock">The resilience pipeline times attempts on the registered clock: a timeout needs one that moves.</param>
    private IVideoStatsReader Client(WireMockServer target, bool realClock, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["YouTube:ClientId"] = "1234-test.apps.googleusercontent.com",
            ["YouTube:ApiBaseUrl"] = $"{target.Url}/youtube/v3",
            ["YouTubeAnalytics:BaseUrl"] = $"{target.Url}/",
            ["YouTubeAnalytics:MaxRetries"] = "0",
            ["YouTubeAnalytics:RetryBaseDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IPlatformTokens>(tokens)
            .AddSingleton<ICostLedger>(ledger)
            .AddSingleton(realClock ? TimeProvider.System : time)
            .AddSingleton(Options.Create(new ViralForgeOptions()));
        services.AddPublishing(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return provider.GetServices<IVideoStatsReader>().Single(r => r.Platform == "youtube");
    }
}
