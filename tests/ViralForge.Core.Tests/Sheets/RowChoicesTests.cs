using ViralForge.Core.Jobs;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Tests.Sheets;

/// <summary>The per-row choice columns: Voice, Music, Caption Style, Format, Watermark and Review Script.</summary>
public class RowChoicesTests
{
    private static SheetRow Row(params (string Column, string Value)[] cells)
    {
        var all = new Dictionary<string, string> { [SheetContract.Topic] = "Houseplants that survive dark flats" };
        foreach (var (column, value) in cells)
        {
            all[column] = value;
        }
        return new SheetRow(1, all);
    }

    [Fact]
    public void Empty_choice_cells_take_the_deployment_defaults()
    {
        var defaults = new RowDefaults("espeak:en+f3", "upbeat", "boxed", "1:1", "off", ReviewScript: true);

        var request = RowValidator.Validate(Row(), defaults).Request!;

        Assert.Equal(("espeak:en+f3", "upbeat", "boxed", "1:1", "off", true),
            (request.Voice, request.Music, request.CaptionStyle, request.Format, request.Watermark, request.ReviewScript));
    }

    [Fact]
    public void Filled_choice_cells_win_over_the_defaults_and_are_made_canonical()
    {
        var request = RowValidator.Validate(Row(
            (SheetContract.Voice, " OpenAI:alloy "),
            (SheetContract.Music, "Dramatic"),
            (SheetContract.CaptionStyle, "MINIMAL"),
            (SheetContract.Format, "16x9"),
            (SheetContract.Watermark, "brand/logo.png"),
            (SheetContract.ReviewScript, "yes")), new RowDefaults(Music: "none")).Request!;

        Assert.Equal(("openai:alloy", "dramatic", "minimal", "16:9", "brand/logo.png", true),
            (request.Voice, request.Music, request.CaptionStyle, request.Format, request.Watermark, request.ReviewScript));
    }

    [Theory]
    [InlineData(SheetContract.Voice, "f3", "Voice \"f3\" is not provider:voice; write e.g. espeak:en+f3, openai:alloy or elevenlabs:Rachel, or leave it empty for the default voice")]
    [InlineData(SheetContract.Voice, "polly:Joanna", "Voice \"polly:Joanna\" is not provider:voice")]
    [InlineData(SheetContract.Music, "jazz", "Music \"jazz\" is not none, a mood (calm, upbeat, dramatic, playful) or an audio file in the blob store (e.g. music/theme.mp3)")]
    [InlineData(SheetContract.Music, "music/cover.png", "Music \"music/cover.png\" is not none")]
    [InlineData(SheetContract.CaptionStyle, "comic", "Caption Style \"comic\" is not allowed; use bold-pop, boxed or minimal")]
    [InlineData(SheetContract.Format, "4:3", "Format \"4:3\" is not allowed; use 9:16 (vertical), 1:1 (square) or 16:9 (landscape)")]
    [InlineData(SheetContract.Watermark, "big", "Watermark \"big\" is not on, off or an image in the blob store (e.g. brand/logo.png)")]
    [InlineData(SheetContract.Watermark, "brand/logo.mp3", "Watermark \"brand/logo.mp3\" is not on, off")]
    [InlineData(SheetContract.ReviewScript, "maybe", "Review Script \"maybe\" is not yes or no")]
    public void A_bad_choice_says_which_values_the_column_takes(string column, string value, string error)
    {
        var result = RowValidator.Validate(Row((column, value)));

        Assert.False(result.IsValid);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_default_in_settings_is_refused_with_the_cells_words()
    {
        var errors = RowValidator.CheckDefaults(new RowDefaults(Format: "4:3", CaptionStyle: "comic"));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Format \"4:3\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_choice_columns_keep_the_hash_a_row_had_before_they_existed()
    {
        var before = new SheetRow(1, new Dictionary<string, string> { [SheetContract.Topic] = "x", [SheetContract.Duration] = "20" });
        var withEmptyChoices = new SheetRow(1, new Dictionary<string, string>
        {
            [SheetContract.Topic] = "x", [SheetContract.Duration] = "20", [SheetContract.Music] = " ", [SheetContract.Format] = "",
        });
        var withAChoice = new SheetRow(1, new Dictionary<string, string>
        {
            [SheetContract.Topic] = "x", [SheetContract.Duration] = "20", [SheetContract.Format] = "1:1",
        });

        Assert.Equal(RowHasher.Hash(before), RowHasher.Hash(withEmptyChoices));
        Assert.NotEqual(RowHasher.Hash(before), RowHasher.Hash(withAChoice));
    }

    [Theory]
    [InlineData("9:16", 1920, 1080, 1920)]
    [InlineData("1:1", 1920, 1920, 1920)]
    [InlineData("16:9", 1920, 1920, 1080)]
    [InlineData("9:16", 640, 360, 640)]
    public void Each_format_has_an_even_frame_with_the_long_side_given(string format, int longSide, int width, int height)
    {
        Assert.Equal((width, height), VideoChoices.FrameSize(format, longSide));
    }
}
