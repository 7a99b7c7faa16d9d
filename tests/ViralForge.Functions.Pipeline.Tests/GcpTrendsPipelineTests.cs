using System.Text.Json;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Functions.Tests.Simulated;
using ViralForge.RenderJob;
using ViralForge.Testing;
using ViralForge.Testing.Providers;
using Xunit.Abstractions;

namespace ViralForge.Functions.Tests;

/// <summary>
/// Issue 15's done-when run for trends: two rows of one niche go end to end in the gcp profile (Google played by
/// <see cref="SimulatedGoogleCloud"/>) with the real YouTube trends client pointed at WireMock answering in the Data
/// API's own format, and YouTube is asked once: the second job finds the first one's snapshot in PostgreSQL.
/// </summary>
public sealed class GcpTrendsPipelineTests(ITestOutputHelper output)
{
    private const string SpreadsheetId = "1tReNdSsHaReDaCrOsSjObS0123456789abcdefghij";
    private const string Tab = "Video ideas";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Two_rows_of_one_niche_publish_with_real_trends_from_one_youtube_call_its_unit_in_the_ledger_and_the_tiktok_row_told_why()
    {
        using var youtube = WireMockServer.Start();
        youtube.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("chart", "mostPopular").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=UTF-8")
                .WithBody(YouTubeTrendsWire.VideoList([.. Enumerable.Range(1, 6).Select(i => YouTubeTrendsWire.CatShort(i, 100_000 * i))]))
                .WithDelay(TimeSpan.FromMilliseconds(300)));

        using var google = new SimulatedGoogleCloud();
        google.AddSheet(SpreadsheetId, Tab,
        [
            ["Topic", "Platform", "Duration", "Notes"],
            ["Why cats knock things off tables", "youtube", "10", "Keep it light."],
            ["Why cats sleep all day", "tiktok", "10", ""],
        ]);
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = GcpPipelineSettings.For(google, url, scratch.Path);
        // The key makes the gcp profile choose the YouTube trends provider; one category keeps the count to one chart.
        settings["YouTube:ApiKey"] = YouTubeTrendsWire.ApiKey;
        settings["YouTube:ApiBaseUrl"] = youtube.Url + "/youtube/v3";
        settings["YouTube:TrendCategories:0"] = "15";
        await using var host = await TestHost.StartAsync(dispatch: false, settings: settings, url: url, replace: GcpPipelineSettings.SimulatedCredentials);
        google.OnJobRun = async overrides =>
        {
            var environment = GcpPipelineSettings.RenderJobEnvironment(settings, host.Database.ConnectionString, overrides);
            using var errors = new StringWriter();
            var code = await RenderJobEntry.RunAsync([], environment, errors, CancellationToken.None, GcpPipelineSettings.SimulatedCredentials);
            output.WriteLine($"render job exited {code} {errors}");
            return code == 0;
        };

        using var delivery = new CancellationTokenSource();
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var deliverer = google.DeliverAsync(client, TimeProvider.System, maxAttempts: 5, delivery.Token);
        var sheet = host.Get<ISheetRegistry>().Open($"gsheet:{SpreadsheetId}/{Tab}");
        var ids = (await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Where(r => r.JobId is not null).Select(r => r.JobId!.Value).ToList();
        Assert.Equal(2, ids.Count);
        var jobs = await WaitAsync(host, ids);
        await delivery.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliverer);

        Assert.All(jobs, j => Assert.Equal(JobStatus.Published, j.Status));
        Assert.IsType<YouTubeTrendsProvider>(host.Get<ITrendsProvider>());

        // One trends call for the two rows, its key in the header only.
        var call = Assert.Single(youtube.LogEntries).RequestMessage;
        Assert.Equal(["mostPopular"], call.Query!["chart"]);
        Assert.Equal(["15"], call.Query["videoCategoryId"]);
        Assert.Equal(YouTubeTrendsWire.ApiKey, call.Headers![YouTubeTrendsClient.ApiKeyHeader].Single());
        Assert.DoesNotContain("key=", call.Url, StringComparison.Ordinal);

        // Both jobs' trends are the real chart's cat Shorts, most viewed first.
        var ledger = host.Get<ICostLedger>();
        var trendUnits = new List<decimal>();
        foreach (var id in ids)
        {
            var run = await host.Get<IJobStore>().GetLatestCompletedAsync(id, StageName.Trends, int.MaxValue, CancellationToken.None);
            var sample = StageJson.FromElement<TrendSample>(run!.Output!.Value);
            Assert.Equal("cat06Short", sample.Videos[0].Id);
            Assert.Equal(6, sample.Videos.Count);
            trendUnits.Add((await ledger.ListAsync(id, CancellationToken.None)).Where(c => c.Work.Stage == StageName.Trends && c.Provider == YouTubePublisher.Provider).Sum(c => c.Units));
        }
        // The one unit is on whichever job took the chart; the other reused it for nothing.
        Assert.Equal([0m, 1m], trendUnits.Order());

        // The TikTok row's events say where its trends came from.
        var tiktokEvents = await host.Get<IJobStore>().ListEventsAsync(ids[1], CancellationToken.None);
        var trendsDone = Assert.Single(tiktokEvents, e => e.Stage == StageName.Trends && e.Message.Contains(TrendsStage.TikTokNote, StringComparison.Ordinal));
        output.WriteLine($"{trendsDone.Kind}: {trendsDone.Message}");
        Assert.Contains("6 trending videos", trendsDone.Message, StringComparison.Ordinal);
        var youtubeEvents = await host.Get<IJobStore>().ListEventsAsync(ids[0], CancellationToken.None);
        Assert.DoesNotContain(youtubeEvents, e => e.Message.Contains(TrendsStage.TikTokNote, StringComparison.Ordinal));

        // Cloud Scheduler's refresh: behind the stage endpoints' token check; the chart is fresh, so it calls nothing.
        using (var anonymous = await host.Client.PostAsync(new Uri(url + "/trends/refresh"), null))
        {
            Assert.Equal(401, (int)anonymous.StatusCode);
        }
        using var refresh = new HttpRequestMessage(HttpMethod.Post, new Uri(url + "/trends/refresh"));
        refresh.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", google.Tokens.Mint(url, GcpPipelineSettings.Invoker, TimeProvider.System.GetUtcNow()));
        using var answer = await host.Client.SendAsync(refresh);
        var report = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Equal((1, 0, 1), (report.GetProperty("charts").GetInt32(), report.GetProperty("taken").GetInt32(), report.GetProperty("reused").GetInt32()));
        Assert.Single(youtube.LogEntries);
        Assert.DoesNotContain(google.Values(SpreadsheetId, Tab).SelectMany(r => r), c => c.Contains("SECRET", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<Job>> WaitAsync(TestHost host, List<Guid> ids)
    {
        try
        {
            return await host.WaitForJobsAsync(ids, j => j.IsTerminal, Patience);
        }
        catch (TimeoutException)
        {
            foreach (var id in ids)
            {
                foreach (var e in await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None))
                {
                    output.WriteLine($"{id} {e.Kind} {e.Stage} {e.Message}");
                }
            }
            throw;
        }
    }
}
