using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Render;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Adapters.Tests.Local;

/// <summary>What the offline visuals draw on each beat: palette, shapes, glyph and kinetic card, and that beats differ.</summary>
public class OfflineVisualsLookTests(ITestOutputHelper output)
{
    private const int Width = 360;
    private const int Height = 640;

    private static readonly ScriptBeat[] CoffeeBeats =
    [
        new("Most people drink coffee the wrong way.", "Coffee first?"),
        new("Wait ninety minutes after you wake up.", "Wait 90 minutes"),
        new("Drink a glass of water before anything else.", "Water first"),
        new("Your brain makes its own energy in the morning.", "Morning energy"),
        new("Then one cup before noon keeps your sleep safe.", "One cup, before noon"),
        new("Follow for more tips like this.", "Follow for more"),
    ];

    private static VideoScript Script(string title, params ScriptBeat[] beats) =>
        new(title, "Hook", beats, "Follow for more", "Description", ["tag"], 165, 10);

    private static FfmpegVisualsProvider Provider(Action<Core.MediaOptions>? configure = null)
    {
        var options = MediaTesting.Options(Width, Height, configure);
        return new FfmpegVisualsProvider(options, MediaTesting.Runner(options));
    }

    [Fact]
    public async Task Six_beats_are_real_clips_of_their_length_and_frame_and_no_two_look_the_same()
    {
        using var scratch = new TempFolder();
        double[] seconds = [1.2, 2.0, 1.5, 2.5, 1.0, 1.8];
        var request = new VisualsRequest(Guid.NewGuid(), Script("How to drink coffee the right way", CoffeeBeats), seconds, "energetic", scratch.File("visuals"));
        var runner = MediaTesting.Runner(MediaTesting.Options(Width, Height));

        var clips = await Provider().CreateAsync(request, CancellationToken.None);

        Assert.Equal(6, clips.Count);
        var middles = new List<byte[]>();
        var safe = SafeArea.For(Width, Height);
        var (_, zoneBottom) = FfmpegVisualsProvider.CardZone(Width, Height);
        foreach (var clip in clips)
        {
            var probe = await runner.ProbeAsync(clip.LocalPath, CancellationToken.None);
            Assert.Equal((Width, Height, "h264"), (probe.Width, probe.Height, probe.VideoCodec));
            Assert.InRange(probe.DurationSeconds, seconds[clip.BeatIndex] - 0.1, seconds[clip.BeatIndex] + 0.1);

            var middle = await MediaTesting.FrameRgbAsync(runner, clip.LocalPath, clip.DurationSeconds / 2, scratch.Path);
            Assert.Equal(Width * Height * 3, middle.Length);
            middles.Add(middle);
            var png = scratch.File($"beat-{clip.BeatIndex + 1:00}-middle.png");
            await runner.RunAsync([.. FfmpegRunner.CommonArguments, "-ss", FilterGraph.Number(clip.DurationSeconds / 2), "-i", clip.LocalPath, "-frames:v", "1", "-y", png], CancellationToken.None);
            output.WriteLine($"beat {clip.BeatIndex + 1}: {png}");

            // Whatever the layout and the card's entrance, once it is in (0.9 s) the white text is all in the safe area above the captions.
            var early = await MediaTesting.FrameRgbAsync(runner, clip.LocalPath, 0.9, scratch.Path);
            var white = MediaTesting.CountBrightPixels(early, Width, 0, 0, Width, Height, 235);
            Assert.True(white > 100, $"beat {clip.BeatIndex + 1}: the card is missing");
            Assert.Equal(white, MediaTesting.CountBrightPixels(early, Width, safe.Left, safe.Top, Width - safe.Right, zoneBottom, 235));
        }

        for (var a = 0; a < middles.Count; a++)
        {
            for (var b = a + 1; b < middles.Count; b++)
            {
                var difference = MeanAbsoluteDifference(middles[a], middles[b]);
                output.WriteLine($"beats {a + 1} and {b + 1}: mean absolute difference {difference:0.0}");
                Assert.True(difference > 8, $"beats {a + 1} and {b + 1} look alike (mean absolute difference {difference:0.0})");
            }
        }
    }

    [Fact]
    public async Task The_glyph_really_renders_and_is_not_the_fonts_missing_glyph_box()
    {
        using var scratch = new TempFolder();
        var provider = Provider();
        var runner = MediaTesting.Runner(MediaTesting.Options(Width, Height));
        var request = new VisualsRequest(Guid.NewGuid(), Script("Coffee", CoffeeBeats[0]), [1.5], "clean", scratch.Path);
        var look = Assert.Single(FfmpegVisualsProvider.PlanLooks(request));
        Assert.Equal("\u2615", look.Glyph);
        var line = scratch.File("line.txt");
        await File.WriteAllTextAsync(line, "Coffee first?");

        async Task<byte[]> FrameWithAsync(string glyph)
        {
            var path = scratch.File($"glyph-{BeatGlyphs.CodePoints(glyph).Replace('+', '-')}.mp4");
            await runner.RunAsync(provider.BuildArguments(look.Palette, 1.5, [line], path, VideoChoices.Vertical, look with { Glyph = glyph }), CancellationToken.None);
            return await MediaTesting.FrameRgbAsync(runner, path, 1.0, scratch.Path);
        }

        var withGlyph = await FrameWithAsync(look.Glyph);
        var without = await FrameWithAsync(string.Empty);
        // A code point Symbola lacks: drawtext draws the font's missing-glyph box (or nothing) instead.
        var tofu = await FrameWithAsync("\uE000");

        var place = FfmpegVisualsProvider.Place(look, Width, Height, FfmpegVisualsProvider.CardFontSize(Width, Height) * 13 / 10);
        var half = place.GlyphSize / 2;
        var region = (Left: place.CentreX - half, Top: place.CentreY - half, Right: place.CentreX + half, Bottom: place.CentreY + half);
        var glyphVsNone = MeanAbsoluteDifference(withGlyph, without, region);
        var glyphVsTofu = MeanAbsoluteDifference(withGlyph, tofu, region);
        var outside = MeanAbsoluteDifference(withGlyph, without, (0, region.Bottom + 4, Width, Height));
        output.WriteLine($"glyph region {region}: glyph vs none {glyphVsNone:0.0}, glyph vs missing-glyph box {glyphVsTofu:0.0}, below the region {outside:0.00}");
        Assert.True(glyphVsNone > 10, "the glyph does not show");
        Assert.True(glyphVsTofu > 10, "the glyph looks like the font's missing-glyph box");
        Assert.True(outside < 1, "frames differ outside the glyph's region: the comparison is not about the glyph");
    }

    [Fact]
    public void Beats_get_different_glyphs_layouts_and_motion_and_their_words_pick_the_glyph()
    {
        var request = new VisualsRequest(Guid.NewGuid(), Script("How to drink coffee the right way", CoffeeBeats), [1, 1, 1, 1, 1, 1], "bold", "/tmp/unused");

        var looks = FfmpegVisualsProvider.PlanLooks(request);

        Assert.Equal("\u2615", looks[0].Glyph);
        Assert.Equal("\U0001F4A7", looks[2].Glyph);
        Assert.Equal(6, looks.Select(l => l.Glyph).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(6, looks.Select(l => (l.Layout, l.Entrance, l.Drift)).Distinct().Count());
        Assert.Equal(6, looks.Select(l => l.Palette.From).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(3, looks.Select(l => l.Layout).Distinct().Count());
    }

    [Fact]
    public void The_rows_topic_sets_the_palette_whatever_the_scripts_title()
    {
        const string topic = "How to drink coffee the right way";
        VisualsRequest Request(string title, string rowTopic) =>
            new(Guid.NewGuid(), Script(title, CoffeeBeats), [1, 1, 1, 1, 1, 1], "bold", "/tmp/unused", Topic: rowTopic);
        IEnumerable<BackgroundPalette> Palettes(VisualsRequest request) => FfmpegVisualsProvider.PlanLooks(request).Select(l => l.Palette);

        Assert.Equal(Palettes(Request("Stop scrolling: coffee", topic)), Palettes(Request("You drink coffee wrong", topic)));
        Assert.NotEqual(Palettes(Request("Stop scrolling: coffee", topic)), Palettes(Request("Stop scrolling: coffee", "Coffee myths that cost you sleep")));
        // Without a topic the title stands in for it.
        Assert.Equal(Palettes(Request(topic, string.Empty)), Palettes(Request("Anything else", topic)));
    }

    [Fact]
    public void What_the_reviewer_asks_to_see_picks_the_glyph()
    {
        var request = new VisualsRequest(Guid.NewGuid(), Script("Coffee", CoffeeBeats[0]), [1], "bold", "/tmp/unused", Feedback: ReviewerFeedback.Parse("Show the ocean"));

        Assert.Equal("\U0001F30A", Assert.Single(FfmpegVisualsProvider.PlanLooks(request)).Glyph);
    }

    [Theory]
    [InlineData(VideoChoices.Vertical, 1080, 1920)]
    [InlineData(VideoChoices.Vertical, 360, 640)]
    [InlineData(VideoChoices.Square, 1080, 1080)]
    [InlineData(VideoChoices.Landscape, 1920, 1080)]
    [InlineData(VideoChoices.Landscape, 640, 360)]
    public void Glyph_and_card_stay_inside_the_card_zone_in_every_layout(string format, int width, int height)
    {
        var (zoneTop, zoneBottom) = FfmpegVisualsProvider.CardZone(width, height);
        var lineHeight = (int)Math.Round(FfmpegVisualsProvider.CardFontSize(width, height) * 1.3);
        var look = FfmpegVisualsProvider.PlanLooks(new VisualsRequest(Guid.NewGuid(), Script("Coffee", CoffeeBeats[0]), [1], "bold", "/tmp/unused", format))[0];
        foreach (var layout in Enum.GetValues<GlyphLayout>())
        {
            for (var lines = 1; lines <= FfmpegVisualsProvider.CardLines(width, height); lines++)
            {
                var place = FfmpegVisualsProvider.Place(look with { Layout = layout }, width, height, lines * lineHeight);

                Assert.True(place.GlyphSize >= Math.Min(width, height) / 6, $"{format} {width}x{height} {layout} {lines} lines: glyph {place.GlyphSize} px is too small");
                Assert.InRange(place.CentreY - (place.GlyphSize / 2), zoneTop, zoneBottom);
                Assert.InRange(place.CentreY + (place.GlyphSize / 2), zoneTop, zoneBottom);
                if (place.CardTop is { } top)
                {
                    Assert.InRange(top, zoneTop, zoneBottom - (lines * lineHeight));
                    // Beside the card, the glyph's box does not overlap the card's lines.
                    Assert.True(place.CentreY + (place.GlyphSize / 2) <= top || place.CentreY - (place.GlyphSize / 2) >= top + (lines * lineHeight), $"{format} {layout} {lines} lines: the glyph overlaps the card");
                }
            }
        }
    }

    [Fact]
    public void The_glyph_is_drawn_with_the_glyph_font_and_left_out_when_that_font_is_missing()
    {
        var request = new VisualsRequest(Guid.NewGuid(), Script("Coffee", CoffeeBeats[0]), [1], "bold", "/tmp/unused");
        var look = Assert.Single(FfmpegVisualsProvider.PlanLooks(request));
        string Filters(FfmpegVisualsProvider provider)
        {
            var arguments = provider.BuildArguments(look.Palette, 2.0, ["/work/line-1.txt"], "/work/out/beat-01.mp4", VideoChoices.Vertical, look).ToList();
            Assert.Equal("15", arguments[arguments.IndexOf("-r") + 1]);
            return arguments[arguments.IndexOf("-vf") + 1];
        }

        var drawn = Filters(Provider());
        var missing = Filters(Provider(m => m.GlyphFontFile = "/nonexistent/Symbola.ttf"));

        Assert.Contains("Symbola_hint.ttf:text=\u2615:", drawn, StringComparison.Ordinal);
        Assert.DoesNotContain("Symbola", missing, StringComparison.Ordinal);
        // The shapes and the card are there either way.
        Assert.Contains($"text={look.Shape}:", missing, StringComparison.Ordinal);
        Assert.Contains("textfile=/work/line-1.txt", missing, StringComparison.Ordinal);
    }

    private static double MeanAbsoluteDifference(byte[] a, byte[] b) => MeanAbsoluteDifference(a, b, (0, 0, Width, Height));

    private static double MeanAbsoluteDifference(byte[] a, byte[] b, (int Left, int Top, int Right, int Bottom) region)
    {
        var (left, top) = (Math.Max(0, region.Left), Math.Max(0, region.Top));
        var (right, bottom) = (Math.Min(Width, region.Right), Math.Min(Height, region.Bottom));
        long sum = 0;
        long count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                var i = ((y * Width) + x) * 3;
                sum += Math.Abs(a[i] - b[i]) + Math.Abs(a[i + 1] - b[i + 1]) + Math.Abs(a[i + 2] - b[i + 2]);
                count += 3;
            }
        }

        return count == 0 ? 0 : (double)sum / count;
    }
}
