using ViralForge.Adapters.Local;
using ViralForge.Core.Sheets;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Bench;

/// <summary>The sheets `vf bench load` runs: the generated ones and the checked-in acceptance sheet eng/sheets/hostile-12.csv.</summary>
public sealed class LoadSheetTests
{
    [Fact]
    public async Task A_plain_generated_sheet_is_every_row_valid_distinct_and_varied()
    {
        var rows = await ReadAsync(LoadSheet.Generate(50, 15, plain: true));

        Assert.Equal(50, rows.Count);
        var requests = rows.Select(r => RowValidator.Validate(r).Request!).ToList();
        Assert.All(requests, Assert.NotNull);
        Assert.Equal(50, rows.Select(RowHasher.Hash).Distinct().Count());
        Assert.Equal([12, 15, 18], requests.Select(r => r.DurationSeconds).Distinct().Order());
        Assert.Equal(["en", "es"], requests.Select(r => r.Language).Distinct().Order());
        Assert.Equal(3, requests.Select(r => r.Platforms).Distinct().Count());
    }

    [Fact]
    public async Task A_hostile_generated_sheet_keeps_every_hostile_cell_intact_and_has_two_invalid_rows()
    {
        var rows = await ReadAsync(LoadSheet.Generate(50, 15, plain: false));

        Assert.Equal(50, rows.Count);
        var invalid = rows.Select(RowValidator.Validate).Where(v => !v.IsValid).Select(v => v.Error).ToList();
        Assert.Collection(invalid,
            e => Assert.Equal("Duration 5000 s is outside 10-90 s", e),
            e => Assert.Equal("Topic is required", e));
        Assert.Equal(50, rows.Select(RowHasher.Hash).Distinct().Count());
        AssertHostileCells(rows);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 1)]
    [InlineData(12, 2)]
    public async Task Small_hostile_sheets_keep_most_rows_valid(int count, int invalid)
    {
        var rows = await ReadAsync(LoadSheet.Generate(count, 10, plain: false));

        Assert.Equal(count, rows.Count);
        Assert.Equal(invalid, rows.Count(r => !RowValidator.Validate(r).IsValid));
    }

    [Fact]
    public async Task The_acceptance_sheet_has_ten_valid_rows_two_invalid_and_every_kind_of_hostile_cell()
    {
        var rows = await new CsvSheet(RepositoryRoot.File("eng/sheets/hostile-12.csv")).ReadRowsAsync(CancellationToken.None);

        Assert.Equal(12, rows.Count);
        var validations = rows.Select(RowValidator.Validate).ToList();
        Assert.Equal(10, validations.Count(v => v.IsValid));
        Assert.Equal(["Duration 5000 s is outside 10-90 s", "Topic is required"], validations.Where(v => !v.IsValid).Select(v => v.Error));
        Assert.Equal(12, rows.Select(RowHasher.Hash).Distinct().Count());
        var requests = validations.Where(v => v.IsValid).Select(v => v.Request!).ToList();
        Assert.Equal(["en", "es"], requests.Select(r => r.Language).Distinct().Order());
        Assert.Equal(3, requests.Select(r => r.Platforms).Distinct().Count());
        AssertHostileCells(rows);
    }

    /// <summary>Each kind of cell people paste reached the row as written: the CSV quoting held.</summary>
    private static void AssertHostileCells(IReadOnlyList<SheetRow> rows)
    {
        var topics = rows.Select(r => r.Get(SheetContract.Topic)).ToList();
        var notes = rows.Select(r => r.Get(SheetContract.Notes)).ToList();
        Assert.Contains(topics, t => t.StartsWith("=HYPERLINK(\"http://x\",\"y\")", StringComparison.Ordinal));
        Assert.Contains(topics, t => t.StartsWith("+cmd|' /C calc'!A0", StringComparison.Ordinal));
        Assert.Contains(topics, t => t.Length is > 250 and <= RowValidator.MaxTopicLength);
        Assert.Contains(notes, n => n.Length > 3900);
        Assert.Contains(topics, t => t.Contains("🐱", StringComparison.Ordinal));
        Assert.Contains(topics, t => t.Contains("لماذا", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains('\u202E', StringComparison.Ordinal));
        Assert.Contains(topics, t => t.Contains("Say \"no\", then,", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("Line one.\nLine two, with a comma.", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<SheetRow>> ReadAsync(string csv)
    {
        using var folder = new TempFolder();
        var path = folder.File("sheet.csv");
        await File.WriteAllTextAsync(path, csv);
        return await new CsvSheet(path).ReadRowsAsync(CancellationToken.None);
    }
}
