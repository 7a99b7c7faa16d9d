using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Spectre.Console;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Bench;

/// <summary>
/// `vf bench load` in this process on a small sheet, through every stage with real ffmpeg and espeak-ng: the figures it
/// prints come from the run's own records (no timing is asserted, only that the numbers agree with the database).
/// </summary>
public sealed class LoadBenchmarkTests
{
    [Fact]
    public async Task Three_rows_and_an_invalid_one_are_all_accounted_for_from_the_database()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var sheet = folder.File("given.csv");
        const string csv = "Topic,Platform,Duration,Language\n"
            + "Why cats sleep so much,youtube,10,en\n"
            + "A row asking for far too long,tiktok,5000,en\n"
            + "Cómo ahorrar en el supermercado,tiktok,10,es\n"
            + "\"Three habits, one \"\"deadline\"\"\",both,10,en\n";
        await File.WriteAllTextAsync(sheet, csv);
        var output = new StringWriter();
        LoadReport? report = null;

        var exit = await LoadBenchmark.RunAsync(new LoadBenchArguments(50, 15, sheet, Plain: false, TimeSpan.FromMinutes(15)), Console(output),
            CancellationToken.None, db.ConnectionString,
            new Dictionary<string, string?> { ["ViralForge:WorkFolder"] = folder.Path, ["ViralForge:Defaults:Music"] = "none" },
            r => report = r);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.NotNull(report);
        // The given sheet is copied, never written: its status columns go to the bench's copy.
        Assert.Equal(csv, await File.ReadAllTextAsync(sheet));
        Assert.Contains("Job ID", await File.ReadAllTextAsync(Path.Combine(folder.Path, "bench", "load", "sheet.csv")));

        Assert.Equal(3, report.Jobs.Count);
        Assert.Equal(3, report.Published.Count);
        Assert.Empty(report.NonTerminal);
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status = 'published'"));
        var invalid = Assert.Single(report.Invalid);
        // Rows are numbered as data rows, the header not counted.
        Assert.Equal(2, invalid.RowNumber);
        Assert.Contains("Duration 5000 s", invalid.Error);
        Assert.Contains("rows: 4 in the sheet, 3 valid, 1 invalid", text);
        Assert.Contains("published: 3 of 3 valid rows", text);
        Assert.Contains("non-terminal at the end: 0", text);
        Assert.Contains("  row 2: Duration 5000 s is outside 10-90 s", text);
        Assert.Contains("failed rows: 0", text);
        // One progress line per row as it ends.
        Assert.Equal(3, Regex.Count(text, @"^\s+[\d.]+ s  row \d published", RegexOptions.Multiline));

        // Retries and times agree with what the database holds.
        var retried = await db.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE dispatch_count > 1");
        Assert.Equal(retried, report.RetriedTasks);
        Assert.Contains($"attempts retried: {retried} tasks dispatched more than once", text);
        var (first, last) = await SpanAsync(db.DataSource);
        Assert.Equal(last - first, report.Span);
        Assert.All(report.RowTimes, t => Assert.True(t > TimeSpan.Zero && t <= last - first, t.ToString()));
        Assert.True(report.P50 <= report.P95, $"{report.P50} > {report.P95}");
        Assert.Equal(3 / (last - first).TotalHours, report.RowsPerHour!.Value, precision: 6);
        Assert.Equal(report.P50!.Value.TotalSeconds.ToString("0.0", CultureInfo.CurrentCulture), Figure(text, "time per row p50"));
        Assert.Equal(report.P95!.Value.TotalSeconds.ToString("0.0", CultureInfo.CurrentCulture), Figure(text, "time per row p95"));
        Assert.Equal(report.RowsPerHour.Value.ToString("0.0", CultureInfo.CurrentCulture), Figure(text, "rows per hour"));
        // ffmpeg ran as a child process, so its memory was seen.
        Assert.True(report.Memory.Children > 0, text);
        Assert.Matches(@"peak memory, child processes \(ffmpeg\): [1-9]\d* MB", text);
        Assert.Matches(@"peak memory, vf process: [1-9]\d* MB", text);
    }

    [Fact]
    public async Task A_missing_sheet_is_one_line_and_exit_2()
    {
        var output = new StringWriter();

        var exit = await LoadBenchmark.RunAsync(new LoadBenchArguments(3, 10, "/nowhere/sheet.csv", Plain: false, TimeSpan.FromMinutes(1)),
            Console(output), CancellationToken.None, "Host=unused");

        Assert.Equal(2, exit);
        Assert.Equal("--sheet: there is no file at /nowhere/sheet.csv.", output.ToString().Trim());
    }

    [Theory]
    [InlineData(0, 15, "--rows must be from 1 to 10000, not 0.")]
    [InlineData(5, 5000, "--seconds must be from 10 to 90 (a row's Duration), not 5000.")]
    public async Task Arguments_out_of_range_are_refused_naming_the_option(int rows, int seconds, string message)
    {
        var output = new StringWriter();

        var exit = await LoadBenchmark.RunAsync(new LoadBenchArguments(rows, seconds, null, Plain: true, TimeSpan.FromMinutes(1)),
            Console(output), CancellationToken.None, "Host=unused");

        Assert.Equal(2, exit);
        Assert.Equal(message, output.ToString().Trim());
    }

    /// <summary>The first job's creation and the last job's publication (its last update), straight from the jobs table.</summary>
    private static async Task<(DateTimeOffset First, DateTimeOffset Last)> SpanAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT min(created_at) FROM jobs), (SELECT max(updated_at) FROM jobs WHERE status = 'published')");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    private static string Figure(string text, string label)
    {
        var match = Regex.Match(text, Regex.Escape(label) + @": ([\d.,]+)");
        Assert.True(match.Success, $"no '{label}' in:\n{text}");
        return match.Groups[1].Value;
    }

    private static IAnsiConsole Console(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
