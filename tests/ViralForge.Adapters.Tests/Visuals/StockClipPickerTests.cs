using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Visuals;

/// <summary>The picker's rules: the rendition by size, and the clip by freshness, sharpness, length and distinctness.</summary>
public sealed class StockClipPickerTests
{
    private static readonly VisualsOptions Options = new();
    private static readonly HashSet<string> None = [];

    [Fact]
    public void A_portrait_clip_gives_its_1080x1920_file_not_a_smaller_or_4K_one()
    {
        var clip = Clip("1", 10, (540, 960), (720, 1280), (1080, 1920), (2160, 3840));

        Assert.Equal((1080, 1920), Size(StockClipPicker.ChooseRendition(clip, 1080, 1920, Options)));
    }

    [Fact]
    public void A_landscape_clip_in_a_portrait_frame_gives_its_1080p_file_never_the_4K_one()
    {
        var clip = Clip("1", 10, (3840, 2160), (1280, 720), (1920, 1080));

        Assert.Equal((1920, 1080), Size(StockClipPicker.ChooseRendition(clip, 1080, 1920, Options)));
        Assert.Equal(1080, StockClipPicker.PixelsOnLongSide(new StockRendition(new Uri("https://x/1"), 1920, 1080, null, null), 1080, 1920));
    }

    [Fact]
    public void A_4K_file_is_taken_when_nothing_under_it_is_sharp_enough()
    {
        var clip = Clip("1", 10, (640, 360), (3840, 2160));

        Assert.Equal((3840, 2160), Size(StockClipPicker.ChooseRendition(clip, 1080, 1920, Options)));
    }

    [Fact]
    public void With_only_small_files_the_largest_is_taken_and_the_clip_ranks_below_sharp_ones()
    {
        var small = Clip("small", 10, (426, 240), (640, 360));
        var sharp = Clip("sharp", 10, (1080, 1920));

        var ranked = StockClipPicker.Rank([small, sharp], 5, 1080, 1920, Options, None, None);

        Assert.Equal(["sharp", "small"], ranked.Select(c => c.Clip.Id));
        Assert.Equal((640, 360), Size(ranked[1].Rendition));
        Assert.False(ranked[1].Sharp);
    }

    [Fact]
    public void A_clip_as_long_as_the_beat_goes_before_a_shorter_one_which_is_still_a_candidate()
    {
        var shorter = Clip("short", 3, (1080, 1920));
        var longer = Clip("long", 8, (1080, 1920));

        var ranked = StockClipPicker.Rank([shorter, longer], 6.5, 1080, 1920, Options, None, None);

        Assert.Equal(["long", "short"], ranked.Select(c => c.Clip.Id));
        Assert.False(ranked[1].LongEnough);
    }

    [Fact]
    public void A_clip_already_in_this_video_is_never_a_candidate()
    {
        var used = Clip("used", 10, (1080, 1920));
        var other = Clip("other", 10, (1080, 1920));

        var ranked = StockClipPicker.Rank([used, other], 5, 1080, 1920, Options, new HashSet<string> { used.Key }, None);

        Assert.Equal(["other"], ranked.Select(c => c.Clip.Id));
    }

    [Fact]
    public void A_clip_from_the_sheets_recent_videos_goes_last_but_stays_when_it_is_the_only_one()
    {
        var recent = Clip("recent", 10, (1080, 1920));
        var fresh = Clip("fresh", 10, (1080, 1920));
        var history = new HashSet<string> { recent.Key };

        var ranked = StockClipPicker.Rank([recent, fresh], 5, 1080, 1920, Options, None, history);
        var alone = StockClipPicker.Rank([recent], 5, 1080, 1920, Options, None, history);

        Assert.Equal(["fresh", "recent"], ranked.Select(c => c.Clip.Id));
        Assert.False(Assert.Single(alone).Fresh);
    }

    [Fact]
    public void Among_equals_the_sites_own_order_stays()
    {
        var clips = new[] { Clip("a", 10, (1080, 1920)), Clip("b", 10, (1080, 1920)), Clip("c", 10, (1080, 1920)) };

        Assert.Equal(["a", "b", "c"], StockClipPicker.Rank(clips, 5, 1080, 1920, Options, None, None).Select(c => c.Clip.Id));
    }

    private static StockClip Clip(string id, double seconds, params (int W, int H)[] sizes)
    {
        var renditions = sizes.Select(s => new StockRendition(new Uri($"https://videos.example/{id}/{s.W}x{s.H}.mp4"), s.W, s.H, 25, null)).ToList();
        var largest = sizes.MaxBy(s => s.W * s.H);
        return new StockClip("pexels", id, seconds, largest.W, largest.H, renditions, new ClipCredit("pexels", id, "A", null, $"https://www.pexels.com/video/{id}/", "Pexels License"));
    }

    private static (int, int) Size(StockRendition? rendition) => rendition is null ? default : (rendition.Width, rendition.Height);
}
