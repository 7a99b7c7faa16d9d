using ViralForge.Core.Ports;

namespace ViralForge.Render.Tests;

public class CaptionStyleTests
{
    private static readonly CaptionLayout Layout = new(1080, 1920, "DejaVu Sans");

    private static string StyleLine(CaptionStyle style) =>
        Assert.Single(CaptionTrack.BuildAss([new WordTiming("Hi", 0, 1)], Layout, style).Split('\n'), l => l.StartsWith("Style:", StringComparison.Ordinal));

    private static string Text(CaptionStyle style) =>
        CaptionTrack.BuildAss([new WordTiming("Hi", 0, 1), new WordTiming("there", 0.5, 1)], Layout, style)
            .Split('\n').First(l => l.StartsWith("Dialogue:", StringComparison.Ordinal)).Split(',', 10)[9];

    [Fact]
    public void Bold_pop_is_white_bold_with_a_thick_black_outline_and_a_yellow_spoken_word()
    {
        // Same font size, colours, outline and shadow as the captions before presets; the margins come from the safe
        // area plus the outline and shadow that stick out of the letters.
        Assert.Equal(
            "Style: Caption,DejaVu Sans,77,&H00FFFFFF,&H0000FFFF,&H00000000,&H96000000,-1,0,0,0,100,100,0,0,1,7,3,2,83,172,432,1",
            StyleLine(CaptionStyle.BoldPop));
        Assert.Equal(@"{\c&H00FFFF&}Hi{\c&HFFFFFF&} there", Text(CaptionStyle.BoldPop));
    }

    [Fact]
    public void Boxed_draws_white_words_on_a_translucent_black_box_with_a_cyan_spoken_word()
    {
        // BorderStyle 3: the outline colour fills the box (alpha 66 is 60% opaque) and the outline width pads it.
        Assert.Equal(
            "Style: Caption,DejaVu Sans,69,&H00FFFFFF,&H00FFE84D,&H66000000,&H96000000,-1,0,0,0,100,100,0,0,3,12,0,2,88,174,434,1",
            StyleLine(CaptionStyle.Boxed));
        Assert.Equal(@"{\c&HFFE84D&}Hi{\c&HFFFFFF&} there", Text(CaptionStyle.Boxed));
    }

    [Fact]
    public void Minimal_is_smaller_and_regular_weight_with_a_thin_outline_and_a_shadow()
    {
        Assert.Equal(
            "Style: Caption,DejaVu Sans,61,&H00FFFFFF,&H004DD8FF,&H00000000,&H96000000,0,0,0,0,100,100,0,0,1,2,4,2,78,168,428,1",
            StyleLine(CaptionStyle.Minimal));
        Assert.Equal(@"{\c&H4DD8FF&}Hi{\c&HFFFFFF&} there", Text(CaptionStyle.Minimal));
    }

    [Fact]
    public void Sizes_scale_with_the_frame_and_thin_outlines_keep_two_pixels()
    {
        Assert.Equal((26, 2, 1), (CaptionStyle.BoldPop.FontPixels(640), CaptionStyle.BoldPop.OutlinePixels(640), CaptionStyle.BoldPop.ShadowPixels(640)));
        Assert.Equal((13, 2, 1), (CaptionStyle.BoldPop.FontPixels(320), CaptionStyle.BoldPop.OutlinePixels(320), CaptionStyle.BoldPop.ShadowPixels(320)));
        Assert.Equal(0, CaptionStyle.Boxed.ShadowPixels(1920));
    }

    [Fact]
    public void Each_preset_limits_its_lines()
    {
        var words = Enumerable.Range(0, 10).Select(i => new WordTiming("ab", i * 0.3, (i * 0.3) + 0.2)).ToList();

        Assert.Equal([4, 4, 2], CaptionTrack.GroupLines(words, CaptionStyle.BoldPop).Select(l => l.Words.Count));
        Assert.Equal([5, 5], CaptionTrack.GroupLines(words, CaptionStyle.Minimal).Select(l => l.Words.Count));
    }

    [Theory]
    [InlineData("bold-pop")]
    [InlineData("BOLD-POP")]
    [InlineData("Boxed")]
    [InlineData(" minimal ")]
    public void Presets_are_found_by_name_ignoring_case(string name)
    {
        Assert.True(CaptionStyle.TryGet(name, out var style));
        Assert.Equal(name.Trim(), style.Name, ignoreCase: true);
    }

    [Fact]
    public void An_unknown_name_finds_no_preset()
    {
        Assert.False(CaptionStyle.TryGet("comic-sans", out var style));
        Assert.Null(style);
    }

    [Fact]
    public void All_lists_every_preset_once_with_bold_pop_first()
    {
        Assert.Equal(["bold-pop", "boxed", "minimal"], CaptionStyle.All.Select(s => s.Name));
    }

    [Theory]
    [InlineData("white")]
    [InlineData("#FFF")]
    [InlineData("FFFFFF")]
    [InlineData("#GGGGGG")]
    [InlineData("#FFFFFF00")]
    [InlineData("#FFFFFF\n")]
    public void A_colour_that_is_not_hash_rrggbb_is_rejected(string colour)
    {
        var error = Assert.Throws<ArgumentException>(() => CaptionStyle.BoldPop with { HighlightColour = colour });

        Assert.Contains("#RRGGBB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Colours_are_kept_in_upper_case()
    {
        Assert.Equal("#ABCDEF", (CaptionStyle.BoldPop with { PrimaryColour = "#abcdef" }).PrimaryColour);
    }

    [Fact]
    public void Sizes_and_limits_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionStyle.BoldPop with { FontSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionStyle.BoldPop with { FontSize = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionStyle.BoldPop with { OutlineWidth = -0.01 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionStyle.BoldPop with { BoxOpacity = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionStyle.BoldPop with { MaxWordsPerLine = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionStyle.BoldPop with { MaxCharsPerLine = 2 });
        Assert.Throws<ArgumentException>(() => CaptionStyle.BoldPop with { Name = " " });
    }

    [Fact]
    public void Colours_convert_to_ass_blue_green_red_order()
    {
        Assert.Equal("&H00332211", CaptionTrack.AssColour("#112233"));
        Assert.Equal("&H80332211", CaptionTrack.AssColour("#112233", 0x80));
        Assert.Equal(@"{\c&H332211&}", CaptionTrack.ColourTag("#112233"));
    }
}
