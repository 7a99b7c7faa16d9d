using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests;

/// <summary>`vf cost`: a sheet's rows per provider from the ledger, and the price table per short.</summary>
public sealed class CostReportTests
{
    private static readonly DateOnly PricesOf = new(2026, 12, 4);

    [Fact]
    public async Task The_sheet_report_gives_each_row_its_providers_units_and_dollars_and_a_total()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var store = new PostgresJobStore(db.DataSource, new FakeTimeProvider());
        var ledger = new PostgresCostLedger(db.DataSource, new FakeTimeProvider());
        var paid = await SubmitAsync(store, "Octopus facts");
        var offline = await SubmitAsync(store, "Desk stretches");
        await ledger.RecordAsync(Call(new PaidWork(paid, StageName.Script, 1, "script"), "openai", 1800m, "tokens", 0.0021m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(paid, StageName.Script, 1, "moderation"), "openai", 0m, "tokens", 0m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(paid, StageName.Voice, 1, "whisper"), "openai", 31m, "seconds", 0.0031m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(paid, StageName.Voice, 1, "tts"), "elevenlabs", 512m, "characters", 0.0512m), CancellationToken.None);
        await ledger.RecordAsync(Call(new PaidWork(paid, StageName.Voice, 2, "tts"), "elevenlabs", 500m, "characters", 0.05m), CancellationToken.None);
        var sheet = folder.File("ideas.csv");
        await File.WriteAllTextAsync(sheet, $"Topic,Job ID\nOctopus facts,{paid}\nNot run yet,\nDesk stretches,{offline}\n");
        var output = new StringWriter();

        var lines = await CostReport.LinesAsync(new CsvSheet(sheet), ledger, CancellationToken.None);
        var exit = await CostReport.RunSheetAsync(sheet, Console(output), CancellationToken.None, db.ConnectionString);

        Assert.Equal(
            [
                new CostLine(1, "Octopus facts", "elevenlabs", "1012 characters", 0.1012m),
                new CostLine(1, "Octopus facts", "openai", "31 seconds + 1800 tokens", 0.0052m),
                new CostLine(3, "Desk stretches", CostReport.NothingPaid, "", 0m),
            ],
            lines);
        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("1012 characters", text, StringComparison.Ordinal);
        Assert.Matches(@"Total\s+│\s+2 rows.*0\.1064", text);
    }

    [Fact]
    public async Task A_missing_sheet_or_an_unreachable_database_is_one_line_saying_what_to_fix()
    {
        using var folder = new TempFolder();
        var sheet = folder.File("ideas.csv");
        await File.WriteAllTextAsync(sheet, $"Topic,Job ID\nOctopus facts,{Guid.NewGuid()}\n");

        var missing = await Assert.ThrowsAsync<CliProblemException>(() =>
            CostReport.RunSheetAsync(folder.File("nope.csv"), Console(new StringWriter()), CancellationToken.None, "Host=127.0.0.1;Port=1;Username=vf;Database=vf"));
        var unreachable = await Record.ExceptionAsync(() =>
            CostReport.RunSheetAsync(sheet, Console(new StringWriter()), CancellationToken.None, "postgres://vf:secret@127.0.0.1:1/viralforge"));

        Assert.Equal($"there is no sheet at {folder.File("nope.csv")}. Check the path: vf cost reads the CSV that vf run or vf demo wrote each row's Job ID into", missing.Message);
        var line = Assert.Single(CliErrors.Describe(unreachable!)!);
        Assert.Contains("cannot reach the database", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_without_the_ledger_is_one_line_and_is_left_unchanged()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        using var folder = new TempFolder();
        var sheet = folder.File("ideas.csv");
        await File.WriteAllTextAsync(sheet, $"Topic,Job ID\nOctopus facts,{Guid.NewGuid()}\n");

        var error = await Assert.ThrowsAsync<CliProblemException>(() =>
            CostReport.RunSheetAsync(sheet, Console(new StringWriter()), CancellationToken.None, db.ConnectionString));

        Assert.StartsWith("the database VF_DATABASE_URL names has no cost ledger yet (SqlState 42P01)", error.Message, StringComparison.Ordinal);
        // A report reads; it does not apply the schema to whatever database it is pointed at.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public void The_price_table_prints_both_lengths_and_takes_the_configured_OpenAI_prices()
    {
        var output = new StringWriter();
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:PricesAsOf"] = "2027-02-01",
            ["OpenAI:Prices:gpt-4o-mini:InputPerMillion"] = "1",
            ["OpenAI:Prices:gpt-4o-mini:OutputPerMillion"] = "10",
        }).Build();

        var exit = CostReport.RunPrices(settings, Console(output));

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("Prices of 2027-02-01", text, StringComparison.Ordinal);
        Assert.Contains("| stage | provider | 30 s units | 30 s USD | 60 s units | 60 s USD |", text, StringComparison.Ordinal);
        // 1,500 tokens in at $1/1M and 466 out at $10/1M (30 s).
        Assert.Contains("| script | openai gpt-4o-mini | 1500 + 466 tokens | $0.0062 |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cost_table_in_docs_PROVIDERS_md_is_the_output_of_the_code_s_own_price_table()
    {
        // Regenerate with ./vf cost --prices when a default price changes; a hand edit fails here.
        var doc = (await File.ReadAllTextAsync(RepositoryRoot.File("docs/PROVIDERS.md"))).ReplaceLineEndings("\n");

        Assert.Contains(ShortCosts.Compute(PriceTable.Default()).ToMarkdown().ReplaceLineEndings("\n"), doc, StringComparison.Ordinal);
    }

    private static async Task<Guid> SubmitAsync(PostgresJobStore store, string topic)
    {
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        return (await store.SubmitAsync("sheet:test", Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job.Id;
    }

    private static PaidCall Call(PaidWork work, string provider, decimal units, string kind, decimal usd) =>
        new(work, provider, units, kind, usd, PricesOf);

    private static IAnsiConsole Console(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
