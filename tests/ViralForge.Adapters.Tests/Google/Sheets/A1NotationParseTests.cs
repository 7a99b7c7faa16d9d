using ViralForge.Adapters.Google.Sheets;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>
/// Reading A1 ranges back, which the simulated Sheets APIs do with every request: pinned to literal ranges here, so a
/// fault shared with the writing side would still show.
/// </summary>
public sealed class A1NotationParseTests
{
    [Theory]
    [InlineData("'Ideas'", "Ideas", null, null, null, null)]
    [InlineData("Ideas", "Ideas", null, null, null, null)]
    [InlineData("'Ideas ''24'!A1", "Ideas '24", 1, 0, 1, 0)]
    [InlineData("'Jon''s_Data'!AA7:AC7", "Jon's_Data", 7, 26, 7, 28)]
    [InlineData("'A1'!D12", "A1", 12, 3, 12, 3)]
    [InlineData("'Q1/Q2 ideas!'!Z2:AA2", "Q1/Q2 ideas!", 2, 25, 2, 26)]
    [InlineData("'Ideas'!1:1", "Ideas", 1, null, 1, null)]
    [InlineData("'Ideas'!AB:AB", "Ideas", null, 27, null, 27)]
    [InlineData("Ideas!A5:A", "Ideas", 5, 0, null, 0)]
    [InlineData("Ideas!xfd3", "Ideas", 3, 16383, 3, 16383)]
    public void Reads_tab_rows_and_columns_leaving_open_bounds_null(string text, string tab, int? firstRow, int? firstColumn, int? lastRow, int? lastColumn)
    {
        Assert.True(A1Notation.TryParse(text, out var range));
        Assert.Equal(new A1Range(tab, firstRow, firstColumn, lastRow, lastColumn), range);
        Assert.Equal(range, A1Notation.Parse(text));
    }

    [Theory]
    [InlineData("'Ideas")]
    [InlineData("'Ideas'x")]
    [InlineData("''!A1")]
    [InlineData("!A1")]
    [InlineData("'Ideas'!")]
    [InlineData("'Ideas'!A0")]
    [InlineData("'Ideas'!A1:B2:C3")]
    [InlineData("'Ideas'!A1B")]
    [InlineData("'Ideas'!-1:1")]
    public void Refuses_what_is_no_range_of_one_tab(string text)
    {
        Assert.False(A1Notation.TryParse(text, out var range));
        Assert.Null(range);
        Assert.Throws<FormatException>(() => A1Notation.Parse(text));
    }

    [Theory]
    [InlineData("Ideas", 1, 0, 0)]
    [InlineData("it's 'quoted'", 1000, 701, 702)]
    [InlineData("A1", 3, 16383, 16383)]
    public void Reads_back_what_Cells_writes(string tab, int row, int first, int last) =>
        Assert.Equal(new A1Range(tab, row, first, row, last), A1Notation.Parse(A1Notation.Cells(tab, row, first, last)));
}
