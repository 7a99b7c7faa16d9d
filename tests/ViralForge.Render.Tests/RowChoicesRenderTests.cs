using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

/// <summary>A row's Format, Caption Style, Watermark and Music cells, rendered through the render stage: what the MP4 shows and sounds like.</summary>
public class RowChoicesRenderTests(ITestOutputHelper output)
{
    // "sleep" is spoken (and "Cats sleep all day" on screen) from 0.6 to 1.2 s.
    private const double CaptionTime = 0.8;

    [Theory]
    [InlineData(VideoChoices.Vertical, 360, 640)]
    [InlineData(VideoChoices.Square, 360, 360)]
    [InlineData(VideoChoices.Landscape, 640, 360)]
    public async Task Each_format_renders_its_frame_with_captions_and_watermark_inside_that_shapes_safe_area(string format, int width, int height)
    {
        using var render = new StageRender();

        var video = await render.RenderAsync(StageRender.Request(format: format));

        var probe = await render.Runner.ProbeAsync(video, CancellationToken.None);
        Assert.Equal((width, height), (probe.Width, probe.Height));
        var frame = await render.FrameAsync(video, CaptionTime);
        var safe = SafeArea.For(width, height);
        var drawn = LibassFrames.Marked(frame, width, StageRender.Grey, 40).ToList();
        var outside = drawn.Where(p => !safe.Contains(p.X, p.Y)).ToList();
        output.WriteLine($"{format}: {drawn.Count} pixels drawn, x {drawn.Min(p => p.X)}-{drawn.Max(p => p.X)}, y {drawn.Min(p => p.Y)}-{drawn.Max(p => p.Y)}; safe {safe}");
        // The captions hang from the bottom of the safe area, the watermark from its top.
        Assert.True(drawn.Count(p => p.Y > height / 2) > 150, $"{format}: no captions in the lower half");
        Assert.True(drawn.Count(p => p.Y < height / 3) > 20, $"{format}: no watermark in the top third");
        Assert.True(outside.Count == 0, $"{format}: {outside.Count} pixels outside the safe area, e.g. {outside.FirstOrDefault()}");
    }

    [Fact]
    public async Task Bold_pop_and_boxed_captions_look_different_in_the_rendered_frames()
    {
        using var render = new StageRender();

        var boldPop = await render.FrameAsync(await render.RenderAsync(StageRender.Request(captionStyle: "bold-pop", watermark: VideoChoices.WatermarkOff)), CaptionTime);
        var boxed = await render.FrameAsync(await render.RenderAsync(StageRender.Request(captionStyle: "boxed", watermark: VideoChoices.WatermarkOff)), CaptionTime);

        // Lower half only: that is where captions are. bold-pop lights the spoken word yellow, boxed cyan on a dark box.
        static (int Yellow, int Cyan, int Dark) Count(byte[] frame) => (
            MediaTesting.CountPixels(frame, 360, 0, 320, 360, 640, (r, g, b) => r > 180 && g > 180 && b < 110),
            MediaTesting.CountPixels(frame, 360, 0, 320, 360, 640, (r, g, b) => r < 140 && g > 170 && b > 190),
            MediaTesting.CountPixels(frame, 360, 0, 320, 360, 640, (r, g, b) => r < 70 && g < 70 && b < 70));
        var (popYellow, popCyan, popDark) = Count(boldPop);
        var (boxYellow, boxCyan, boxDark) = Count(boxed);
        output.WriteLine($"bold-pop: {popYellow} yellow, {popCyan} cyan, {popDark} dark; boxed: {boxYellow} yellow, {boxCyan} cyan, {boxDark} dark");
        Assert.True(popYellow > 40 && popCyan < 5, "bold-pop should light the spoken word yellow");
        Assert.True(boxCyan > 40 && boxYellow < 5, "boxed should light the spoken word cyan");
        Assert.True(boxDark > 2 * popDark, "boxed should draw the line on a dark box");
    }

    [Fact]
    public async Task Watermark_off_draws_nothing_over_the_picture()
    {
        using var render = new StageRender();

        var frame = await render.FrameAsync(await render.RenderAsync(StageRender.Request(watermark: VideoChoices.WatermarkOff)), CaptionTime);

        // Captions are in the lower half; with the watermark off the upper half is the untouched clip.
        var top = LibassFrames.Marked(frame, 360, StageRender.Grey, 40).Count(p => p.Y < 320);
        Assert.Equal(0, top);
    }

    [Theory]
    [InlineData("brand/logo.png")]
    [InlineData("gs://my-bucket/brand/logo.png")]
    public async Task A_watermark_image_from_the_blob_store_is_drawn_in_the_safe_top_right_corner(string cell)
    {
        using var render = new StageRender();
        var logo = Path.Combine(render.Folder, "logo.png");
        await MediaTesting.MakeStillAsync(render.Runner, logo, 200, 100, "0xE01010");
        await render.PutAsync("brand/logo.png", logo);

        var frame = await render.FrameAsync(await render.RenderAsync(StageRender.Request(watermark: cell)), CaptionTime);

        var safe = SafeArea.For(360, 640);
        var red = MediaTesting.CountPixels(frame, 360, 0, 0, 360, 640, (r, g, b) => r > 170 && g < 90 && b < 90);
        var redInCorner = MediaTesting.CountPixels(frame, 360, 180, safe.Top, 360 - safe.Right, 640 / 4, (r, g, b) => r > 170 && g < 90 && b < 90);
        output.WriteLine($"{cell}: {red} red pixels, {redInCorner} in the safe top-right corner");
        // A fifth of the short side wide (72 px) and half that high: about 2,600 pixels, all in the corner.
        Assert.InRange(red, 1500, 3200);
        Assert.Equal(red, redInCorner);
    }

    [Theory]
    [InlineData("brand/missing.png", "Watermark image 'brand/missing.png' is not in the blob store (key brand/missing.png)", "set the Watermark cell to on or off")]
    [InlineData("music/missing.mp3", "Music file 'music/missing.mp3' is not in the blob store (key music/missing.mp3)", "set the Music cell to none or a mood")]
    public async Task A_file_the_row_names_that_is_not_in_the_blob_store_fails_the_job_saying_which_and_how_to_fix_it(string cell, string what, string fix)
    {
        using var render = new StageRender();
        var request = cell.StartsWith("brand", StringComparison.Ordinal) ? StageRender.Request(watermark: cell) : StageRender.Request(music: cell);
        var context = await render.ContextAsync(request);

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => render.Stage().PlanAsync(context, CancellationToken.None));

        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(render.Settings.WorkFolder, "blobs", cell), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VideoChoices.MusicNone, false)]
    [InlineData("upbeat", true)]
    [InlineData("music/theme.wav", true)]
    public async Task Music_none_leaves_the_narration_alone_and_a_mood_or_a_stored_song_plays_under_it(string music, bool audible)
    {
        using var render = new StageRender();
        var song = Path.Combine(render.Folder, "theme.wav");
        await MediaTesting.MakeMusicAsync(render.Runner, song, 3.0);
        await render.PutAsync("music/theme.wav", song);

        var video = await render.RenderAsync(StageRender.Request(music: music));

        // The narration is a tone until 1 s and silence after it; past the ducking's release only music can sound.
        var speech = await render.LevelDbAsync(video, 0.2, 0.9);
        var pause = await render.LevelDbAsync(video, 1.6, 2.5);
        output.WriteLine($"{music}: {speech:0.0} dBFS while spoken, {pause:0.0} dBFS in the pause");
        Assert.True(speech > -30, $"the narration is missing ({speech:0.0} dBFS)");
        if (audible)
        {
            Assert.InRange(pause, -45, speech - 3);
        }
        else
        {
            Assert.True(pause < -70, $"{music}: something plays in the pause ({pause:0.0} dBFS)");
        }
    }
}
