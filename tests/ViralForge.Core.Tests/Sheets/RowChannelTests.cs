using ViralForge.Core.Sheets;

namespace ViralForge.Core.Tests.Sheets;

/// <summary>The Channel column: which connected account a row posts to, free text checked only for length.</summary>
public class RowChannelTests
{
    private static SheetRow Row(string? channel)
    {
        var cells = new Dictionary<string, string> { [SheetContract.Topic] = "Houseplants that survive dark flats" };
        if (channel is not null)
        {
            cells[SheetContract.Channel] = channel;
        }
        return new SheetRow(1, cells);
    }

    [Fact]
    public void A_filled_Channel_is_kept_trimmed_and_an_empty_one_takes_the_default_or_nothing()
    {
        Assert.Equal("Garden Tips", RowValidator.Validate(Row("  Garden Tips ")).Request!.Channel);
        Assert.Equal("", RowValidator.Validate(Row(null)).Request!.Channel);
        Assert.Equal("gardentips", RowValidator.Validate(Row(" "), new RowDefaults(Channel: "gardentips")).Request!.Channel);
        Assert.Equal("Garden Tips", RowValidator.Validate(Row("Garden Tips"), new RowDefaults(Channel: "gardentips")).Request!.Channel);
    }

    [Fact]
    public void A_Channel_over_100_characters_is_refused_saying_the_limit()
    {
        var result = RowValidator.Validate(Row(new string('x', 101)));

        Assert.False(result.IsValid);
        Assert.StartsWith("Channel is 101 characters long", result.Error, StringComparison.Ordinal);
        Assert.Contains("at most 100", result.Error, StringComparison.Ordinal);
        Assert.True(RowValidator.Validate(Row(new string('x', 100))).IsValid);
    }

    [Fact]
    public void Channel_is_an_input_and_a_choice_column_so_an_empty_cell_keeps_old_row_hashes()
    {
        Assert.Contains(SheetContract.Channel, SheetContract.InputColumns);
        Assert.Contains(SheetContract.Channel, SheetContract.ChoiceColumns);
        Assert.Equal(RowHasher.Hash(Row(null)), RowHasher.Hash(Row("")));
        Assert.NotEqual(RowHasher.Hash(Row(null)), RowHasher.Hash(Row("Garden Tips")));
    }

    [Fact]
    public void A_too_long_default_Channel_in_settings_is_refused_at_start()
    {
        var errors = RowValidator.CheckDefaults(new RowDefaults(Channel: new string('y', 120)));

        Assert.StartsWith("Channel is 120 characters long", Assert.Single(errors), StringComparison.Ordinal);
    }
}
