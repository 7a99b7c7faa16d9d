using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Metrics;

/// <summary>POST /metrics/read on the real host: the queue's caller check, the 400 for a bad body, and a read that lands in the table and the row.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task The_metrics_endpoint_refuses_untrusted_callers_and_names_the_shape_of_a_malformed_task()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);

        using var anonymous = await host.Client.PostAsync(MetricsTasks.Path, Json("""{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":1,"due":"1h","publicAt":"2026-12-07T15:00:00Z"}"""));
        using var malformed = await Send(host, """{"jobId":"0195f3d2-0000-7000-8000-000000000001","generation":1,"due":"2h","publicAt":"2026-12-07T15:00:00Z"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("1h|24h|7d", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivered_read_stores_the_figures_and_writes_the_rows_metrics_cells()
    {
        var reader = new FixedReader(new VideoStats(321, 12, AverageViewPercentage: 48.5));
        await using var host = await TestHost.StartAsync(dispatch: false, replace: s => s.AddSingleton<IVideoStatsReader>(reader));
        var store = host.Get<IJobStore>();
        var sheetPath = host.WriteSheet("Topic,Platform,Duration\nThree stretches for desk workers,youtube,10\n");
        var jobId = (await host.Get<IntakeService>().SubmitAsync(host.Get<ISheetRegistry>().Open(sheetPath), CancellationToken.None)).Single().JobId!.Value;
        var script = new VideoScript("Stretches", "Is your back stiff?", [new ScriptBeat("Reach up.", "Reach")], "Follow", "Three stretches", ["desk"], 150, 10);
        await CompleteAsync(store, jobId, StageName.Script, StageJson.ToElement(script), JobStatus.ForStage(StageName.Visuals));
        await CompleteAsync(store, jobId, StageName.Publish, StageJson.ToElement(new PublishOutput([new PublishedVideo("local", "file:///tmp/v.mp4", jobId.ToString())])), JobStatus.Published);

        using var response = await Send(host, $$$"""{"jobId":"{{{jobId}}}","generation":1,"due":"24h","publicAt":"2026-12-07T15:00:00Z"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var read = Assert.Single(await host.Get<IVideoMetricsStore>().ListAsync(jobId, CancellationToken.None));
        Assert.Equal(("24h", MetricsReadStatus.Read, "question", 321L), (read.Due, read.Status, read.HookKind, read.Stats!.Views));
        var row = Assert.Single(await host.Get<ISheetRegistry>().Open(sheetPath).ReadRowsAsync(CancellationToken.None));
        Assert.Equal(("321", "12", "48.5"), (row.Get(SheetContract.Views), row.Get(SheetContract.Likes), row.Get(SheetContract.AvgViewPercent)));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> Send(TestHost host, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, MetricsTasks.Path) { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);
        return host.Client.SendAsync(request);
    }

    private static async Task CompleteAsync(IJobStore store, Guid jobId, StageName stage, System.Text.Json.JsonElement output, string status)
    {
        await store.ClaimStageAsync(jobId, stage, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(jobId, stage, 1, output, [], status, $"{stage.Wire()} done"), CancellationToken.None);
    }

    private sealed class FixedReader(VideoStats stats) : IVideoStatsReader
    {
        public string Platform => "local";

        public Task<VideoStats> ReadAsync(MetricsReadRequest request, CancellationToken cancellationToken) => Task.FromResult(stats);
    }
}
