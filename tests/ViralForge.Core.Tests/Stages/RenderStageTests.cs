using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

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
}
