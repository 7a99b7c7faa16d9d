using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using ViralForge.Testing.Media;

namespace ViralForge.Adapters.Tests.Visuals;

/// <summary>
/// The visuals router per Visuals choice, with the real Pexels and Pixabay clients on WireMock serving small real MP4s,
/// the real ffmpeg generator for the fallback, and a fake video model.
/// </summary>
public sealed class VisualsRouterTests : IDisposable
{
    private const string PexelsSearch = "/videos/search";
    private const string PixabaySearch = "/api/videos/";

    private static readonly VisualsOptions Options = new() { MinLongSide = 640, FourKSide = 1000 };

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    private readonly InMemoryBlobStore blobs = new();
    private readonly InMemoryClipHistory history = new();
    private readonly FfmpegVisualsProvider generated;

    public VisualsRouterTests()
    {
        var media = MediaTesting.Options(360, 640);
        generated = new FfmpegVisualsProvider(media, MediaTesting.Runner(media));
        // Anything not set up below finds nothing.
        server.Given(Request.Create().WithPath(PexelsSearch).UsingGet()).AtPriority(100).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PexelsPage()));
        server.Given(Request.Create().WithPath(PixabaySearch).UsingGet()).AtPriority(100).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PixabayPage()));
    }

    [Fact]
    public async Task Stock_gives_each_beat_a_different_downloaded_real_clip_with_its_credit()
    {
        await ServeFilesAsync();
        AnswerPexels("ocean waves", "portrait", Video(1, 360, 640, 10), Video(2, 360, 640, 10), Video(3, 360, 640, 10));
        var router = Router(StockTesting.Pexels(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsStock, "ocean waves", "ocean waves", "ocean waves"), CancellationToken.None);

        Assert.Equal(["pexels:1", "pexels:2", "pexels:3"], clips.Select(c => $"{c.Credit!.Provider}:{c.Credit.ClipId}"));
        Assert.All(clips, c => Assert.Equal("stock", c.Kind));
        Assert.All(clips, c => Assert.Null(c.Note));
        Assert.Equal([folder.File("out/beat-01.mp4"), folder.File("out/beat-02.mp4"), folder.File("out/beat-03.mp4")], clips.Select(c => c.LocalPath));
        foreach (var clip in clips)
        {
            var (width, height, seconds) = await StockTesting.ProbeAsync(clip.LocalPath);
            Assert.Equal((360, 640), (width, height));
            Assert.InRange(seconds, 1.9, 2.1);
        }
        Assert.Equal([3.0, 4.0, 5.0], clips.Select(c => c.DurationSeconds));
        Assert.Equal("Jane 2", clips[1].Credit!.Author);
        // One search answered all three beats: the other two came from the cache.
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == PexelsSearch);
    }

    [Fact]
    public async Task A_beat_longer_than_its_clip_gets_a_second_shot_for_the_rest_instead_of_a_loop_and_both_are_credited()
    {
        await ServeFilesAsync();
        // Beats of 3, 4 and 5 s. Beat 2's clip lasts 3 s, only 1 s short of its beat: less than a shot, so it loops. Beat
        // 3's best clip lasts 2 s, 3 s short, so the next one (clip 4, before clip 5 in the site's order) fills the rest.
        AnswerPexels("ocean waves", "portrait", Video(1, 360, 640, 10), Video(2, 360, 640, 3), Video(3, 360, 640, 2), Video(4, 360, 640, 2), Video(5, 360, 640, 1));
        var router = Router(StockTesting.Pexels(server, blobs));
        var request = Ask(VideoChoices.VisualsStock, "ocean waves", "ocean waves", "ocean waves");

        var clips = await router.CreateAsync(request, CancellationToken.None);

        Assert.Equal(["pexels:1", "pexels:2", "pexels:3", "pexels:4"], clips.Select(c => $"{c.Credit!.Provider}:{c.Credit.ClipId}"));
        Assert.Equal([0, 1, 2, 2], clips.Select(c => c.BeatIndex));
        Assert.Equal([3.0, 4.0, 2.0, 3.0], clips.Select(c => c.DurationSeconds));
        Assert.Equal(folder.File("out/beat-03b.mp4"), clips[3].LocalPath);
        Assert.Equal((360, 640), (await StockTesting.ProbeAsync(clips[3].LocalPath)) is var (w, h, _) ? (w, h) : default);
        // The beats' shots together last the beats, so the video's timing is what the script planned.
        Assert.Equal(request.BeatSeconds, clips.GroupBy(c => c.BeatIndex).Select(g => g.Sum(c => c.DurationSeconds)));
    }

    [Fact]
    public async Task Clips_in_the_sheets_last_videos_are_skipped_while_others_exist()
    {
        await ServeFilesAsync();
        AnswerPexels("ocean waves", "portrait", Video(1, 360, 640, 10), Video(2, 360, 640, 10), Video(3, 360, 640, 10));
        history.Add("sheet-1", "pexels:1", "pixabay:9");
        history.Add("sheet-1", "pexels:2");
        var router = Router(StockTesting.Pexels(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsStock, "ocean waves", "ocean waves"), CancellationToken.None);

        // Clip 3 is fresh; then only recently shown ones are left, and one of them is used rather than nothing.
        Assert.Equal(["3", "1"], clips.Select(c => c.Credit!.ClipId));
    }

    [Fact]
    public async Task The_frames_orientation_is_searched_first_then_any_orientation_cropped_to_fill()
    {
        await ServeFilesAsync();
        AnswerPexels("city night", null, Video(5, 640, 360, 10));
        var router = Router(StockTesting.Pexels(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsStock, "city night"), CancellationToken.None);

        Assert.Equal("5", Assert.Single(clips).Credit!.ClipId);
        var searches = server.LogEntries.Where(e => e.RequestMessage.Path == PexelsSearch).Select(e => e.RequestMessage.Query!).ToList();
        Assert.Equal(2, searches.Count);
        Assert.Equal(["portrait"], searches[0]["orientation"]);
        Assert.False(searches[1].ContainsKey("orientation"));
        Assert.Equal((640, 360), (await StockTesting.ProbeAsync(clips[0].LocalPath)) is var (w, h, _) ? (w, h) : default);
    }

    [Fact]
    public async Task A_beat_nothing_matches_tries_simpler_queries_then_gets_a_generated_visual_with_a_note()
    {
        await ServeFilesAsync();
        AnswerPexels("ocean waves", "portrait", Video(1, 360, 640, 10));
        var router = Router(StockTesting.Pexels(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsStock, "ocean waves", "golden retriever puppy zoomies"), CancellationToken.None);

        Assert.Equal(["stock", "background"], clips.Select(c => c.Kind));
        Assert.Equal(1, clips[1].BeatIndex);
        Assert.Equal(folder.File("out/beat-02.mp4"), clips[1].LocalPath);
        Assert.Equal((360, 640), (await StockTesting.ProbeAsync(clips[1].LocalPath)) is var (w, h, _) ? (w, h) : default);
        Assert.Equal("Beat 2: no stock footage on pexels matched \"golden retriever puppy zoomies\" or \"golden retriever\" or \"dog tricks\"; a generated visual instead.", clips[1].Note);
        var queries = server.LogEntries.Where(e => e.RequestMessage.Path == PexelsSearch).Select(e => e.RequestMessage.Query!["query"].Single()).Distinct().ToList();
        Assert.Equal(["ocean waves", "golden retriever puppy zoomies", "golden retriever", "dog tricks"], queries);
        Assert.Equal(["beat-01.mp4", "beat-02.mp4"], Directory.GetFiles(folder.File("out")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_regenerate_with_feedback_searches_for_what_the_reviewer_asked_to_see()
    {
        await ServeFilesAsync();
        AnswerPexels("the beach", "portrait", Video(8, 360, 640, 10));
        var router = Router(StockTesting.Pexels(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsStock, "ocean waves") with { Feedback = ReviewerFeedback.Parse("Show the beach, please") }, CancellationToken.None);

        Assert.Equal("8", Assert.Single(clips).Credit!.ClipId);
        Assert.Equal(["the beach"], server.LogEntries.First(e => e.RequestMessage.Path == PexelsSearch).RequestMessage.Query!["query"]);
    }

    [Fact]
    public async Task A_failing_site_is_skipped_for_the_next_one_in_order()
    {
        await ServeFilesAsync();
        server.Given(Request.Create().WithPath(PexelsSearch).UsingGet()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        server.Given(Request.Create().WithPath(PixabaySearch).WithParam("q", "forest").UsingGet()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody(StockTesting.PixabayPage(StockTesting.PixabayHit(77, 10, "Bo", null, ($"{server.Urls[0]}/files/portrait.mp4", 360, 640)))));
        var router = Router(StockTesting.Pexels(server, blobs, configure: o => o.MaxRetries = 0), StockTesting.Pixabay(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsStock, "forest"), CancellationToken.None);

        Assert.Equal(("pixabay", "77", "Bo"), (clips[0].Credit!.Provider, clips[0].Credit!.ClipId, clips[0].Credit!.Author));
        Assert.Equal((360, 640), (await StockTesting.ProbeAsync(clips[0].LocalPath)) is var (w, h, _) ? (w, h) : default);
    }

    [Fact]
    public async Task When_no_site_answers_at_all_the_attempt_fails_for_the_queue_to_retry()
    {
        server.Given(Request.Create().WithPath(PexelsSearch).UsingGet()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        server.Given(Request.Create().WithPath(PixabaySearch).UsingGet()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(429)
            .WithHeader("cf-mitigated", "challenge").WithHeader("Content-Type", "text/html").WithBody("<html>Just a moment...</html>"));
        var router = Router(StockTesting.Pexels(server, blobs, configure: o => o.MaxRetries = 0), StockTesting.Pixabay(server, blobs));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => router.CreateAsync(Ask(VideoChoices.VisualsStock, "forest"), CancellationToken.None));

        Assert.Equal("Pexels answered 503: down", error.Message);
        Assert.IsNotType<PermanentStageException>(error);
    }

    [Fact]
    public async Task Ai_makes_every_beat_with_the_model_and_a_refused_beat_falls_back_to_stock_with_a_note()
    {
        await ServeFilesAsync();
        AnswerPexels("rocket launch", "portrait", Video(4, 360, 640, 10));
        var model = new FakeVideoGenerator(refuseBeats: [2]);
        var router = Router([StockTesting.Pexels(server, blobs)], model);

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsAi, "mars base", "rocket launch"), CancellationToken.None);

        Assert.Equal(["ai", "stock"], clips.Select(c => c.Kind));
        Assert.Equal(("runway", "task-1"), (clips[0].Credit!.Provider, clips[0].Credit!.ClipId));
        Assert.Null(clips[0].Note);
        Assert.Equal("Beat 2: runway did not make the clip: the prompt was moderated; stock footage instead.", clips[1].Note);
        Assert.Equal("4", clips[1].Credit!.ClipId);
        Assert.Equal(["ai-beat-1", "ai-beat-2"], model.Prompts.Select(p => p.Work.Call).Order());
        var first = model.Prompts.Single(p => p.Work.Call == "ai-beat-1");
        Assert.Equal(("mars base. Narration 1.", VideoChoices.Vertical, 3.0, StageName.Visuals, 2), (first.Prompt, first.Format, first.Seconds, first.Work.Stage, first.Work.Generation));
        Assert.Equal((360, 640), (await StockTesting.ProbeAsync(clips[0].LocalPath)) is var (w, h, _) ? (w, h) : default);
    }

    [Fact]
    public async Task Mixed_asks_the_model_for_the_hooks_beat_only_and_stock_for_the_rest()
    {
        await ServeFilesAsync();
        AnswerPexels("coffee", "portrait", Video(11, 360, 640, 10), Video(12, 360, 640, 10));
        var model = new FakeVideoGenerator();
        var router = Router([StockTesting.Pexels(server, blobs)], model);

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsMixed, "coffee", "coffee", "coffee"), CancellationToken.None);

        Assert.Equal(["ai", "stock", "stock"], clips.Select(c => c.Kind));
        Assert.Equal(["ai-beat-1"], model.Prompts.Select(p => p.Work.Call));
        Assert.Equal(["11", "12"], clips.Skip(1).Select(c => c.Credit!.ClipId));
    }

    [Fact]
    public async Task A_generation_still_running_is_thrown_on_so_the_stage_is_delivered_again()
    {
        var router = Router([StockTesting.Pexels(server, blobs)], new FakeVideoGenerator(stillRunning: true));

        var error = await Assert.ThrowsAsync<WorkStillRunningException>(() => router.CreateAsync(Ask(VideoChoices.VisualsAi, "mars base"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Theory]
    [InlineData(VideoChoices.VisualsStock, "Visuals stock needs Pexels:ApiKey or Pixabay:ApiKey; set one, or use Visuals generated.")]
    [InlineData(VideoChoices.VisualsAi, "Visuals ai needs a video model: set Runway:ApiKey or Veo:Project, or use Visuals stock or generated.")]
    public async Task A_row_asking_for_a_source_that_is_not_configured_fails_naming_the_setting(string visuals, string message)
    {
        var router = Router();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => router.CreateAsync(Ask(visuals, "sea"), CancellationToken.None));

        Assert.Equal(message, error.Message);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task Generated_asks_no_site_and_makes_the_offline_visuals()
    {
        var router = Router(StockTesting.Pexels(server, blobs));

        var clips = await router.CreateAsync(Ask(VideoChoices.VisualsGenerated, "sea", "sky"), CancellationToken.None);

        Assert.Equal(["background", "background"], clips.Select(c => c.Kind));
        Assert.All(clips, c => Assert.True(File.Exists(c.LocalPath)));
        Assert.Empty(server.LogEntries);
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private VisualsRouter Router(params IStockFootageSource[] sources) => Router(sources, null);

    private VisualsRouter Router(IStockFootageSource[] sources, IVideoGenerator? model) =>
        new(generated, sources, model is null ? [] : [model], Microsoft.Extensions.Options.Options.Create(Options), history);

    private VisualsRequest Ask(string visuals, params string[] queries)
    {
        var beats = queries.Select((q, i) => new ScriptBeat($"Narration {i + 1}.", $"Card {i + 1}", q)).ToList();
        var script = new VideoScript("Dog tricks", "Hook.", beats, "Follow.", "Description.", [], 150, 20);
        return new VisualsRequest(Guid.NewGuid(), script, [.. queries.Select((_, i) => 3.0 + i)], "clean", folder.File("out"),
            VideoChoices.Vertical, null, visuals, "sheet-1", "en", Generation: 2, Topic: "dog tricks");
    }

    /// <summary>Pexels answers the query (and orientation, or any) with the videos; other searches find nothing.</summary>
    private void AnswerPexels(string query, string? orientation, params JsonObject[] videos)
    {
        var request = Request.Create().WithPath(PexelsSearch).WithParam("query", query).UsingGet();
        if (orientation is not null)
        {
            request = request.WithParam("orientation", orientation);
        }
        server.Given(request).AtPriority(orientation is null ? 2 : 1).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PexelsPage(videos)));
    }

    private JsonObject Video(long id, int width, int height, double seconds) =>
        StockTesting.PexelsVideo(id, width, height, seconds, $"Jane {id}",
            ("hls", null, null, $"{server.Urls[0]}/files/{id}.m3u8"),
            (width > height ? "sd" : "hd", width, height, $"{server.Urls[0]}/files/{(width > height ? "landscape" : "portrait")}.mp4"));

    private async Task ServeFilesAsync()
    {
        server.Given(Request.Create().WithPath("/files/portrait.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "video/mp4").WithBody(await StockTesting.Mp4Async(360, 640)));
        server.Given(Request.Create().WithPath("/files/landscape.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "video/mp4").WithBody(await StockTesting.Mp4Async(640, 360)));
    }

    /// <summary>A video model that copies a real small MP4, refuses some beats, or is still running.</summary>
    private sealed class FakeVideoGenerator(int[]? refuseBeats = null, bool stillRunning = false) : IVideoGenerator
    {
        public System.Collections.Concurrent.ConcurrentBag<VideoPrompt> Prompts { get; } = [];

        public string Name => "runway";

        public async Task<GeneratedVideo> GenerateAsync(VideoPrompt prompt, string outputPath, CancellationToken cancellationToken)
        {
            Prompts.Add(prompt);
            if (stillRunning)
            {
                throw new WorkStillRunningException("runway task task-1 is still running", TimeSpan.FromSeconds(30));
            }
            var beat = int.Parse(prompt.Work.Call["ai-beat-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (refuseBeats?.Contains(beat) == true)
            {
                throw new VideoGenerationFailedException("runway", "the prompt was moderated");
            }
            await File.WriteAllBytesAsync(outputPath, await StockTesting.Mp4Async(360, 640), cancellationToken);
            return new GeneratedVideo(outputPath, 2, new ClipCredit("runway", $"task-{beat}", "Runway", null, "", "Runway terms"));
        }
    }
}
