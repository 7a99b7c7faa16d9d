using ViralForge.Core.Ports;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

public class SafeAreaTests(ITestOutputHelper output)
{
    [Fact]
    public void A_1080_by_1920_frame_keeps_captions_clear_of_the_bottom_right_and_top()
    {
        var safe = SafeArea.For(1080, 1920);

        Assert.Equal(new SafeArea(1080, 1920, Left: 76, Top: 192, Right: 162, Bottom: 422), safe);
        Assert.Equal((842, 1306), (safe.Width, safe.Height));
    }

    [Fact]
    public void The_safe_area_scales_with_the_frame()
    {
        Assert.Equal(new SafeArea(360, 640, 25, 64, 54, 141), SafeArea.For(360, 640));
    }

    [Theory]
    [InlineData(1080, 1080, 65, 65, 65, 130)]
    [InlineData(1920, 1080, 96, 54, 96, 130)]
    public void Square_and_landscape_frames_keep_a_title_safe_margin_and_clear_the_players_controls(int width, int height, int left, int top, int right, int bottom)
    {
        // No app column on the right and no tabs on top: a square or landscape frame keeps an even margin, and the
        // bottom clears the player's progress bar and controls.
        Assert.Equal(new SafeArea(width, height, left, top, right, bottom), SafeArea.For(width, height));
    }

    [Theory]
    [InlineData(1080, 1920)]
    [InlineData(1080, 1080)]
    [InlineData(1920, 1080)]
    public void A_text_watermark_hangs_from_the_safe_areas_top_right_corner(int width, int height)
    {
        var plan = new RenderPlan
        {
            Overlays = [new PlanOverlay { Text = "ViralForge", Position = OverlayPosition.TopRight }],
            Output = OutputProfile.YouTubeShorts with { Width = width, Height = height },
        };

        var style = OverlayTrack.BuildAss(plan, "DejaVu Sans")!.Split('\n').Single(l => l.StartsWith("Style:", StringComparison.Ordinal)).Split(',');

        var safe = SafeArea.For(width, height);
        var outline = int.Parse(style[16], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["9", $"{safe.Left + outline}", $"{safe.Right + outline}", $"{safe.Top + outline}"], style[18..22]);
    }

    [Fact]
    public void Containment_excludes_the_covered_edges()
    {
        var safe = SafeArea.For(1080, 1920);

        Assert.True(safe.Contains(76, 192));
        Assert.True(safe.Contains(917, 1497));
        Assert.False(safe.Contains(918, 1000));
        Assert.False(safe.Contains(500, 1498));
        Assert.False(safe.Contains(75, 1000));
        Assert.False(safe.Contains(500, 191));
    }

    [Theory]
    [InlineData(1080, 1920)]
    [InlineData(720, 1280)]
    public void Every_style_puts_its_margins_on_the_safe_area(int width, int height)
    {
        var safe = SafeArea.For(width, height);
        foreach (var style in CaptionStyle.All)
        {
            var ass = CaptionTrack.BuildAss([new WordTiming("Hi", 0, 1)], new CaptionLayout(width, height, "DejaVu Sans"), style);
            var fields = ass.Split('\n').Single(l => l.StartsWith("Style:", StringComparison.Ordinal)).Split(',');

            // Alignment 2 (bottom centre), MarginL, MarginR, MarginV (from the bottom): the safe area's insets plus
            // the outline (or box padding) on both sides and the shadow on the side it falls.
            var (outline, shadow) = (style.OutlinePixels(height), style.ShadowPixels(height));
            Assert.Equal(["2", $"{safe.Left + outline}", $"{safe.Right + outline + shadow}", $"{safe.Bottom + outline + shadow}"], fields[18..22]);
        }
    }

    public static TheoryData<string, string> WorstCaseWords => new()
    {
        { "widest Latin letter", new string('W', 18) },
        { "widest lowercase", new string('m', 18) },
        { "widest Cyrillic", new string('Щ', 18) },
        { "Chinese", string.Concat(Enumerable.Repeat("國", 18)) },
        { "emoji", string.Concat(Enumerable.Repeat("😀", 18)) },
        { "2,000 characters", new string('A', 2000) },
        { "URL", "https://example.com/" + new string('x', 300) + "?q=" + new string('y', 300) },
        { "several long words", "Donaudampfschifffahrt Rechtsschutzversicherungsgesellschaften" },
    };

    [Theory]
    [MemberData(nameof(WorstCaseWords))]
    public async Task A_line_never_leaves_the_safe_area(string label, string word)
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        var safe = SafeArea.For(360, 640);
        foreach (var style in CaptionStyle.All)
        {
            // Long enough that the first chunk of a split word is on screen for the whole first second.
            var ass = CaptionTrack.BuildAss([new WordTiming(word, 0, 400)], new CaptionLayout(360, 640, "DejaVu Sans"), style);

            var frame = await LibassFrames.RenderAsync(runner, ass, 360, 640, "0x808080", scratch.Path);

            // Anything drawn at all (letters, outline, box, shadow) differs from the grey background.
            var drawn = LibassFrames.Marked(frame, 360, (0x80, 0x80, 0x80), 24).ToList();
            var outside = drawn.Where(p => !safe.Contains(p.X, p.Y)).ToList();
            output.WriteLine($"{label} in {style.Name}: {drawn.Count} pixels drawn, x {drawn.Min(p => p.X)}-{drawn.Max(p => p.X)}, y {drawn.Min(p => p.Y)}-{drawn.Max(p => p.Y)}");
            Assert.True(drawn.Count > 100, $"{label} in {style.Name}: only {drawn.Count} pixels drawn.");
            Assert.True(outside.Count == 0, $"{label} in {style.Name}: {outside.Count} pixels outside the safe area, e.g. {outside.FirstOrDefault()}.");
        }
    }
}
