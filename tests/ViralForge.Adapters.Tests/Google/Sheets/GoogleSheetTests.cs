using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Core.Sheets;
using static ViralForge.Adapters.Tests.Google.Sheets.SheetsTestHost;
using static ViralForge.Adapters.Tests.SheetAdapterSteps;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>The sheet contract against the simulated Sheets API, through the unbuffered <see cref="GoogleSheet"/>.</summary>
public sealed class GoogleSheetTests
{
    private static readonly object?[] AllOutputs = [.. SheetContract.OutputColumns];

    /// <summary>
    /// Every cell any request wrote is an output cell: below the header, its column's header is an output column;
    /// in the header, what was written is an output column's name into a cell that was empty.
    /// </summary>
    private static void AssertOnlyOutputCellsWritten(FakeSheetsApi api, string tab, IReadOnlyList<string> headerBefore)
    {
        var header = api.Tab(tab).Header();
        foreach (var (range, values, option) in Written(api))
        {
            Assert.Equal("RAW", option);
            // Cells of one row: 'Tab'!F7 or 'Tab'!F7:H7.
            Assert.True(A1Notation.TryParse(range, out var cells) && cells is { FirstRow: not null, FirstColumn: not null, LastColumn: not null }
                && cells.LastRow == cells.FirstRow, range);
            var (row, first) = (cells.FirstRow.Value, cells.FirstColumn.Value);
            for (var i = 0; i < values.Length; i++)
            {
                var column = first + i;
                if (row == 1)
                {
                    Assert.Contains(values[i], SheetContract.OutputColumns);
                    var before = column < headerBefore.Count ? headerBefore[column] : "";
                    Assert.True(before.Length == 0, $"{range} overwrote header \"{before}\"");
                }
                else
                {
                    Assert.Contains(header[column], SheetContract.OutputColumns);
                }
            }
        }
    }

    [Fact]
    public async Task Reads_rows_by_header_text_seeing_formulas_as_formulas_and_ragged_rows_as_empty_cells()
    {
        using var api = new FakeSheetsApi();
        api.AddTab(
            "Ideas",
            ["Owner", " topic ", "DURATION", "Notes", "Score", "Job ID", "Hashtags"],
            ["ann", "Cats", 45.0, new Formula("=A2&\" likes cats\""), new Formula("=C2*2"), "", true],
            ["bob", "Dogs"],
            [],
            ["", "Birds", "0:30", "", "", "job-3"]);
        await using var host = Start(api);

        var rows = await host.DirectSheet("Ideas").ReadRowsAsync(CancellationToken.None);

        // Google leaves out trailing empty rows; the blank one between stays, as the CSV sheet keeps it.
        Assert.Equal(new[] { 1, 2, 3, 4 }, rows.Select(r => r.RowNumber));
        Assert.Equal("Cats", rows[0].Get(SheetContract.Topic));
        Assert.Equal("45", rows[0].Get(SheetContract.Duration));
        Assert.Equal("=A2&\" likes cats\"", rows[0].Get(SheetContract.Notes));
        Assert.Equal("TRUE", rows[0].Get(SheetContract.Hashtags));
        Assert.False(rows[0].Cells.ContainsKey("Owner"));
        Assert.False(rows[0].Cells.ContainsKey("Score"));
        Assert.Null(rows[0].JobId);
        Assert.Equal("Dogs", rows[1].Get(SheetContract.Topic));
        Assert.Equal("", rows[1].Get(SheetContract.Duration));
        Assert.Equal("", rows[1].Get(SheetContract.Notes));
        Assert.True(rows[2].IsBlank);
        Assert.Equal("job-3", rows[3].JobId);
        Assert.Equal("0:30", rows[3].Get(SheetContract.Duration));
        var call = Assert.Single(api.Calls);
        Assert.Equal(FakeSheetsApi.BatchGet, call.Kind);
        Assert.Equal(new[] { "'Ideas'" }, call.Ranges);
    }

    [Fact]
    public async Task Header_only_tab_has_no_rows()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", "Status"]);
        await using var host = Start(api);

        Assert.Empty(await host.DirectSheet("Ideas").ReadRowsAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Missing_header_row_says_so_with_the_sheet_id(bool dataBelow)
    {
        using var api = new FakeSheetsApi();
        // An empty tab has no values at all; a blank first row above data comes back as [].
        object?[][] rows = dataBelow ? [[], ["Cats", "youtube"]] : [];
        api.AddTab("Ideas", rows);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");

        var read = await Assert.ThrowsAsync<InvalidDataException>(() => sheet.ReadRowsAsync(CancellationToken.None));
        var write = await Assert.ThrowsAsync<InvalidDataException>(() => sheet.WriteAsync(
            [Write(RowLocator.ByPosition(1, "0"), (SheetContract.Status, "queued"))], CancellationToken.None));

        Assert.Contains(SheetId("Ideas"), read.Message, StringComparison.Ordinal);
        Assert.Contains("no Topic column in its first row; headers found: (none)", read.Message, StringComparison.Ordinal);
        Assert.Equal(read.Message, write.Message);
        Assert.Empty(api.CallsOf(FakeSheetsApi.BatchUpdate));
    }

    [Fact]
    public async Task Missing_topic_column_names_the_headers_found()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Title", "", "Platform", "Job ID"], ["Cats", "", "tiktok", ""]);
        await using var host = Start(api);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => host.DirectSheet("Ideas").ReadRowsAsync(CancellationToken.None));

        Assert.Contains("no Topic column in its first row; headers found: \"Title\", \"Platform\", \"Job ID\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intake_write_adds_missing_output_columns_right_of_the_widest_row_in_one_request()
    {
        using var api = new FakeSheetsApi();
        // C2 holds a value under no header: it is the person's, and the new columns must start after it.
        api.AddTab("Ideas", ["Topic", "Notes"], ["Cats", "n1", "stray"], ["Dogs", "n2"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");
        var jobId = Guid.NewGuid().ToString();

        var result = await sheet.WriteAsync(
            [Write(await LocateAsync(sheet, 2), (SheetContract.JobId, jobId), (SheetContract.Status, "queued"))], CancellationToken.None);

        Assert.Equal(1, result.Written);
        Assert.Empty(result.NotFound);
        Assert.Equal(
            new[]
            {
                ("'Ideas'!D1:P1", SheetContract.OutputColumns.ToArray(), "RAW"),
                ("'Ideas'!D3:E3", new[] { jobId, "queued" }, "RAW"),
            },
            Written(api));
        // One read for intake, one for the write, one look at the grid size (26 columns: enough), one write.
        Assert.Equal(
            new[] { FakeSheetsApi.BatchGet, FakeSheetsApi.BatchGet, FakeSheetsApi.Get, FakeSheetsApi.BatchUpdate },
            api.Calls.Select(c => c.Kind));
        Assert.Equal(["Topic", "Notes", "", .. SheetContract.OutputColumns], api.Tab("Ideas").Header());
        Assert.Equal("stray", api.Tab("Ideas").Text(1, 2));
        AssertOnlyOutputCellsWritten(api, "Ideas", ["Topic", "Notes"]);
    }

    [Fact]
    public async Task A_per_platform_Published_URL_column_is_made_in_the_same_request_only_when_a_row_first_has_a_link_for_it()
    {
        using var api = new FakeSheetsApi();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        // An unnamed cell right of the header in row 3 is the person's: new columns go right of it.
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Cats", first.ToString()], ["Dogs", second.ToString(), "", "", "", "", "", "", "", "", "stray"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");

        await sheet.WriteAsync([Write(RowLocator.ByJobId(first), (SheetContract.PublishedUrl, "https://www.youtube.com/watch?v=a"),
            (SheetContract.PublishedUrlYouTube, ""), (SheetContract.PublishedUrlTikTok, ""))], CancellationToken.None);
        Assert.Equal(new[] { ("'Ideas'!G2", new[] { "https://www.youtube.com/watch?v=a" }, "RAW") }, Written(api));
        Assert.Equal(["Topic", .. SheetContract.OutputColumns], api.Tab("Ideas").Header());

        await sheet.WriteAsync([Write(RowLocator.ByJobId(second), (SheetContract.PublishedUrl, "https://www.youtube.com/watch?v=b"),
            (SheetContract.PublishedUrlYouTube, "https://www.youtube.com/watch?v=b"), (SheetContract.PublishedUrlTikTok, "https://www.tiktok.com/@c/video/2"))], CancellationToken.None);

        // One batchUpdate: the two headers right of the widest row (L, M; K3 is the person's), then the row's cells.
        Assert.Equal(2, api.CallsOf(FakeSheetsApi.BatchUpdate).Count);
        Assert.Equal(
            new[]
            {
                ("'Ideas'!L1:M1", new[] { SheetContract.PublishedUrlYouTube, SheetContract.PublishedUrlTikTok }, "RAW"),
                ("'Ideas'!G3", new[] { "https://www.youtube.com/watch?v=b" }, "RAW"),
                ("'Ideas'!L3:M3", new[] { "https://www.youtube.com/watch?v=b", "https://www.tiktok.com/@c/video/2" }, "RAW"),
            },
            Written(api).Skip(1));
        Assert.Equal("stray", api.Tab("Ideas").Text(2, 10));
        Assert.Equal("https://www.tiktok.com/@c/video/2", api.Tab("Ideas").Text(3, SheetContract.PublishedUrlTikTok));
        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        Assert.Equal("https://www.tiktok.com/@c/video/2", rows[1].Get(SheetContract.PublishedUrlTikTok));
        Assert.Equal("", rows[0].Get(SheetContract.PublishedUrlTikTok));
    }

    [Fact]
    public async Task Output_columns_beyond_z_grow_the_grid_and_quote_a_tab_name_with_spaces_and_apostrophes()
    {
        using var api = new FakeSheetsApi();
        object?[] header = ["Topic", .. Enumerable.Range(1, 25).Select(i => (object?)$"Extra {i}")];
        var tab = api.AddTab("Ideas '24", header, ["Cats"]);
        api.AddTab("Other", ["Topic"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas '24");
        var jobId = Guid.NewGuid().ToString();

        await sheet.WriteAsync(
            [Write(await LocateAsync(sheet, 1), (SheetContract.JobId, jobId), (SheetContract.Status, "queued"), (SheetContract.Updated, "2026-01-02T03:04:05Z"))],
            CancellationToken.None);

        Assert.Equal(
            new[]
            {
                ("'Ideas ''24'!AA1:AM1", SheetContract.OutputColumns.ToArray(), "RAW"),
                ("'Ideas ''24'!AA2:AB2", new[] { jobId, "queued" }, "RAW"),
                ("'Ideas ''24'!AI2", new[] { "2026-01-02T03:04:05Z" }, "RAW"),
            },
            Written(api));
        var append = Assert.Single(api.CallsOf(FakeSheetsApi.AppendDimension));
        // The first tab's sheetId is 0, which Google leaves out of spreadsheets.get; it must still be sent.
        Assert.Equal("""{"requests":[{"appendDimension":{"sheetId":0,"dimension":"COLUMNS","length":13}}]}""", append.Body);
        Assert.Equal(39, tab.ColumnCount);
        Assert.Equal(new[] { "'Ideas ''24'", "'Ideas ''24'" }, api.CallsOf(FakeSheetsApi.BatchGet).SelectMany(c => c.Ranges));
        AssertOnlyOutputCellsWritten(api, "Ideas '24", [.. header.Select(h => (string)h!)]);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@SUM(A1:A9)")]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")")]
    [InlineData("=IMPORTXML(\"https://evil.example/\",\"//a\")")]
    [InlineData("'already quoted")]
    public async Task A_formula_looking_value_is_sent_as_text_with_raw_and_reads_back_unchanged(string value)
    {
        using var api = new FakeSheetsApi();
        var jobId = Guid.NewGuid().ToString();
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Cats", jobId]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");

        await sheet.WriteAsync([Write(new RowLocator(jobId), (SheetContract.Error, value))], CancellationToken.None);

        // RAW stores the string as typed: no apostrophe is needed, and one would be stored as part of the text.
        var (range, values, option) = Assert.Single(Written(api));
        Assert.Equal("'Ideas'!H2", range);
        Assert.Equal(new[] { value }, values);
        Assert.Equal("RAW", option);
        Assert.IsType<string>(api.Tab("Ideas").Rows[1][7]);
        Assert.Equal(value, Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None)).Get(SheetContract.Error));
    }

    [Fact]
    public async Task The_cost_cell_is_sent_as_a_json_number_so_sum_adds_it_and_every_other_cell_as_a_string()
    {
        using var api = new FakeSheetsApi();
        var jobId = Guid.NewGuid().ToString();
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Cats", jobId]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");

        await sheet.WriteAsync(
            [Write(new RowLocator(jobId), (SheetContract.Status, "published"), (SheetContract.Error, "12"), (SheetContract.Cost, "0.0187"), (SheetContract.Updated, "2026-12-07 11:30"))],
            CancellationToken.None);

        // RAW keeps a JSON number a number; the Error cell's "12" is text because only Cost is a number column. (The
        // serializer escapes the tab name's quotes as \u0027, which is the same JSON string.)
        Assert.Equal(
            """{"valueInputOption":"RAW","data":[{"range":"\u0027Ideas\u0027!C2","majorDimension":"ROWS","values":[["published"]]},{"range":"\u0027Ideas\u0027!H2:J2","majorDimension":"ROWS","values":[["12",0.0187,"2026-12-07 11:30"]]}]}""",
            Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate)).Body);
        Assert.Equal(0.0187, Assert.IsType<double>(api.Tab("Ideas").Rows[1][8]));
        Assert.IsType<string>(api.Tab("Ideas").Rows[1][7]);
        Assert.Equal("0.0187", Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None)).Get(SheetContract.Cost));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("12", "12")]
    [InlineData("", "\"\"")]
    [InlineData("n/a", "\"n/a\"")]
    [InlineData("=A1", "\"=A1\"")]
    [InlineData("1e3", "\"1e3\"")]
    [InlineData("0,5", "\"0,5\"")]
    public async Task Only_a_plain_number_in_the_cost_cell_goes_as_a_number(string cost, string sent)
    {
        using var api = new FakeSheetsApi();
        var jobId = Guid.NewGuid().ToString();
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Cats", jobId]);
        await using var host = Start(api);

        await host.DirectSheet("Ideas").WriteAsync([Write(new RowLocator(jobId), (SheetContract.Cost, cost))], CancellationToken.None);

        Assert.Contains($"\"values\":[[{sent}]]", Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_by_job_id_after_the_person_sorted_and_inserted_rows_lands_on_the_row_where_it_is_now()
    {
        using var api = new FakeSheetsApi();
        var (a, b, c) = ("job-a", "job-b", "job-c");
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Alpha", a, "queued"], ["Bravo", b, "queued"], ["Charlie", c, "queued"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");
        var read = await sheet.ReadRowsAsync(CancellationToken.None);
        Assert.Equal("Bravo", read[1].Get(SheetContract.Topic));

        // The person sorts by Topic descending and inserts a new idea at the top while the job runs.
        api.Edit(_ =>
        {
            var rows = api.Tab("Ideas").Rows;
            rows.Reverse(1, 3);
            rows.Insert(1, ["New idea"]);
        });
        var result = await sheet.WriteAsync([Write(new RowLocator(b), (SheetContract.Status, "render"))], CancellationToken.None);

        Assert.Equal(1, result.Written);
        Assert.Equal("'Ideas'!C4", Assert.Single(Written(api)).Range);
        Assert.Equal(
            new[] { "New idea=", "Charlie=queued", "Bravo=render", "Alpha=queued" },
            (await sheet.ReadRowsAsync(CancellationToken.None)).Select(r => $"{r.Get(SheetContract.Topic)}={r.Get(SheetContract.Status)}"));
    }

    [Fact]
    public async Task Writes_by_job_id_read_only_the_header_and_the_job_id_column_until_the_columns_move()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", .. AllOutputs, "Owner"], ["Alpha", "job-a"], ["Bravo", "job-b"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");

        await sheet.WriteAsync([Write(new RowLocator("job-a"), (SheetContract.Status, "trends"))], CancellationToken.None);
        await sheet.WriteAsync([Write(new RowLocator("job-b"), (SheetContract.Status, "script"))], CancellationToken.None);
        // The person drags Job ID to the far right, behind Owner.
        api.Edit(_ =>
        {
            foreach (var row in api.Tab("Ideas").Rows)
            {
                while (row.Count < 11)
                {
                    row.Add(null);
                }
                (row[1], row[10]) = (row[10], row[1]);
            }
        });
        await sheet.WriteAsync([Write(new RowLocator("job-b"), (SheetContract.Status, "voice"))], CancellationToken.None);

        Assert.Equal(
            new[] { "'Ideas'", "'Ideas'!1:1 'Ideas'!B:B", "'Ideas'!1:1 'Ideas'!B:B", "'Ideas'" },
            api.CallsOf(FakeSheetsApi.BatchGet).Select(c => string.Join(" ", c.Ranges)));
        Assert.Equal(new[] { "'Ideas'!C2", "'Ideas'!C3", "'Ideas'!C3" }, Written(api).Select(w => w.Range));
        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        Assert.Equal(new[] { "job-a=trends", "job-b=voice" }, rows.Select(r => $"{r.JobId}={r.Get(SheetContract.Status)}"));
    }

    [Fact]
    public async Task Row_whose_job_id_is_gone_is_reported_not_found_and_nothing_is_written()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Alpha", "job-a"]);
        await using var host = Start(api);
        var missing = RowLocator.ByJobId(Guid.NewGuid());

        var result = await host.DirectSheet("Ideas").WriteAsync(
            [Write(missing, (SheetContract.Status, "failed"))], CancellationToken.None);

        Assert.Equal(0, result.Written);
        Assert.Equal(missing, Assert.Single(result.NotFound));
        Assert.Empty(api.CallsOf(FakeSheetsApi.BatchUpdate));
    }

    [Fact]
    public async Task Positional_write_whose_row_no_longer_holds_the_same_inputs_is_not_found()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", "Notes"], ["Alpha", "a"], ["Bravo", "b"]);
        await using var host = Start(api);

        // The person inserts a row above Bravo and edits Alpha's notes.
        await AssertPositionalWritesAfterAnEditAreNotFoundAsync(host.DirectSheet("Ideas"), () => api.Edit(_ =>
        {
            var rows = api.Tab("Ideas").Rows;
            rows[1][1] = "edited";
            rows.Insert(2, ["Inserted", "x"]);
        }));

        Assert.Empty(api.CallsOf(FakeSheetsApi.BatchUpdate));
        Assert.Equal(["Topic", "Notes"], api.Tab("Ideas").Header());
    }

    [Fact]
    public async Task Intake_can_set_a_job_id_and_address_it_in_the_same_call()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic"], ["Alpha"]);
        await using var host = Start(api);
        var sheet = host.DirectSheet("Ideas");
        var jobId = Guid.NewGuid();

        var result = await sheet.WriteAsync(
            [
                Write(RowLocator.ByJobId(jobId), (SheetContract.Status, "too early")),
                Write(await LocateAsync(sheet, 1), (SheetContract.JobId, jobId.ToString())),
                Write(RowLocator.ByJobId(jobId), (SheetContract.Status, "queued")),
            ],
            CancellationToken.None);

        Assert.Equal(2, result.Written);
        Assert.Equal(RowLocator.ByJobId(jobId), Assert.Single(result.NotFound));
        var row = Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None));
        Assert.Equal("queued", row.Get(SheetContract.Status));
        Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate));
    }

    [Theory]
    [InlineData("Topic")]
    [InlineData("notes")]
    [InlineData("Owner")]
    [InlineData("")]
    public async Task Writing_anything_but_an_output_column_throws_and_sends_nothing(string column)
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", "Notes", "Owner", "Job ID"], ["Alpha", "a", "ann", "job-a"]);
        await using var host = Start(api);
        var locator = new RowLocator("job-a");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.DirectSheet("Ideas").WriteAsync(
            [Write(locator, (SheetContract.Status, "queued")), Write(locator, (column, "hacked"))], CancellationToken.None));
        var coalesced = await Assert.ThrowsAsync<ArgumentException>(() => host.Registry.Open(SheetId("Ideas")).WriteAsync(
            [Write(locator, (SheetContract.Status, "queued")), Write(locator, (column, "hacked"))], CancellationToken.None));

        Assert.Contains($"\"{column}\" is not an output column", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, coalesced.Message);
        Assert.Empty(api.Calls);
    }

    [Theory]
    [InlineData(null, 1, null)]
    [InlineData(null, null, "abc")]
    [InlineData(" ", null, null)]
    public async Task Locator_without_a_usable_job_id_or_hash_is_a_programming_error(string? jobId, int? rowNumber, string? hash)
    {
        using var api = new FakeSheetsApi();
        await using var host = Start(api);

        await Assert.ThrowsAsync<ArgumentException>(() => host.DirectSheet("Ideas").WriteAsync(
            [Write(new RowLocator(jobId, rowNumber, hash), (SheetContract.Status, "queued"))], CancellationToken.None));
        Assert.Empty(api.Calls);
    }

    [Fact]
    public async Task Null_clears_a_cell_with_an_empty_string_because_google_skips_nulls()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Alpha", "job-a", "failed", "", "", "", "", "old reason"]);
        await using var host = Start(api);

        await host.DirectSheet("Ideas").WriteAsync(
            [Write(new RowLocator("job-a"), (SheetContract.Status, "queued"), (SheetContract.Error, null))], CancellationToken.None);

        Assert.Contains("\"values\":[[\"\"]]", Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate)).Body, StringComparison.Ordinal);
        Assert.Equal("", api.Tab("Ideas").Text(2, SheetContract.Error));
        Assert.Equal("queued", api.Tab("Ideas").Text(2, SheetContract.Status));
    }

    [Fact]
    public async Task A_value_longer_than_a_cell_holds_is_cut_without_splitting_a_character()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic", .. AllOutputs], ["Alpha", "job-a"]);
        await using var host = Start(api);
        // An emoji straddles the cut.
        var value = new string('x', GoogleSheet.MaxCellLength - 2) + "🙂" + new string('y', 10_000);

        await host.DirectSheet("Ideas").WriteAsync([Write(new RowLocator("job-a"), (SheetContract.Error, value))], CancellationToken.None);

        var sent = Assert.Single(Assert.Single(Written(api)).Values);
        Assert.True(sent.Length <= GoogleSheet.MaxCellLength);
        Assert.Equal(new string('x', GoogleSheet.MaxCellLength - 2) + "…", sent);
    }

    [Fact]
    public async Task Unknown_tab_fails_at_once_with_googles_error_inside_an_io_exception()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic"]);
        await using var host = Start(api);

        var error = await Assert.ThrowsAsync<IOException>(() => host.DirectSheet("Nope").ReadRowsAsync(CancellationToken.None));

        var google = Assert.IsType<GoogleApiException>(error.InnerException);
        Assert.Equal(400, google.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", google.Status);
        Assert.Contains("Unable to parse range: 'Nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains(SheetId("Nope"), error.Message, StringComparison.Ordinal);
        Assert.Single(api.Calls);
    }

    [Fact]
    public async Task Registry_opens_one_sheet_per_id_and_refuses_ids_that_are_not_google_sheets()
    {
        using var api = new FakeSheetsApi();
        await using var host = Start(api);
        var registry = host.Registry;

        var sheet = registry.Open(SheetId("Ideas '24"));

        Assert.Equal($"gsheet:{FakeSheetsApi.SpreadsheetId}/Ideas '24", sheet.Id);
        Assert.Same(sheet, registry.Open(SheetId("Ideas '24")));
        Assert.NotSame(sheet, registry.Open(SheetId("Other")));
        var error = Assert.Throws<ArgumentException>(() => registry.Open("/work/sheets/ideas.csv"));
        Assert.Contains("gsheet:<spreadsheet id>/<tab name>", error.Message, StringComparison.Ordinal);
    }
}
