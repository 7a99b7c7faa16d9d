using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Spectre.Console;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Costs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Cli;

/// <summary>One row of `vf cost --sheet`: what one provider was paid for one sheet row, summed over its calls.</summary>
/// <param name="Units">Units by kind ("1834 tokens", "512 characters"), a provider billing in more than one kind joined.</param>
public sealed record CostLine(int RowNumber, string Topic, string Provider, string Units, decimal Usd);

/// <summary>
/// `vf cost`: with --sheet, what each row of a sheet cost per provider, from the cost ledger; with --prices, what a 30 s
/// and a 60 s short cost per provider combination at today's price table (docs/PROVIDERS.md is that output).
/// </summary>
public static class CostReport
{
    /// <summary>What a row with a job but no paid call shows as its provider: every stage ran offline.</summary>
    public const string NothingPaid = "offline (nothing paid)";

    /// <param name="databaseUrl">The database to read (tests give theirs); VF_DATABASE_URL when null.</param>
    public static async Task<int> RunSheetAsync(string sheetPath, IAnsiConsole console, CancellationToken cancellationToken, string? databaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        // Each problem a person can fix is one line (CliErrors), checked before the database is touched.
        var fullPath = CheckSheet(sheetPath);
        databaseUrl = databaseUrl is null ? LocalRuntime.DatabaseUrl() : CliErrors.DatabaseUrl(databaseUrl);
        await using var dataSource = new NpgsqlDataSourceBuilder(PostgresConnection.ToConnectionString(databaseUrl)).Build();
        IReadOnlyList<CostLine> lines;
        try
        {
            lines = await LinesAsync(new CsvSheet(fullPath), new PostgresCostLedger(dataSource, TimeProvider.System), cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A report only reads: the schema is the hosts' to apply (they do at start), not this command's.
            throw new CliProblemException(
                $"the database {PostgresConnection.EnvironmentVariable} names has no cost ledger yet (SqlState {e.SqlState}). Run the sheet first (vf run --sheet {fullPath}), which applies the schema", e);
        }
        Write(console, fullPath, lines);
        return 0;
    }

    public static int RunPrices(IConfiguration configuration, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var costs = ShortCosts.Compute(Prices(configuration), new CostAssumptions(WordsPerMinute: WordsPerMinute(configuration)));
        // Plain text, not markup: the output is the Markdown docs/PROVIDERS.md carries.
        console.Profile.Width = Math.Max(console.Profile.Width, 400);
        console.Write(new Text(costs.ToMarkdown()));
        return 0;
    }

    /// <summary>
    /// Today's price table with the configured overrides: OpenAI:PricesAsOf and OpenAI:Prices:&lt;model&gt; (the same
    /// settings the OpenAI adapter charges from), so the table says what this deployment pays.
    /// </summary>
    public static PriceTable Prices(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var table = PriceTable.Default();
        configuration.GetSection("OpenAI:Prices").Bind(table.ChatModels);
        if (configuration["OpenAI:PricesAsOf"] is { Length: > 0 } asOf)
        {
            table.PricesAsOf = DateOnly.Parse(asOf, CultureInfo.InvariantCulture);
        }
        return table;
    }

    /// <summary>Every row of the sheet that has a job, one line per provider it paid (or one saying nothing was paid).</summary>
    public static async Task<IReadOnlyList<CostLine>> LinesAsync(ISheet sheet, ICostLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(ledger);
        var lines = new List<CostLine>();
        foreach (var row in await sheet.ReadRowsAsync(cancellationToken))
        {
            if (!Guid.TryParse(row.JobId, out var jobId))
            {
                continue;
            }
            var topic = row.Get(SheetContract.Topic);
            var calls = await ledger.ListAsync(jobId, cancellationToken);
            if (calls.Count == 0)
            {
                lines.Add(new CostLine(row.RowNumber, topic, NothingPaid, "", 0m));
                continue;
            }
            foreach (var provider in calls.GroupBy(c => c.Provider).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var units = string.Join(" + ", provider.GroupBy(c => c.UnitKind).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(kind => $"{kind.Sum(c => c.Units).ToString("0.##", CultureInfo.InvariantCulture)} {kind.Key}"));
                lines.Add(new CostLine(row.RowNumber, topic, provider.Key, units, provider.Sum(c => c.Usd)));
            }
        }
        return lines;
    }

    private static void Write(IAnsiConsole console, string sheetPath, IReadOnlyList<CostLine> lines)
    {
        if (lines.Count == 0)
        {
            console.MarkupLineInterpolated($"No row of [blue]{sheetPath}[/] has a job yet: run it first (vf run --sheet {sheetPath}).");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Row", "Topic", "Provider", "Units", "USD");
        table.Columns[4].RightAligned();
        foreach (var line in lines)
        {
            table.AddRow(line.RowNumber.ToString(CultureInfo.InvariantCulture), Markup.Escape(Shorten(line.Topic, 40)),
                Markup.Escape(line.Provider), Markup.Escape(line.Units), JobCost.Cell(line.Usd));
        }
        var rows = lines.Select(l => l.RowNumber).Distinct().Count();
        table.AddRow("[bold]Total[/]", $"{rows} rows", "", "", $"[bold]{JobCost.Cell(lines.Sum(l => l.Usd))}[/]");
        console.Write(table);
    }

    /// <summary>A sheet that is read, not written: it has to exist and be a file.</summary>
    private static string CheckSheet(string sheetPath)
    {
        var fullPath = Path.GetFullPath(sheetPath);
        if (Directory.Exists(fullPath))
        {
            throw new CliProblemException($"{fullPath} is a folder. Give --sheet the CSV file vf run wrote each row's Job ID into, such as {Path.Combine(fullPath, "ideas.csv")}");
        }
        if (!File.Exists(fullPath))
        {
            throw new CliProblemException($"there is no sheet at {fullPath}. Check the path: vf cost reads the CSV that vf run or vf demo wrote each row's Job ID into");
        }
        return fullPath;
    }

    private static int WordsPerMinute(IConfiguration configuration) =>
        int.TryParse(configuration["ViralForge:Media:WordsPerMinute"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var wpm) && wpm > 0
            ? wpm
            : new Core.MediaOptions().WordsPerMinute;

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
