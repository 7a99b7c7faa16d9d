using ViralForge.Adapters.Local;
using ViralForge.Core.Sheets;

namespace ViralForge.Cli.Tests;

public sealed class SampleSheetTests
{
    private static string SamplePath => Path.Combine(AppContext.BaseDirectory, "Samples", "sample-sheet.csv");

    [Fact]
    public async Task The_demo_sheet_has_three_valid_rows_and_one_that_shows_every_kind_of_error()
    {
        var rows = await new CsvSheet(SamplePath).ReadRowsAsync(CancellationToken.None);
        var results = rows.Select(RowValidator.Validate).ToList();

        Assert.Equal(3, results.Count(r => r.IsValid));
        var invalid = Assert.Single(results, r => !r.IsValid);
        Assert.Contains("myspace", invalid.Error);
        Assert.Contains("Duration", invalid.Error);
        Assert.Contains("next tuesday", invalid.Error);
    }

    [Fact]
    public async Task The_demo_rows_are_distinct_requests()
    {
        var rows = await new CsvSheet(SamplePath).ReadRowsAsync(CancellationToken.None);
        Assert.Equal(rows.Count, rows.Select(RowHasher.Hash).Distinct().Count());
    }
}
