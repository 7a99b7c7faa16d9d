using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.TikTok;
using ViralForge.Core.Jobs;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.TikTok;

/// <summary>The TikTok reader against WireMock answering the Display API's video/query in its envelope.</summary>
public sealed class TikTokVideoQueryClientTests : IDisposable
{
    private const string PostId = "7312345678901234567";
    private const string Query = "/v2/video/query/";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 8, 18, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCostLedger ledger;
    private readonly FakeTokens tokens = new();

    public TikTokVideoQueryClientTests() => ledger = new InMemoryCostLedger(time);

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task A_read_posts_video_query_in_its_wire_format_and_records_the_counts()
    {
        Answer(200, $$$"""
            {"data":{"videos":[{"id":"{{{PostId}}}","view_count":4210,"like_count":301,"comment_count":17,"share_count":9}],"cursor":0,"has_more":false},
             "error":{"code":"ok","message":"","log_id":"20261208180000A1"}}
            """);

        var stats = await Client().ReadAsync(ReadOf(), CancellationToken.None);

        Assert.Equal(new VideoStats(4210, 301, 17, 9), stats);
        var sent = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal(("POST", Query), (sent.Method, sent.Path));
        Assert.Equal("fields=id,view_count,like_count,comment_count,share_count", Uri.UnescapeDataString(sent.RawQuery.TrimStart('?')));
        Assert.Equal("Bearer act.1", sent.Headers!["Authorization"].Single());
        Assert.StartsWith("application/json", sent.Headers["Content-Type"].Single(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"filters":{"video_ids":["{{{PostId}}}"]}}"""), JsonNode.Parse(sent.Body!)), sent.Body);
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((TikTokVideoQueryClient.Provider, 1m, "metrics-7d-tiktok", PostId), (call.Provider, call.Units, call.Work.Call, call.VendorId));

        // A redelivery finds the stored answer.
        Assert.Equal(stats, await Client().ReadAsync(ReadOf(), CancellationToken.None));
        Assert.Single(server.LogEntries);
    }

    [Theory]
    [InlineData(429, "rate_limit_exceeded", true)]
    [InlineData(500, "internal_error", true)]
    [InlineData(502, "", true)]
    [InlineData(400, "invalid_params", false)]
    public async Task An_error_in_the_envelope_is_transient_or_lasting_as_its_code_says(int status, string code, bool transient)
    {
        Answer(status, code.Length == 0
            ? "<html>Bad Gateway</html>"
            : $$$"""{"data":{},"error":{"code":"{{{code}}}","message":"Refused.","log_id":"20261208180000A2"}}""");

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.Equal(transient, error.Transient);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("act.", error.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"error":{"code":"ok","message":""}}""")]
    [InlineData("""{"data":{"videos":[{"id":"7312345678901234567","view_count":"lots"}]},"error":{"code":"ok"}}""")]
    public async Task A_malformed_answer_is_transient(string body)
    {
        Answer(200, body);

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.True(error.Transient);
    }

    [Fact]
    public async Task An_invalid_token_is_refreshed_once_and_a_missing_scope_asks_to_reconnect()
    {
        server.Given(Request.Create().WithPath(Query).WithHeader("Authorization", "Bearer act.1")).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody("""{"data":{},"error":{"code":"access_token_invalid","message":"The access token is invalid or not found in the request.","log_id":"A3"}}"""));
        server.Given(Request.Create().WithPath(Query).WithHeader("Authorization", "Bearer act.2")).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody("""{"data":{},"error":{"code":"scope_not_authorized","message":"The user did not authorize the scope required for completing this request.","log_id":"A4"}}"""));

        var error = await Assert.ThrowsAsync<ReconnectRequiredException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.Equal(1, tokens.Forgets);
        Assert.Equal(2, server.LogEntries.Count());
        Assert.Contains("video.list", error.Message, StringComparison.Ordinal);
        Assert.Contains("./vf connect tiktok", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_video_missing_from_the_answer_is_a_lasting_failure()
    {
        Answer(200, """{"data":{"videos":[],"cursor":0,"has_more":false},"error":{"code":"ok","message":"","log_id":"A5"}}""");

        var error = await Assert.ThrowsAsync<MetricsReadException>(() => Client().ReadAsync(ReadOf(), CancellationToken.None));

        Assert.False(error.Transient);
    }

    private void Answer(int status, string body) =>
        server.Given(Request.Create().WithPath(Query).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body));

    private static MetricsReadRequest ReadOf()
    {
        var jobId = Guid.Parse("7d0c6c1e-64a4-4bb8-9a43-2b1f0f1a0002");
        return new(jobId, new PublishedVideo("tiktok", $"https://www.tiktok.com/@gardentips/video/{PostId}", PostId, Channel: "gardentips"),
            new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero), new PaidWork(jobId, StageName.Publish, 1, MetricsTasks.CallName("7d", "tiktok")));
    }

    private IVideoStatsReader Client()
    {
        var values = new Dictionary<string, string?>
        {
            ["TikTok:ClientKey"] = "tiktok-client-key",
            ["TikTok:ClientSecret"] = "tiktok-client-secret",
            ["TikTok:BaseUrl"] = $"{server.Url}/",
            ["TikTok:MaxRetries"] = "0",
        };
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IPlatformTokens>(tokens)
            .AddSingleton<ICostLedger>(ledger)
            .AddSingleton<TimeProvider>(time);
        services.AddTikTok(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider().GetServices<IVideoStatsReader>().Single(r => r.Platform == "tiktok");
    }
}
