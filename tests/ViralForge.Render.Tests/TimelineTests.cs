using ViralForge.Core.Ports;

namespace ViralForge.Render.Tests;

public class TimelineTests
{
    [Fact]
    public void Fades_overlap_scenes_and_everything_is_counted_in_whole_frames()
    {
        PlanScene[] scenes =
        [
            new() { Duration = 2.0 },
            new() { Duration = 1.51, Transition = 0.3 },
            new() { Duration = 1.0, Transition = 0 },
        ];

        var timeline = Timeline.Of(scenes, 30);

        Assert.Equal([60, 45, 30], timeline.SceneFrames);
        Assert.Equal([0, 9, 0], timeline.TransitionFrames);
        Assert.Equal([0, 51, 96], timeline.StartFrames);
        Assert.Equal(126, timeline.TotalFrames);
        Assert.Equal(4.2, timeline.TotalSeconds, 6);
    }
}
