using ViralForge.Core.Sheets;

namespace ViralForge.Core.Tests.Sheets;

public class SheetLayoutTests
{
    [Fact]
    public void Columns_are_found_by_header_text_in_any_order_and_case_ignoring_unknown_ones()
    {
        var layout = SheetLayout.FromHeader(["Owner", " job id ", "NOTES", "topic", "Status"], "sheet");

        Assert.Equal(3, layout.IndexOf(SheetContract.Topic));
        Assert.Equal(1, layout.IndexOf(SheetContract.JobId));
        Assert.Equal(2, layout.IndexOf(SheetContract.Notes));
        Assert.Equal(4, layout.IndexOf(SheetContract.Status));
        Assert.False(layout.TryIndexOf("Owner", out _));
        Assert.False(layout.TryIndexOf(SheetContract.Platform, out _));
        Assert.Equal(5, layout.Width);
        Assert.False(layout.HasAllOutputs);
    }

    [Fact]
    public void The_first_of_two_same_named_columns_wins()
    {
        var layout = SheetLayout.FromHeader(["Topic", "Status", "status"], "sheet");

        Assert.Equal(1, layout.IndexOf(SheetContract.Status));
    }

    [Theory]
    [InlineData(new[] { "Title", "", "Platform", "Job ID" }, "\"Title\", \"Platform\", \"Job ID\"")]
    [InlineData(new[] { "", "" }, "(none)")]
    [InlineData(new string[0], "(none)")]
    public void A_header_without_topic_names_the_sheet_and_the_headers_found(string[] header, string found)
    {
        var error = Assert.Throws<InvalidDataException>(() => SheetLayout.FromHeader(header, "gsheet:abc/Ideas"));

        Assert.Equal($"gsheet:abc/Ideas has no Topic column in its first row; headers found: {found}.", error.Message);
    }

    [Fact]
    public void A_row_holds_the_contract_cells_under_canonical_names_and_short_rows_read_as_empty()
    {
        var layout = SheetLayout.FromHeader(["Owner", "TOPIC", "Platform", "Job ID"], "sheet");

        var row = layout.ToRow(["me", "Cats", "tiktok"], 4);

        Assert.Equal(4, row.RowNumber);
        Assert.Equal(
            new Dictionary<string, string> { [SheetContract.Topic] = "Cats", [SheetContract.Platform] = "tiktok", [SheetContract.JobId] = "" },
            row.Cells);
        Assert.Equal(row.Cells, layout.ToRow(i => new[] { "me", "Cats", "tiktok" }.ElementAtOrDefault(i) ?? "", 4).Cells);
    }

    [Fact]
    public void Missing_output_columns_are_placed_at_once_in_contract_order_right_of_the_widest_row()
    {
        var layout = SheetLayout.FromHeader(["Topic", "Status", "Notes"], "sheet");

        var added = layout.AddMissingOutputColumns(widestRow: 5);

        var missing = SheetContract.OutputColumns.Where(c => c != SheetContract.Status).ToList();
        Assert.Equal(missing.Select((name, i) => (5 + i, name)), added);
        Assert.Equal(1, layout.IndexOf(SheetContract.Status));
        Assert.All(added, a => Assert.Equal(a.Column, layout.IndexOf(a.Name)));
        Assert.True(layout.HasAllOutputs);
        Assert.Empty(layout.AddMissingOutputColumns(widestRow: 20));
    }

    [Fact]
    public void Missing_output_columns_never_land_on_a_contract_column_even_past_the_widest_row_given()
    {
        var layout = SheetLayout.FromHeader(["Topic", "", "", "Job ID"], "sheet");

        var added = layout.AddMissingOutputColumns(widestRow: 2);

        Assert.Equal(4, added[0].Column);
        Assert.Equal(SheetContract.Status, added[0].Name);
    }

    [Fact]
    public void A_positional_locator_still_holds_a_row_only_while_its_inputs_hash_the_same()
    {
        var layout = SheetLayout.FromHeader(["Topic", "Status"], "sheet");
        var row = layout.ToRow(["Cats", "queued"], 1);
        var locator = RowLocator.ByPosition(1, RowHasher.Hash(row).ToUpperInvariant());

        Assert.True(locator.StillHolds(row));
        Assert.True(locator.StillHolds(layout.ToRow(["Cats", "failed"], 1)));
        Assert.False(locator.StillHolds(layout.ToRow(["Dogs", "queued"], 1)));
    }
}
