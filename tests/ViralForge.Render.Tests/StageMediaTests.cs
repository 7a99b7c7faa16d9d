using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

/// <summary>Real visuals through the render stage: a still is planned as an image, a broken clip fails the stage naming it before anything is encoded.</summary>
public class StageMediaTests
{
    [Fact]
    public async Task A_visual_stored_as_a_png_is_planned_as_an_image_and_rendered()
    {
        using var render = new StageRender();
        var context = await render.ContextAsync(StageRender.Request(watermark: VideoChoices.WatermarkOff), "beat-01.png", path => MediaTesting.MakeStillAsync(render.Runner, path, 320, 480, "0x808080"));

        var work = await render.Stage().PlanAsync(context, CancellationToken.None);
        var result = await render.Stage().RunAsync(context, CancellationToken.None);

        Assert.Equal(PlanAssetKind.Image, work.Plan.Assets["beat-1"].Kind);
        Assert.Equal(PlanAssetKind.Video, (await render.Stage().PlanAsync(await render.ContextAsync(StageRender.Request()), CancellationToken.None)).Plan.Assets["beat-1"].Kind);
        var video = result.Files.Single(f => f.Kind == Core.Stages.RenderStage.VideoKind).LocalPath!;
        var probe = await render.Runner.ProbeAsync(video, CancellationToken.None);
        Assert.Equal((360, 640), (probe.Width, probe.Height));
    }

    [Fact]
    public async Task A_zero_length_clip_fails_the_stage_with_one_line_naming_the_beat_and_its_file()
    {
        using var render = new StageRender();
        var context = await render.ContextAsync(StageRender.Request(), "beat-01.mp4", path => File.WriteAllBytesAsync(path, []));

        var error = await Assert.ThrowsAsync<UnusableClipException>(() => render.Stage().RunAsync(context, CancellationToken.None));

        Assert.Equal(("beat-1", "beat-1.mp4", "is empty (0 bytes)"), (error.AssetId, error.FileName, error.Reason));
        Assert.DoesNotContain('\n', error.Message);
    }
}
