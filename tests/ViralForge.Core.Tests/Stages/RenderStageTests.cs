using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Stages;

public class RenderStageTests
{
    private static double Length(IReadOnlyList<PlanScene> scenes) => scenes.Sum(s => s.Duration) - scenes.Sum(s => s.Transition);

    [Fact]
    public void Beats_are_stretched_so_the_faded_timeline_lasts_exactly_the_narration_and_its_tail()
    {
        var scenes = RenderStage.Scenes([3.0, 4.0, 5.0], 13.1);

        Assert.Equal(13.1, Length(scenes), 2);
        Assert.Equal([0, RenderStage.TransitionSeconds, RenderStage.TransitionSeconds], scenes.Select(s => s.Transition));
        Assert.Equal(["beat-1", "beat-2", "beat-3"], scenes.Select(s => s.Visual.Asset));
        // The planned proportions survive the stretch.
        Assert.Equal(3.0 / 5.0, scenes[0].Duration / scenes[2].Duration, 2);
    }

    [Fact]
    public void A_beat_too_short_to_fade_into_is_a_cut_and_the_length_still_matches()
    {
        var scenes = RenderStage.Scenes([4.0, 0.1, 4.0], 8.0);

        Assert.Equal(0, scenes[1].Transition);
        Assert.Equal(8.0, Length(scenes), 2);
    }

    [Fact]
    public void One_beat_has_no_fade()
    {
        var scenes = RenderStage.Scenes([2.0], 6.5);

        Assert.Equal(6.5, Assert.Single(scenes).Duration, 3);
        Assert.Equal(0, scenes[0].Transition);
    }

    [Theory]
    [InlineData(Platforms.YouTube, "youtube-shorts", 180)]
    [InlineData(Platforms.TikTok, "tiktok", 600)]
    [InlineData(Platforms.Both, "youtube-shorts+tiktok", 180)]
    public void One_profile_serves_every_target_platform(Platforms platforms, string name, double maxSeconds)
    {
        var profile = OutputProfile.For(platforms, new MediaOptions { Width = 720, Height = 1280 });

        Assert.Equal((name, maxSeconds, 720, 1280), (profile.Name, profile.MaxSeconds, profile.Width, profile.Height));
    }

    [Theory]
    [InlineData(VideoChoices.Vertical, Platforms.YouTube, "youtube-shorts", 1080, 1920, 180)]
    [InlineData(VideoChoices.Square, Platforms.YouTube, "youtube-shorts (square 1:1)", 1080, 1080, 180)]
    [InlineData(VideoChoices.Landscape, Platforms.YouTube, "youtube-long-form (landscape 16:9)", 1920, 1080, 900)]
    [InlineData(VideoChoices.Landscape, Platforms.Both, "youtube-long-form+tiktok (landscape 16:9)", 1920, 1080, 600)]
    public void The_rows_format_sets_the_frame_from_the_configured_long_side_and_a_landscape_video_is_no_short(
        string format, Platforms platforms, string name, int width, int height, double maxSeconds)
    {
        var profile = OutputProfile.For(platforms, new MediaOptions(), format);

        Assert.Equal((name, width, height, maxSeconds), (profile.Name, profile.Width, profile.Height, profile.MaxSeconds));
    }

    [Theory]
    [InlineData("brand/logo.png", "brand/logo.png")]
    [InlineData("gs://my-bucket/brand/logo.png", "brand/logo.png")]
    [InlineData(" GS://b/music/theme.mp3 ", "music/theme.mp3")]
    public void A_cell_names_its_blob_by_key_or_by_gs_url(string cell, string key) =>
        Assert.Equal(key, RenderStage.BlobKeyOf(cell));

    [Fact]
    public async Task The_plan_follows_the_rows_choices()
    {
        var blobs = new InMemoryBlobStore();
        blobs.Put("brand/logo.png", [1, 2, 3]);
        blobs.Put("music/theme.mp3", [4, 5, 6]);
        var request = CoreHarness.Request() with { Format = VideoChoices.Landscape, CaptionStyle = "minimal", Music = "music/theme.mp3", Watermark = "gs://bucket/brand/logo.png" };

        var work = await PlanAsync(request, blobs);

        Assert.Equal((1920, 1080), (work.Plan.Output.Width, work.Plan.Output.Height));
        Assert.Equal("minimal", work.Plan.Captions!.Style);
        Assert.Equal("music/theme.mp3", work.Inputs[work.Plan.Assets[work.Plan.Audio.Music!.Asset].Path]);
        var logo = Assert.Single(work.Plan.Overlays);
        Assert.Equal((PlanAssetKind.Image, "brand/logo.png"), (work.Plan.Assets[logo.Asset!].Kind, work.Inputs[work.Plan.Assets[logo.Asset!].Path]));
        // A fifth of the short side: 216 px of 1920.
        Assert.Equal(216.0 / 1920, logo.Width, 3);
        Assert.Null(work.MusicBeds);
    }

    [Fact]
    public async Task A_mood_is_made_by_the_renderer_and_none_has_no_music_track()
    {
        var upbeat = await PlanAsync(CoreHarness.Request() with { Music = "Upbeat" }, new InMemoryBlobStore());
        var none = await PlanAsync(CoreHarness.Request() with { Music = VideoChoices.MusicNone }, new InMemoryBlobStore());

        // The bed is no blob: the renderer synthesises it where it runs, so the request names the mood, not a path.
        Assert.Equal(new Dictionary<string, string> { ["music-upbeat.wav"] = "upbeat" }, upbeat.MusicBeds);
        Assert.Equal("music-upbeat.wav", upbeat.Plan.Assets[upbeat.Plan.Audio.Music!.Asset].Path);
        Assert.DoesNotContain("music-upbeat.wav", upbeat.Inputs.Keys);
        Assert.Null(none.Plan.Audio.Music);
        Assert.Null(none.MusicBeds);
        Assert.DoesNotContain("music", none.Plan.Assets.Keys);
    }

    [Fact]
    public async Task The_render_request_carries_the_mood_to_the_render_job()
    {
        var work = await PlanAsync(CoreHarness.Request() with { Music = "dramatic" }, new InMemoryBlobStore());

        var stored = System.Text.Json.JsonSerializer.Deserialize(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(work, CoreJson.Default.RenderWork), CoreJson.Default.RenderWork)!;

        Assert.Equal(new Dictionary<string, string> { ["music-dramatic.wav"] = "dramatic" }, stored.MusicBeds);
    }

    [Theory]
    [InlineData(VideoChoices.WatermarkOn, "ViralForge")]
    [InlineData(VideoChoices.WatermarkOff, null)]
    public async Task Watermark_on_draws_the_configured_text_and_off_draws_nothing(string watermark, string? text)
    {
        var work = await PlanAsync(CoreHarness.Request() with { Watermark = watermark }, new InMemoryBlobStore());

        Assert.Equal(text, work.Plan.Overlays.SingleOrDefault()?.Text);
    }

    [Fact]
    public async Task A_missing_watermark_image_fails_the_job_naming_the_key_and_the_fix()
    {
        var request = CoreHarness.Request() with { Watermark = "gs://bucket/brand/logo.png" };

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => PlanAsync(request, new InMemoryBlobStore()));

        Assert.StartsWith("Watermark image 'gs://bucket/brand/logo.png' is not in the blob store (key brand/logo.png): put the file at ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("brand/logo.png, or set the Watermark cell to on or off.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_beat_of_two_shots_becomes_two_scenes_in_order_and_the_timeline_still_lasts_the_narration()
    {
        // Beat 2 (index 1) is two stock shots of 2 s and 3 s: the visuals stage stores them in that order after beat 1.
        var clips = new[]
        {
            new StoredClip(0, "jobs/x/visuals/g1/beat-01.mp4", 4, "stock"),
            new StoredClip(1, "jobs/x/visuals/g1/beat-02.mp4", 2, "stock"),
            new StoredClip(1, "jobs/x/visuals/g1/beat-02b.mp4", 3, "stock"),
            new StoredClip(2, "jobs/x/visuals/g1/beat-03.mp4", 4, "stock"),
        };

        var work = await PlanAsync(CoreHarness.Request(), new InMemoryBlobStore(), clips, narrationSeconds: 12.5);

        Assert.Equal(
            ["jobs/x/visuals/g1/beat-01.mp4", "jobs/x/visuals/g1/beat-02.mp4", "jobs/x/visuals/g1/beat-02b.mp4", "jobs/x/visuals/g1/beat-03.mp4"],
            work.Plan.Scenes.Select(scene => work.Inputs[work.Plan.Assets[scene.Visual.Asset!].Path]));
        // Each shot keeps its share: 2 s against 3 s within the beat, as the clips said.
        Assert.Equal(1.5, work.Plan.Scenes[2].Duration / work.Plan.Scenes[1].Duration, 2);
        var timeline = work.Plan.Scenes.Sum(scene => scene.Duration) - work.Plan.Scenes.Skip(1).Sum(scene => scene.Transition);
        Assert.Equal(12.5 + RenderStage.TailSeconds, timeline, 3);
    }

    private static async Task<RenderWork> PlanAsync(VideoRequest request, InMemoryBlobStore blobs, IReadOnlyList<StoredClip>? clips = null, double narrationSeconds = 2.5)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var store = new InMemoryJobStore(time);
        var job = (await store.SubmitAsync("memory:ideas", $"hash-{Guid.NewGuid():N}", request, CancellationToken.None)).Job;
        await StageOutputsForTests.CompleteAsync(store, job, StageName.Visuals, new VisualsOutput(clips ?? [new StoredClip(0, "jobs/x/visuals/g1/beat-01.mp4", 3)]));
        await StageOutputsForTests.CompleteAsync(store, job, StageName.Voice, new VoiceOutput("jobs/x/voice/g1/narration.wav", narrationSeconds, "default", "en", [new WordTiming("hi", 0, 0.3)]));
        var stage = new RenderStage(new NoRenderer(), Microsoft.Extensions.Options.Options.Create(new ViralForgeOptions()));
        return await stage.PlanAsync(new StageContext(job, StageName.Render, 1, Path.GetTempPath(), store, blobs), CancellationToken.None);
    }

    private sealed class NoRenderer : IRenderer
    {
        public Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Only the plan is under test.");
    }
}

/// <summary>Stage outputs stored as the runner stores them, for tests that run one stage on its own.</summary>
internal static class StageOutputsForTests
{
    public static async Task CompleteAsync<T>(InMemoryJobStore store, Job job, StageName stage, T output, int generation = 1)
    {
        await store.ClaimStageAsync(job.Id, stage, generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(
            new StageCompletion(job.Id, stage, generation, StageJson.ToElement(output), [], JobStatus.ForStage(StageOrder.Next(stage) ?? stage), stage.Wire()),
            CancellationToken.None);
    }
}
