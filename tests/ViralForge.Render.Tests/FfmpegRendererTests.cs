using ViralForge.Testing;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

public class FfmpegRendererTests(ITestOutputHelper output)
{
    private static readonly RenderFiles Files = new("/media/work/captions.ass", "/media/work/watermark.txt", "/media/out/.video.mp4.partial.mp4");

    private static FfmpegRenderer Renderer(IOptions<ViralForgeOptions> options) =>
        new(options, MediaTesting.Runner(options), TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);

    private static RenderRequest TwoScenes(double narrationSeconds = 4.0) => new(
        [new RenderScene("/media/in/scene-1.mp4", 2.0), new RenderScene("/media/in/scene-2.png", 1.5)],
        "/media/in/narration.wav",
        narrationSeconds,
        [new WordTiming("Hello", 0.1, 0.5), new WordTiming("world.", 0.6, 1.0)],
        "ViralForge",
        "/media/out/video.mp4");

    [Fact]
    public void A_two_scene_request_becomes_exactly_these_arguments()
    {
        var arguments = Renderer(MediaTesting.Options(1080, 1920)).BuildArguments(TwoScenes(), Files);

        // Narration 4 s + 0.5 s tail = 4.5 s; the scenes make 3.5 s, so the still (the last scene) stretches to 2.5 s.
        var graph =
            "[0:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,"
            + "tpad=stop_mode=clone:stop_duration=2,trim=duration=2,setpts=PTS-STARTPTS[v0];"
            + "[1:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,"
            + "tpad=stop_mode=clone:stop_duration=2.5,trim=duration=2.5,setpts=PTS-STARTPTS[v1];"
            + "[v0][v1]concat=n=2:v=1:a=0[scenes];"
            + "[scenes]ass=filename=/media/work/captions.ass:fontsdir=/usr/share/fonts/truetype/dejavu,"
            + "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:textfile=/media/work/watermark.txt:"
            + "expansion=none:fontsize=50:fontcolor=white@0.6:borderw=2:bordercolor=black@0.35:x=w-tw-43:y=43,"
            + "format=yuv420p[vout];"
            + "[2:a]apad,atrim=duration=4.5,asetpts=PTS-STARTPTS,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout]";
        string[] expected =
        [
            "-hide_banner", "-nostdin", "-loglevel", "warning",
            "-protocol_whitelist", "file", "-t", "2", "-i", "/media/in/scene-1.mp4",
            "-protocol_whitelist", "file", "-f", "image2", "-pattern_type", "none", "-loop", "1", "-framerate", "30", "-t", "2.5", "-i", "/media/in/scene-2.png",
            "-protocol_whitelist", "file", "-i", "/media/in/narration.wav",
            "-filter_complex", graph,
            "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart",
            "-t", "4.5",
            "-f", "mp4", "-y", "/media/out/.video.mp4.partial.mp4",
        ];
        Assert.Equal(expected, arguments);
    }

    [Fact]
    public void Scenes_longer_than_the_narration_set_the_length_and_none_is_stretched()
    {
        var request = TwoScenes(narrationSeconds: 2.0);

        Assert.Equal(3.5, FfmpegRenderer.TotalSeconds(request));
        Assert.Equal([2.0, 1.5], FfmpegRenderer.SceneSeconds(request));
    }

    [Fact]
    public void Paths_are_escaped_for_the_filtergraph()
    {
        var files = Files with { CaptionsPath = "/media/it's, a:test [x];/captions.ass" };

        var arguments = Renderer(MediaTesting.Options(1080, 1920)).BuildArguments(TwoScenes(), files);
        var graph = arguments[arguments.ToList().IndexOf("-filter_complex") + 1];

        Assert.Contains(@"ass=filename=/media/it\\\'s\, a\\:test \[x\]\;/captions.ass:fontsdir=", graph, StringComparison.Ordinal);
    }

    [Fact]
    public void Filtergraph_values_are_escaped_for_the_option_parser_then_the_graph_parser()
    {
        Assert.Equal(@"a\\:b\\\'c\\\\d\,e\[f\]\;g", FilterGraph.Value(@"a:b'c\d,e[f];g"));
        Assert.Equal("if(lt(t\\,1)\\,t\\,1)", FilterGraph.Value("if(lt(t,1),t,1)"));
    }

    [Fact]
    public void An_empty_watermark_draws_no_text()
    {
        var arguments = Renderer(MediaTesting.Options(1080, 1920)).BuildArguments(TwoScenes() with { WatermarkText = "  " }, Files);

        Assert.DoesNotContain(arguments, a => a.Contains("drawtext", StringComparison.Ordinal));
    }

    [Fact]
    public void A_request_without_scenes_is_rejected_by_name()
    {
        var error = Assert.Throws<RenderRequestException>(() =>
            Renderer(MediaTesting.Options(1080, 1920)).BuildArguments(TwoScenes() with { Scenes = [] }, Files));

        Assert.Equal(["It has no scenes; at least one is needed."], error.Problems);
    }

    [Fact]
    public void Non_positive_durations_and_a_missing_narration_are_each_named()
    {
        var request = TwoScenes() with
        {
            Scenes = [new RenderScene("/media/in/scene-1.mp4", 0), new RenderScene("/media/in/scene-2.png", double.NaN)],
            NarrationPath = "",
            NarrationSeconds = -1,
        };

        var error = Assert.Throws<RenderRequestException>(() => Renderer(MediaTesting.Options(1080, 1920)).BuildArguments(request, Files));

        Assert.Equal(
            [
                "Scene 1's duration is 0 s; it must be a positive number of seconds.",
                "Scene 2's duration is NaN s; it must be a positive number of seconds.",
                "It has no narration file.",
                "The narration's duration is -1 s; it must be a positive number of seconds.",
            ],
            error.Problems);
    }

    [Fact]
    public async Task Missing_files_are_named_before_ffmpeg_runs()
    {
        using var scratch = new TempFolder();
        var request = TwoScenes() with { OutputPath = scratch.File("video.mp4") };

        var error = await Assert.ThrowsAsync<RenderRequestException>(() =>
            Renderer(MediaTesting.Options(1080, 1920)).RenderAsync(request, CancellationToken.None));

        Assert.Equal(
            [
                "Scene 1's file '/media/in/scene-1.mp4' does not exist.",
                "Scene 2's file '/media/in/scene-2.png' does not exist.",
                "The narration file '/media/in/narration.wav' does not exist.",
            ],
            error.Problems);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Path));
    }

    [Fact]
    public async Task Two_scenes_and_a_narration_render_to_a_vertical_h264_aac_video_with_captions()
    {
        using var scratch = new TempFolder();
        // Quotes, commas, colons, brackets and a percent sign in the folder prove every path is escaped end to end.
        var folder = Path.Combine(scratch.Path, "it's, a:b [x]; 50%");
        Directory.CreateDirectory(folder);
        var options = MediaTesting.Options(1080, 1920);
        var runner = MediaTesting.Runner(options);
        var clip = Path.Combine(folder, "scene-1.mp4");
        var still = Path.Combine(folder, "scene-2.png");
        var narration = Path.Combine(folder, "narration.wav");
        await MediaTesting.MakeClipAsync(runner, clip, 640, 360, 1.5, "0x203040");
        await MediaTesting.MakeStillAsync(runner, still, 500, 500, "0x302020");
        await MediaTesting.MakeToneAsync(runner, narration, 3.0);
        List<WordTiming> words =
        [
            new("Cats", 0.2, 0.6), new("sleep", 0.7, 1.1), new("sixteen", 1.2, 1.6),
            new("hours.", 1.7, 2.1), new("Every", 2.2, 2.4), new("day.", 2.5, 2.9),
        ];
        var request = new RenderRequest(
            [new RenderScene(clip, 1.5), new RenderScene(still, 1.0)], narration, 3.0, words, "ViralForge", Path.Combine(folder, "video.mp4"));

        var stopwatch = Stopwatch.StartNew();
        var result = await Renderer(options).RenderAsync(request, CancellationToken.None);
        output.WriteLine($"Rendered 3.5 s at 1080x1920 in {stopwatch.ElapsedMilliseconds} ms");

        Assert.Equal(Path.Combine(folder, "video.mp4"), result.OutputPath);
        Assert.Equal((1080, 1920), (result.Width, result.Height));
        Assert.InRange(result.DurationSeconds, 3.0, 4.0);
        var probe = await runner.ProbeAsync(result.OutputPath, CancellationToken.None);
        Assert.Equal(("h264", "High", "yuv420p"), (probe.VideoCodec, probe.VideoProfile, probe.PixelFormat));
        Assert.Equal(("aac", 48000, 2), (probe.AudioCodec, probe.AudioSampleRate, probe.AudioChannels));
        Assert.InRange(probe.DurationSeconds, 3.0, 4.0);
        // Nothing left behind but the inputs and the video: no partial file, no work folder.
        Assert.Equal(
            ["narration.wav", "scene-1.mp4", "scene-2.png", "video.mp4"],
            Directory.GetFileSystemEntries(folder).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));

        // "Cats sleep sixteen" is on screen at 0.9 s, in the lower-middle band above the bottom 22%.
        var (top, bottom) = ((int)(1920 * 0.62), (int)(1920 * 0.80));
        var speaking = await MediaTesting.FrameRgbAsync(runner, result.OutputPath, 0.9, scratch.Path);
        var captionPixels = MediaTesting.CountBrightPixels(speaking, 1080, 0, top, 1080, bottom, 230);
        // After the last word (2.9 s) the band holds only the dark still.
        var silent = await MediaTesting.FrameRgbAsync(runner, result.OutputPath, 3.3, scratch.Path);
        var silentPixels = MediaTesting.CountBrightPixels(silent, 1080, 0, top, 1080, bottom, 230);
        var watermarkPixels = MediaTesting.CountBrightPixels(silent, 1080, 1080 / 2, 0, 1080, 1920 / 12, 140);
        output.WriteLine($"caption pixels {captionPixels}, after the words {silentPixels}, watermark pixels {watermarkPixels}");

        Assert.True(captionPixels > 1000, $"Only {captionPixels} near-white pixels in the caption band while a line is shown.");
        Assert.Equal(0, silentPixels);
        Assert.True(watermarkPixels > 100, $"Only {watermarkPixels} light pixels where the watermark should be.");
    }
}
