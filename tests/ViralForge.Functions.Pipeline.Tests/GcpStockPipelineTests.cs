using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Functions.Tests.Simulated;
using ViralForge.Render;
using ViralForge.RenderJob;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Functions.Tests;

/// <summary>
/// A row asking for stock footage through the whole gcp-profile pipeline: Pexels played by WireMock serving real
/// clips of mixed shapes and frame rates, downloaded into Cloud Storage, rendered by the render job and published.
/// </summary>
public sealed class GcpStockPipelineTests(ITestOutputHelper output)
{
    private const string SpreadsheetId = "1StockFootageSheet0000000000000000000000000";
    private const string Tab = "Stock";
    private const string PexelsKey = "pexels-pipeline-key-0123456789abcdef";

    [Fact]
    public async Task A_stock_row_is_rendered_from_downloaded_stock_clips_with_their_credits()
    {
        using var google = new SimulatedGoogleCloud();
        google.AddSheet(SpreadsheetId, Tab,
        [
            ["Topic", "Platform", "Duration", SheetContract.Visuals],
            ["Morning coffee rituals", "youtube", "30", "stock"],
        ]);
        using var scratch = new TempFolder();
        using var pexels = WireMockServer.Start();
        await ServeStockAsync(pexels, scratch);
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = GcpPipelineSettings.For(google, url, scratch.Path);
        settings["Pexels:ApiKey"] = PexelsKey;
        settings["Pexels:BaseUrl"] = pexels.Urls[0] + "/";
        // Every clip counts as sharp here, so the site's order (portrait, landscape, portrait...) decides and both shapes are used.
        settings["Visuals:MinLongSide"] = "144";
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
        var intake = await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None);
        var id = Assert.Single(intake, r => r.JobId is not null).JobId!.Value;
        var store = host.Get<IJobStore>();
        Job job;
        try
        {
            job = Assert.Single(await host.WaitForJobsAsync([id], j => j.IsTerminal, TimeSpan.FromMinutes(3)));
        }
        finally
        {
            foreach (var e in await store.ListEventsAsync(id, CancellationToken.None))
            {
                output.WriteLine($"{e.Kind} {e.Stage} {e.Message}");
            }
            await delivery.CancelAsync();
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliverer);

        Assert.Equal(JobStatus.Published, job.Status);
        var run = await store.GetLatestCompletedAsync(id, StageName.Visuals, 10, CancellationToken.None);
        var visuals = StageJson.FromElement<VisualsOutput>(run!.Output!.Value);
        Assert.True(visuals.Clips.Count >= 2, $"{visuals.Clips.Count} beats");
        Assert.All(visuals.Clips, c => Assert.Equal("stock", c.Kind));
        // Both shapes (and frame rates) of clip went into the one video.
        Assert.Contains(pexels.LogEntries, e => e.RequestMessage.Path == "/files/portrait.mp4");
        Assert.Contains(pexels.LogEntries, e => e.RequestMessage.Path == "/files/landscape.mp4");
        // No clip twice in the video, each credited, each file in Cloud Storage (never a link to Pexels).
        Assert.Equal(visuals.Clips.Count, visuals.Credits().Count);
        Assert.All(visuals.Credits(), c => Assert.Equal(("pexels", "Pexels License, https://www.pexels.com/license/"), (c.Provider, c.Licence)));
        Assert.All(visuals.Clips, c => Assert.Contains($"vf-test-bucket/{c.BlobKey}", google.Objects.Keys));
        Assert.Contains(google.Objects.Keys, k => k.StartsWith($"vf-test-bucket/jobs/{id:N}/render/", StringComparison.Ordinal) && k.EndsWith("video.mp4", StringComparison.Ordinal));
        var searches = pexels.LogEntries.Where(e => e.RequestMessage.Path == "/videos/search").ToList();
        Assert.NotEmpty(searches);
        Assert.All(searches, e => Assert.Equal(PexelsKey, e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Contains(google.Objects.Keys, k => k.StartsWith("vf-test-bucket/cache/stock/pexels/", StringComparison.Ordinal));
        output.WriteLine(string.Join(Environment.NewLine, visuals.Credits().Select(c => c.Line())));

        // The published description credits every clip, as Pexels asks.
        var manifest = Directory.GetFiles(scratch.Path, "manifest.json", SearchOption.AllDirectories).Single();
        var description = JsonNode.Parse(await File.ReadAllTextAsync(manifest))!["description"]!.GetValue<string>();
        Assert.All(visuals.Credits(), c => Assert.Contains(c.Line(), description, StringComparison.Ordinal));

        // A frame a second into the video, for a person to look at (the closing note shows one).
        var video = google.Objects.Single(o => o.Key.StartsWith($"vf-test-bucket/jobs/{id:N}/render/", StringComparison.Ordinal) && o.Key.EndsWith("video.mp4", StringComparison.Ordinal));
        var videoPath = scratch.File("rendered.mp4");
        await File.WriteAllBytesAsync(videoPath, video.Value);
        var frame = Path.Combine(Path.GetTempPath(), "vf-stock-frames", $"{id:N}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(frame)!);
        await MediaTesting.Runner(MediaTesting.Options(360, 640)).RunAsync(
            [.. FfmpegRunner.CommonArguments, "-ss", "1", "-i", videoPath, "-frames:v", "1", "-y", frame], CancellationToken.None);
        Assert.True(new FileInfo(frame).Length > 0);
        output.WriteLine($"frame: {frame}");
    }

    /// <summary>Pexels answers every search with clips of two shapes and frame rates, one shorter than its beat.</summary>
    private static async Task ServeStockAsync(WireMockServer pexels, TempFolder scratch)
    {
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        var portrait = scratch.File("portrait.mp4");
        var landscape = scratch.File("landscape.mp4");
        await runner.RunAsync([.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "testsrc=size=360x640:rate=25:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p", "-y", portrait], CancellationToken.None);
        await runner.RunAsync([.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "testsrc2=size=480x270:rate=30:duration=1",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p", "-y", landscape], CancellationToken.None);
        pexels.Given(Request.Create().WithPath("/files/portrait.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "video/mp4").WithBody(await File.ReadAllBytesAsync(portrait)));
        pexels.Given(Request.Create().WithPath("/files/landscape.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "video/mp4").WithBody(await File.ReadAllBytesAsync(landscape)));
        var videos = new JsonArray();
        for (var i = 0; i < 8; i++)
        {
            // The landscape file lasts 1 s although Pexels says 10: the renderer loops a clip shorter than its beat.
            var (width, height, file, seconds) = i % 2 == 0 ? (360, 640, "portrait", 10) : (480, 270, "landscape", 10);
            videos.Add(new JsonObject
            {
                ["id"] = 900 + i,
                ["width"] = width,
                ["height"] = height,
                ["url"] = $"https://www.pexels.com/video/coffee-{900 + i}/",
                ["duration"] = seconds,
                ["user"] = new JsonObject { ["id"] = i, ["name"] = $"Maker {i}", ["url"] = $"https://www.pexels.com/@maker{i}" },
                ["video_files"] = new JsonArray(
                    new JsonObject { ["id"] = 1, ["quality"] = "hls", ["file_type"] = "video/mp4", ["width"] = null, ["height"] = null, ["fps"] = null, ["link"] = $"{pexels.Urls[0]}/files/{i}.m3u8" },
                    new JsonObject { ["id"] = 2, ["quality"] = "sd", ["file_type"] = "video/mp4", ["width"] = width, ["height"] = height, ["fps"] = i % 2 == 0 ? 25 : 30, ["link"] = $"{pexels.Urls[0]}/files/{file}.mp4" }),
            });
        }
        var page = new JsonObject { ["page"] = 1, ["per_page"] = 40, ["total_results"] = 8, ["videos"] = videos }.ToJsonString();
        pexels.Given(Request.Create().WithPath("/videos/search").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(page));
    }


}
