using System.Text;
using ViralForge.Adapters.Tests.Google.Sheets;
using ViralForge.Adapters.Local;
using ViralForge.Core.Sheets;
using static ViralForge.Adapters.Tests.Google.Sheets.SheetsTestHost;
using static ViralForge.Adapters.Tests.SheetAdapterSteps;

namespace ViralForge.Adapters.Tests;

/// <summary>
/// A Languages row's cells in both sheet adapters: the first language writes the row's own output columns, each further
/// language its "(language)" columns (Job ID (es), Status (es), Video (es), Error (es)), created together at the right
/// when missing, found by the first job's Job ID; input cells are never written.
/// </summary>
public sealed class LanguageColumnsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vf-language-columns-tests", Guid.NewGuid().ToString("N"));

    public LanguageColumnsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string[] EsColumns = ["Job ID (es)", "Status (es)", "Video (es)", "Error (es)"];

    private static RowWrite LocalWrite(RowLocator locator, params (string Column, string? Value)[] outputs) =>
        new(locator, outputs.ToDictionary(o => o.Column, o => o.Value));

    [Fact]
    public async Task Csv_intake_writes_both_languages_cells_and_a_later_write_by_the_first_jobs_id_fills_the_es_cells()
    {
        var path = Path.Combine(_folder, "ideas.csv");
        await File.WriteAllTextAsync(path, "Topic,Languages,Notes\nHouseplants,\"en, es\",keep\nCats,,\n");
        var sheet = new CsvSheet(path);
        var (en, es) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var intake = await sheet.WriteAsync(
            [LocalWrite(await LocateAsync(sheet, 1), (SheetContract.JobId, en), (SheetContract.Status, "queued"), ("Job ID (es)", es), ("Status (es)", "queued"))],
            CancellationToken.None);
        var later = await sheet.WriteAsync([LocalWrite(new RowLocator(en), ("Status (es)", "published"), ("Video (es)", "https://youtu.be/es"))], CancellationToken.None);

        Assert.Equal((1, 1), (intake.Written, later.Written));
        var lines = (await File.ReadAllTextAsync(path, Encoding.UTF8)).Split('\n');
        Assert.Equal($"Topic,Languages,Notes,{string.Join(",", SheetContract.OutputColumns)},{string.Join(",", EsColumns)}", lines[0]);
        Assert.StartsWith("Houseplants,\"en, es\",keep,", lines[1], StringComparison.Ordinal);
        var row = Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None), r => r.RowNumber == 1);
        Assert.Equal((en, "queued", "en, es"), (row.JobId, row.Get(SheetContract.Status), row.Get(SheetContract.Languages)));
        Assert.Equal((es, "published", "https://youtu.be/es", ""), (row.Get("Job ID (es)"), row.Get("Status (es)"), row.Get("Video (es)"), row.Get("Error (es)")));
        // The other row keeps empty cells under the new columns.
        Assert.Equal("Cats,,," + new string(',', SheetContract.OutputColumns.Count + EsColumns.Length - 1), lines[2]);
    }

    [Fact]
    public async Task Csv_columns_a_person_named_in_other_casing_are_used_where_they_are()
    {
        var path = Path.Combine(_folder, "ideas.csv");
        await File.WriteAllTextAsync(path, $"Topic,Languages,{string.Join(",", SheetContract.OutputColumns)},status (ES),Owner\nHouseplants,\"en, es\",job-en,,,,,,,,,,me\n");
        var sheet = new CsvSheet(path);

        await sheet.WriteAsync([LocalWrite(new RowLocator("job-en"), ("Status (es)", "voice"))], CancellationToken.None);

        var lines = (await File.ReadAllTextAsync(path)).Split('\n');
        // No new columns: the one the person made holds the status, and Owner stays theirs.
        Assert.EndsWith(",status (ES),Owner", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",voice,me", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_sheets_request_adds_the_languages_header_cells_and_writes_only_output_cells_in_one_request()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", "Languages", .. SheetContract.OutputColumns.Cast<object?>()], ["Houseplants", "en, es", "job-en", "script"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");

        var result = await sheet.WriteAsync([Write(new RowLocator("job-en"), ("Job ID (es)", "job-es"), ("Status (es)", "trends"), ("Video (es)", ""), ("Error (es)", ""))], CancellationToken.None);

        Assert.Equal(1, result.Written);
        // Outputs end at K; the es columns go to L:O, the header and the row's cells each as one range, RAW.
        Assert.Equal(
            new[]
            {
                ("'Ideas'!L1:O1", EsColumns, "RAW"),
                ("'Ideas'!L2:O2", new[] { "job-es", "trends", "", "" }, "RAW"),
            },
            Written(api));
        Assert.Equal(["Topic", "Languages", .. SheetContract.OutputColumns, .. EsColumns], api.Tab("Ideas").Header());
        Assert.Equal(("en, es", "script"), (api.Tab("Ideas").Text(1, 1), api.Tab("Ideas").Text(1, 3)));

        // The next write by Job ID finds the columns where they now are and reads only the header and the Job ID column.
        await sheet.WriteAsync([Write(new RowLocator("job-en"), ("Status (es)", "voice"))], CancellationToken.None);
        var (range, values, _) = Written(api)[^1];
        Assert.Equal(("'Ideas'!M2", "voice"), (range, Assert.Single(values)));
        Assert.Equal("'Ideas'!1:1 'Ideas'!C:C", string.Join(" ", api.CallsOf(FakeSheetsApi.BatchGet)[^1].Ranges));
    }
}
