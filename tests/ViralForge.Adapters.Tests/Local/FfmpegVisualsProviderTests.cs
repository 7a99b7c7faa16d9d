using ViralForge.Testing;
using System.Diagnostics;
using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Render;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Adapters.Tests.Local;

public class FfmpegVisualsProviderTests(ITestOutputHelper output)
{
    private const string Hostile = @"it's 50% off: {yes}\N ""quoted"" \\ back %{pts} [x];";

    private static VideoScript Script(params string[] cardTexts) => new(
        "Title",
        "Hook",
        cardTexts.Select(c => new ScriptBeat("Narration.", c)).ToList(),
        "Follow for more",
        "Description",
        ["tag"],
        165,
        10);

    private static FfmpegVisualsProvider Provider(int width = 360, int height = 640)
    {
        var options = MediaTesting.Options(width, height);
        return new FfmpegVisualsProvider(options, MediaTesting.Runner(options));
    }

    [Fact]
    public async Task Each_beat_gets_one_clip_of_the_frame_size_and_the_beat_length()
    {
        using var scratch = new TempFolder();
        var request = new VisualsRequest(Guid.NewGuid(), Script("Cats sleep 16 hours", "Why?", "Energy"), [1.0, 1.5, 2.2], "bold", scratch.File("visuals"));

        var stopwatch = Stopwatch.StartNew();
        var clips = await Provider().CreateAsync(request, CancellationToken.None);
        output.WriteLine($"3 clips at 360x640 ({request.BeatSeconds.Sum()} s of video) in {stopwatch.ElapsedMilliseconds} ms");

        Assert.Equal([0, 1, 2], clips.Select(c => c.BeatIndex));
        Assert.Equal(
            ["beat-01.mp4", "beat-02.mp4", "beat-03.mp4"],
            clips.Select(c => Path.GetRelativePath(scratch.File("visuals"), c.LocalPath)));
        Assert.All(clips, c => Assert.Equal("background", c.Kind));
        Assert.Equal([1.0, 1.5, 2.2], clips.Select(c => c.DurationSeconds));
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        foreach (var clip in clips)
        {
            var probe = await runner.ProbeAsync(clip.LocalPath, CancellationToken.None);
            Assert.Equal((360, 640, "h264"), (probe.Width, probe.Height, probe.VideoCodec));
            Assert.InRange(probe.DurationSeconds, clip.DurationSeconds - 0.1, clip.DurationSeconds + 0.1);
        }

        // Only the clips remain: line text files and partial outputs are cleaned up.
        Assert.Equal(3, Directory.GetFileSystemEntries(scratch.File("visuals")).Length);
    }

    [Fact]
    public void The_palette_is_a_function_of_job_beat_and_style()
    {
        var job = Guid.Parse("6f1c2a4e-0d7b-4a47-9a55-3b8f1c2d9e10");
        var other = Guid.Parse("0b9d8c7e-6f5a-4e3d-8c2b-1a0f9e8d7c6b");

        Assert.Equal(FfmpegVisualsProvider.ChoosePalette(job, 0, "bold"), FfmpegVisualsProvider.ChoosePalette(job, 0, "bold"));
        Assert.Equal(FfmpegVisualsProvider.ChoosePalette(job, 0, "bold"), FfmpegVisualsProvider.ChoosePalette(job, 0, " Bold "));
        Assert.NotEqual(FfmpegVisualsProvider.ChoosePalette(job, 0, "bold"), FfmpegVisualsProvider.ChoosePalette(job, 1, "bold"));
        Assert.NotEqual(FfmpegVisualsProvider.ChoosePalette(job, 0, "bold"), FfmpegVisualsProvider.ChoosePalette(other, 0, "bold"));
        Assert.NotEqual(FfmpegVisualsProvider.ChoosePalette(job, 0, "bold"), FfmpegVisualsProvider.ChoosePalette(job, 0, "calm"));
        Assert.Matches("^0x[0-9A-F]{6}$", FfmpegVisualsProvider.ChoosePalette(job, 0, "bold").From);
    }

    [Fact]
    public void Dark_styles_get_darker_backgrounds_than_bold_ones()
    {
        var job = Guid.Parse("6f1c2a4e-0d7b-4a47-9a55-3b8f1c2d9e10");

        Assert.True(Brightness(FfmpegVisualsProvider.ChoosePalette(job, 0, "dark").From) < Brightness(FfmpegVisualsProvider.ChoosePalette(job, 0, "bold").From));
    }

    [Fact]
    public async Task The_same_job_gives_the_same_clip()
    {
        using var scratch = new TempFolder();
        var job = Guid.NewGuid();
        var first = await Provider().CreateAsync(new VisualsRequest(job, Script("Same"), [1.0], "calm", scratch.File("a")), CancellationToken.None);
        var second = await Provider().CreateAsync(new VisualsRequest(job, Script("Same"), [1.0], "calm", scratch.File("b")), CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(first[0].LocalPath), await File.ReadAllBytesAsync(second[0].LocalPath));
    }

    [Fact]
    public async Task Hostile_card_text_is_drawn_without_ffmpeg_errors()
    {
        using var scratch = new TempFolder();
        var request = new VisualsRequest(Guid.NewGuid(), Script(Hostile), [1.0], "dark", scratch.File("visuals"));
        var provider = Provider();

        var clip = Assert.Single(await provider.CreateAsync(request, CancellationToken.None));

        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        Assert.Equal(360, (await runner.ProbeAsync(clip.LocalPath, CancellationToken.None)).Width);
        // The card's text is there (white pixels around 40% of the height), once its fade-in is done.
        var frame = await MediaTesting.FrameRgbAsync(runner, clip.LocalPath, 0.9, scratch.Path);
        Assert.True(MediaTesting.CountBrightPixels(frame, 360, 0, 640 / 5, 360, 640 * 3 / 5, 235) > 200);
    }

    [Fact]
    public async Task The_background_keeps_its_palette_colour_as_the_renderer_reads_it_bt709_and_the_clip_says_so()
    {
        using var scratch = new TempFolder();
        var options = MediaTesting.Options(360, 640);
        var runner = MediaTesting.Runner(options);
        var clip = scratch.File("beat-01.mp4");
        // One colour at both gradient stops: every pixel of the background should be #e63946 = (230, 57, 70).
        await runner.RunAsync(Provider().BuildArguments(new BackgroundPalette("0xE63946", "0xE63946", 7, 0.01), 0.5, [], clip), CancellationToken.None);

        var probe = await runner.ProbeAsync(clip, CancellationToken.None);
        Assert.Equal(("bt709", "bt709", "bt709"), (probe.ColorSpace, probe.ColorPrimaries, probe.ColorTransfer));
        // Read with the bt709 matrix whatever the tags say, as RenderCommand treats HD clips (tagged bt709 or untagged).
        var raw = scratch.File("frame.rgb");
        await runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-i", clip, "-frames:v", "1", "-vf", "scale=in_color_matrix=bt709:in_range=tv,format=rgb24", "-f", "rawvideo", "-y", raw],
            CancellationToken.None);
        var frame = await File.ReadAllBytesAsync(raw);
        var centre = ((320 * 360) + 180) * 3;
        var (r, g, b) = (frame[centre], frame[centre + 1], frame[centre + 2]);
        output.WriteLine($"#e63946 came back as ({r}, {g}, {b})");
        // Within yuv420p's rounding; bt601 in and bt709 out gave (244, 74, 67).
        Assert.InRange(r, 224, 236);
        Assert.InRange(g, 51, 63);
        Assert.InRange(b, 64, 76);
    }

    [Fact]
    public void Card_text_reaches_ffmpeg_only_through_files()
    {
        var provider = Provider();
        var palette = FfmpegVisualsProvider.ChoosePalette(Guid.NewGuid(), 0, "bold");

        var arguments = provider.BuildArguments(palette, 2.0, ["/work/it's, 50%: [x];/line-1.txt"], "/work/out/beat-01.mp4");

        var filters = arguments[arguments.ToList().IndexOf("-vf") + 1];
        Assert.Contains(@"textfile=/work/it\\\'s\, 50%\\: \[x\]\;/line-1.txt:expansion=none:", filters, StringComparison.Ordinal);
        Assert.Contains(@"alpha=if(lt(t\,0)\,0\,if(lt(t\,0+0.4)\,(t-0)/0.4\,1))", filters, StringComparison.Ordinal);
        Assert.Equal(["-preset", "ultrafast", "-crf", "18"], arguments.SkipWhile(a => a != "-preset").Take(4));
    }

    [Fact]
    public void Card_text_wraps_to_the_width_splits_long_words_and_ends_in_an_ellipsis()
    {
        Assert.Equal(["Cats sleep", "sixteen hours", "a day"], FfmpegVisualsProvider.WrapCardText("Cats sleep sixteen hours a day", 14, 5));
        Assert.Equal(["Supercalifragi", "listic"], FfmpegVisualsProvider.WrapCardText("Supercalifragilistic", 14, 5));
        Assert.Equal(["one two", "three…"], FfmpegVisualsProvider.WrapCardText("one two three four five six", 8, 2));
        Assert.Equal(["a b"], FfmpegVisualsProvider.WrapCardText("a\nb", 8, 2));
        Assert.Empty(FfmpegVisualsProvider.WrapCardText("   ", 8, 2));
    }

    [Fact]
    public async Task Beat_durations_must_match_the_beats()
    {
        using var scratch = new TempFolder();
        var request = new VisualsRequest(Guid.NewGuid(), Script("One", "Two"), [1.0], "bold", scratch.Path);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Provider().CreateAsync(request, CancellationToken.None));

        Assert.Contains("2 beats but BeatSeconds has 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VideoChoices.Vertical, 360, 640)]
    [InlineData(VideoChoices.Square, 360, 360)]
    [InlineData(VideoChoices.Landscape, 640, 360)]
    public async Task Each_format_gets_clips_of_its_frame_with_the_card_inside_the_safe_area_and_above_the_captions(string format, int width, int height)
    {
        using var scratch = new TempFolder();
        var request = new VisualsRequest(Guid.NewGuid(), Script("Cats sleep sixteen hours a day and dream of fish all night"), [1.0], "bold", scratch.File("visuals"), format);

        var clip = Assert.Single(await Provider().CreateAsync(request, CancellationToken.None));

        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        var probe = await runner.ProbeAsync(clip.LocalPath, CancellationToken.None);
        Assert.Equal((width, height), (probe.Width, probe.Height));
        var frame = await MediaTesting.FrameRgbAsync(runner, clip.LocalPath, 0.9, scratch.Path);
        var safe = SafeArea.For(width, height);
        var (_, zoneBottom) = FfmpegVisualsProvider.CardZone(width, height);
        var text = MediaTesting.CountBrightPixels(frame, width, 0, 0, width, height, 235);
        var inZone = MediaTesting.CountBrightPixels(frame, width, safe.Left, safe.Top, width - safe.Right, zoneBottom, 235);
        output.WriteLine($"{format}: {text} card pixels, {inZone} in the safe area above the captions' band (rows {safe.Top}-{zoneBottom})");
        Assert.True(text > 300, $"{format}: the card is missing");
        Assert.Equal(text, inZone);
    }

    [Fact]
    public async Task Darker_and_brighter_feedback_change_the_backgrounds_mean_luma()
    {
        using var scratch = new TempFolder();
        var job = Guid.NewGuid();
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        async Task<double> LumaAsync(string name, ReviewerFeedback? feedback)
        {
            var request = new VisualsRequest(job, Script("Same card"), [0.5], "clean", scratch.File(name), Feedback: feedback);
            var clip = Assert.Single(await Provider().CreateAsync(request, CancellationToken.None));
            return MeanLuma(await MediaTesting.FrameRgbAsync(runner, clip.LocalPath, 0.2, scratch.Path));
        }

        var darker = await LumaAsync("darker", ReviewerFeedback.Parse("A bit darker please"));
        var unchanged = await LumaAsync("unchanged", null);
        var brighter = await LumaAsync("brighter", ReviewerFeedback.Parse("Make it brighter"));

        output.WriteLine($"mean luma: darker {darker:0.0}, unchanged {unchanged:0.0}, brighter {brighter:0.0}");
        Assert.True(darker < unchanged - 15, "darker feedback did not darken the background");
        Assert.True(brighter > unchanged + 15, "brighter feedback did not brighten the background");
    }

    [Theory]
    [InlineData("Show the ocean", 2)]
    [InlineData("more footage of forests", 1)]
    public async Task What_the_reviewer_asks_to_see_colours_the_background(string feedback, int dominantChannel)
    {
        using var scratch = new TempFolder();
        var request = new VisualsRequest(Guid.NewGuid(), Script("Card"), [0.5], "clean", scratch.File("visuals"), Feedback: ReviewerFeedback.Parse(feedback));

        var clip = Assert.Single(await Provider().CreateAsync(request, CancellationToken.None));

        var frame = await MediaTesting.FrameRgbAsync(MediaTesting.Runner(MediaTesting.Options(360, 640)), clip.LocalPath, 0.2, scratch.Path);
        var means = Enumerable.Range(0, 3).Select(c => frame.Where((_, i) => i % 3 == c).Average(b => b)).ToArray();
        output.WriteLine($"{feedback}: mean R {means[0]:0}, G {means[1]:0}, B {means[2]:0}");
        Assert.Equal(dominantChannel, Array.IndexOf(means, means.Max()));
        Assert.True(means[dominantChannel] > means.Where((_, c) => c != dominantChannel).Max() + 10, $"{feedback}: the colour is not clearly there");
    }

    [Fact]
    public void What_the_reviewer_asks_to_see_heads_each_card_above_the_scripts_text()
    {
        var lines = FfmpegVisualsProvider.CardLinesFor("the ocean", "Cats sleep sixteen hours", 1080, 1920);

        Assert.Equal(["THE OCEAN", "Cats sleep", "sixteen hours"], lines);
        Assert.Equal(["Cats sleep", "sixteen hours"], FfmpegVisualsProvider.CardLinesFor(null, "Cats sleep sixteen hours", 1080, 1920));
    }

    [Fact]
    public void Terms_change_the_palette_and_known_scenes_pick_their_colour_family()
    {
        var job = Guid.NewGuid();

        Assert.NotEqual(FfmpegVisualsProvider.ChoosePalette(job, 0, "clean"), FfmpegVisualsProvider.ChoosePalette(job, 0, "clean", 0, ["the beach"]));
        // A term the table does not know still changes the look, the same way every time.
        Assert.Equal(FfmpegVisualsProvider.ChoosePalette(job, 0, "clean", 0, ["robots"]), FfmpegVisualsProvider.ChoosePalette(Guid.NewGuid(), 0, "clean", 0, ["robots"]));
    }

    private static double MeanLuma(byte[] rgb)
    {
        var sum = 0.0;
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            sum += (0.299 * rgb[i]) + (0.587 * rgb[i + 1]) + (0.114 * rgb[i + 2]);
        }

        return sum / (rgb.Length / 3);
    }

    private static int Brightness(string hex) =>
        Convert.ToInt32(hex[2..4], 16) + Convert.ToInt32(hex[4..6], 16) + Convert.ToInt32(hex[6..8], 16);
}
