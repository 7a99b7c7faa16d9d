using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

public class FfmpegRendererTests(ITestOutputHelper output)
{
    private static FfmpegRenderer Renderer(IOptions<ViralForgeOptions> options) =>
        new(options, MediaTesting.Runner(options), TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);

    private static OutputProfile Profile(int width, int height) => OutputProfile.YouTubeShorts with { Width = width, Height = height };

    [Fact]
    public async Task A_clip_a_zooming_still_and_a_gradient_render_with_captions_watermark_ducked_music_and_loudness_at_target()
    {
        using var scratch = new TempFolder();
        // Quotes, commas, colons, brackets and a percent sign in the folder prove every path is escaped end to end.
        var folder = Path.Combine(scratch.Path, "it's, a:b [x]; 50%");
        Directory.CreateDirectory(folder);
        var options = MediaTesting.Options(540, 960);
        var runner = MediaTesting.Runner(options);
        var clip = Path.Combine(folder, "clip.mp4");
        var still = Path.Combine(folder, "still.png");
        var narration = Path.Combine(folder, "narration.wav");
        var music = Path.Combine(folder, "music.wav");
        await MediaTesting.MakeClipAsync(runner, clip, 640, 360, 1.0, "0x203040");
        await MediaTesting.MakeStillAsync(runner, still, 500, 700, "0x302020");
        await MediaTesting.MakeSpeechAsync(narration, "Cats sleep sixteen hours every day. Here is why that matters for you.");
        await MediaTesting.MakeMusicAsync(runner, music, 3.0);
        var narrationSeconds = (await runner.ProbeAsync(narration, CancellationToken.None)).DurationSeconds;
        List<WordTiming> words =
        [
            new("Cats", 0.2, 0.6), new("sleep", 0.7, 1.1), new("sixteen", 1.2, 1.6),
            new("hours.", 1.7, 2.1), new("Every", 2.2, 2.4), new("day.", 2.5, 2.9),
        ];
        var third = Math.Round((narrationSeconds + 0.6) / 3, 2) + 0.2;
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset>
            {
                ["clip"] = new(PlanAssetKind.Video, clip),
                ["still"] = new(PlanAssetKind.Image, still),
                ["voice"] = new(PlanAssetKind.Audio, narration),
                ["bed"] = new(PlanAssetKind.Audio, music),
            },
            Scenes =
            [
                new PlanScene { Visual = new PlanVisual { Asset = "clip" }, Duration = third },
                new PlanScene { Visual = new PlanVisual { Asset = "still" }, Duration = third, Motion = SceneMotion.ZoomIn, Transition = 0.3 },
                new PlanScene { Visual = new PlanVisual { Gradient = ["#102030", "#203010"] }, Duration = third, Transition = 0.3 },
            ],
            Captions = new PlanCaptions(words),
            Overlays = [new PlanOverlay { Text = "@viralforge", Position = OverlayPosition.TopRight, Opacity = 0.8 }],
            Audio = new PlanAudio { Narration = "voice", Music = new PlanMusic("bed", 0.3) },
            Output = Profile(540, 960),
        };
        var targets = new RenderTargets(Path.Combine(folder, "video.mp4"), Path.Combine(folder, "thumb.jpg"), Path.Combine(folder, "preview.mp4"));

        var stopwatch = Stopwatch.StartNew();
        var result = await Renderer(options).RenderAsync(plan, targets, CancellationToken.None);
        output.WriteLine($"Rendered {result.DurationSeconds:0.00} s at 540x960 in {stopwatch.ElapsedMilliseconds} ms; loudness {result.Loudness}");

        var expectedSeconds = Timeline.Of(plan.Scenes, 30).TotalSeconds;
        var probe = await runner.ProbeAsync(result.VideoPath, CancellationToken.None);
        Assert.Equal(("h264", "High", "yuv420p"), (probe.VideoCodec, probe.VideoProfile, probe.PixelFormat));
        Assert.Equal(("aac", 48000, 2), (probe.AudioCodec, probe.AudioSampleRate, probe.AudioChannels));
        Assert.Equal((540, 960), (probe.Width, probe.Height));
        Assert.InRange(probe.DurationSeconds, expectedSeconds - 0.1, expectedSeconds + 0.1);

        var thumbnail = await runner.ProbeAsync(targets.ThumbnailPath!, CancellationToken.None);
        Assert.Equal(("mjpeg", 270, 480), (thumbnail.VideoCodec, thumbnail.Width, thumbnail.Height));
        var preview = await runner.ProbeAsync(targets.PreviewPath!, CancellationToken.None);
        Assert.Equal(("h264", "aac", 180, 320), (preview.VideoCodec, preview.AudioCodec, preview.Width, preview.Height));
        Assert.InRange(preview.DurationSeconds, expectedSeconds - 0.1, expectedSeconds + 0.1); // shorter than the preview's 8 s, so all of it

        // Loudness checked independently of loudnorm, with ebur128 on the finished AAC track.
        var (lufs, truePeak) = await Ebur128.MeasureAsync(runner, result.VideoPath, CancellationToken.None);
        output.WriteLine($"ebur128: {lufs} LUFS, true peak {truePeak} dBTP");
        Assert.InRange(lufs, -15.0, -13.0);
        Assert.True(truePeak <= -1.0, $"True peak {truePeak} dBTP is above -1 dBTP.");

        // Nothing left behind but the inputs and the outputs: no partial file, no work folder.
        Assert.Equal(
            ["clip.mp4", "music.wav", "narration.wav", "preview.mp4", "still.png", "thumb.jpg", "video.mp4"],
            Directory.GetFileSystemEntries(folder).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));

        // At 0.9 s "Cats sleep sixteen" is on screen with "sleep" spoken: white caption pixels and the yellow highlight
        // in the caption band, above the bottom 22% the platforms cover.
        var (top, bottom) = ((int)(960 * 0.45), (int)(960 * 0.80));
        var speaking = await MediaTesting.FrameRgbAsync(runner, result.VideoPath, 0.9, scratch.Path);
        var white = MediaTesting.CountBrightPixels(speaking, 540, 0, top, 540, bottom, 230);
        var yellow = MediaTesting.CountPixels(speaking, 540, 0, top, 540, bottom, (r, g, b) => r > 200 && g > 200 && b < 90);
        var belowSafeArea = MediaTesting.CountBrightPixels(speaking, 540, 0, (int)(960 * 0.8), 540, 960, 230);
        var watermark = MediaTesting.CountBrightPixels(speaking, 540, 270, 0, 540, 960 / 8, 140);
        output.WriteLine($"caption white {white}, highlight {yellow}, below the safe area {belowSafeArea}, watermark {watermark}");
        Assert.True(white > 200, $"Only {white} near-white pixels in the caption band while a line is shown.");
        Assert.True(yellow > 100, $"Only {yellow} highlight-coloured pixels while a word is spoken.");
        Assert.Equal(0, belowSafeArea);
        Assert.True(watermark > 30, $"Only {watermark} light pixels where the watermark should be.");

        // After the last word the band holds no caption.
        var silent = await MediaTesting.FrameRgbAsync(runner, result.VideoPath, expectedSeconds - 0.2, scratch.Path);
        Assert.Equal(0, MediaTesting.CountPixels(silent, 540, 0, top, 540, bottom, (r, g, b) => r > 200 && g > 200 && b < 90));
    }

    [Fact]
    public async Task The_default_fast_encode_keeps_an_ssim_of_at_least_0_97_against_a_slow_reference_of_the_same_plan()
    {
        using var scratch = new TempFolder();
        var fast = MediaTesting.Options(540, 960);
        var slow = MediaTesting.Options(540, 960, m => (m.Preset, m.Crf) = ("slow", 16));
        var runner = MediaTesting.Runner(fast);
        var narration = Path.Combine(scratch.Path, "narration.wav");
        await MediaTesting.MakeSpeechAsync(narration, "Cats sleep sixteen hours.");
        // A detailed moving picture that is the same on every run (a gradient scene draws a random one each render).
        var clip = Path.Combine(scratch.Path, "clip.mp4");
        await runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "testsrc2=s=540x960:r=30:d=2.5", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "8", "-pix_fmt", "yuv420p", "-y", clip],
            CancellationToken.None);
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset> { ["voice"] = new(PlanAssetKind.Audio, narration), ["clip"] = new(PlanAssetKind.Video, clip) },
            Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "clip" }, Duration = 2.5 }],
            Captions = new PlanCaptions([new WordTiming("Cats", 0.1, 0.5), new WordTiming("sleep", 0.5, 1.0), new WordTiming("sixteen", 1.0, 1.6), new WordTiming("hours.", 1.6, 2.2)]),
            Overlays = [new PlanOverlay { Text = "@viralforge", Position = OverlayPosition.TopRight }],
            Audio = new PlanAudio { Narration = "voice" },
            Output = Profile(540, 960),
        };

        var result = await Renderer(fast).RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, "fast.mp4")), CancellationToken.None);
        var reference = await Renderer(slow).RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, "reference.mp4")), CancellationToken.None);

        // The default preset is chosen for speed because the platforms re-encode every upload; this is the bar it must keep.
        Assert.Equal("ultrafast", fast.Value.Media.Preset);
        var run = await runner.RunAsync(
            [.. FfmpegRunner.ReportingArguments, "-i", result.VideoPath, "-i", reference.VideoPath, "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"],
            CancellationToken.None);
        var all = run.StandardErrorTail[(run.StandardErrorTail.LastIndexOf("All:", StringComparison.Ordinal) + 4)..].Split(' ', 2)[0];
        var ssim = double.Parse(all, System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"SSIM of the default encode against x264 slow crf 16: {ssim:0.0000}");
        Assert.InRange(ssim, 0.97, 1.0);
    }

    [Fact]
    public async Task A_full_size_render_is_1080x1920_and_matches_the_timeline()
    {
        using var scratch = new TempFolder();
        var options = MediaTesting.Options(1080, 1920);
        var runner = MediaTesting.Runner(options);
        var narration = Path.Combine(scratch.Path, "narration.wav");
        await MediaTesting.MakeSpeechAsync(narration, "Three quick facts.");
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset> { ["voice"] = new(PlanAssetKind.Audio, narration) },
            Scenes =
            [
                new PlanScene { Visual = new PlanVisual { Color = "#223344" }, Duration = 1.0 },
                new PlanScene { Visual = new PlanVisual { Color = "#443322" }, Duration = 1.2 },
            ],
            Audio = new PlanAudio { Narration = "voice" },
        };

        var result = await Renderer(options).RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, "v.mp4")), CancellationToken.None);

        var probe = await runner.ProbeAsync(result.VideoPath, CancellationToken.None);
        Assert.Equal((1080, 1920, "h264", "aac"), (probe.Width, probe.Height, probe.VideoCodec, probe.AudioCodec));
        Assert.InRange(probe.DurationSeconds, 2.1, 2.3);
        Assert.Null(result.ThumbnailPath);
        Assert.Null(result.PreviewPath);
    }

    [Fact]
    public async Task Scenes_shorter_than_the_narration_are_refused_naming_the_scenes()
    {
        using var scratch = new TempFolder();
        var options = MediaTesting.Options(270, 480);
        var narration = Path.Combine(scratch.Path, "narration.wav");
        await MediaTesting.MakeToneAsync(MediaTesting.Runner(options), narration, 3.0);
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset> { ["voice"] = new(PlanAssetKind.Audio, narration) },
            Scenes = [new PlanScene { Visual = new PlanVisual { Color = "#000000" }, Duration = 2.0 }],
            Audio = new PlanAudio { Narration = "voice" },
            Output = Profile(270, 480),
        };

        var error = await Assert.ThrowsAsync<RenderPlanException>(() =>
            Renderer(options).RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, "out", "v.mp4")), CancellationToken.None));

        Assert.Equal(["scenes: they last 2 s but the narration (audio.narration) lasts 3 s; the scenes must cover the narration."], error.Problems);
        Assert.False(Directory.Exists(Path.Combine(scratch.Path, "out")));
    }

    [Fact]
    public async Task Missing_asset_files_are_named_before_ffmpeg_runs()
    {
        using var scratch = new TempFolder();
        var options = MediaTesting.Options(270, 480);
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset> { ["bg"] = new(PlanAssetKind.Video, Path.Combine(scratch.Path, "gone.mp4")) },
            Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "bg" }, Duration = 2.0 }],
            Output = Profile(270, 480),
        };

        var error = await Assert.ThrowsAsync<RenderPlanException>(() =>
            Renderer(options).RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, "v.mp4")), CancellationToken.None));

        Assert.Equal([$"assets.bg.path: the file '{Path.Combine(scratch.Path, "gone.mp4")}' does not exist."], error.Problems);
    }

    [Fact]
    public async Task A_silent_plan_renders_without_normalising_silence()
    {
        using var scratch = new TempFolder();
        var options = MediaTesting.Options(270, 480);
        var plan = new RenderPlan
        {
            Scenes = [new PlanScene { Visual = new PlanVisual { Color = "#000000" }, Duration = 1.0 }],
            Output = Profile(270, 480),
        };

        var result = await Renderer(options).RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, "v.mp4")), CancellationToken.None);

        Assert.Null(result.Loudness);
        Assert.InRange(result.DurationSeconds, 0.9, 1.1);
    }
}
