using System.Text;
using ViralForge.Adapters.Local;
using ViralForge.Core.Sheets;
using static ViralForge.Adapters.Tests.SheetAdapterSteps;

namespace ViralForge.Adapters.Tests.Local;

public sealed class CsvSheetTests : IDisposable
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    // Every output column, comma-joined, as the product appends them to a header.
    private static readonly string AllOutputs = string.Join(",", SheetContract.OutputColumns);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vf-csv-tests", Guid.NewGuid().ToString("N"));

    public CsvSheetTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(string text, bool bom = false, string name = "sheet.csv")
    {
        var path = Path.Combine(_folder, name);
        var body = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(path, bom ? [.. Bom, .. body] : body);
        return path;
    }

    private static string ReadText(string path) => new UTF8Encoding(false).GetString(File.ReadAllBytes(path));

    private static RowWrite Write(RowLocator locator, params (string Column, string? Value)[] outputs) =>
        new(locator, outputs.ToDictionary(o => o.Column, o => o.Value));

    /// <summary>
    /// Writes <paramref name="value"/> to Alpha's Error cell in a sheet with every output column, asserts the file then holds
    /// <paramref name="expectedRaw"/> in that cell and nothing else changed, and hands back what a read sees there.
    /// </summary>
    private async Task<string?> WriteErrorCellAsync(string value, string expectedRaw)
    {
        var path = WriteFile($"Topic,{AllOutputs}\nAlpha,,,,,,,,,\n");
        var sheet = new CsvSheet(path);
        await sheet.WriteAsync([Write(await LocateAsync(sheet, 1), (SheetContract.Error, value))], CancellationToken.None);
        Assert.Equal($"Topic,{AllOutputs}\nAlpha,,,,,,,{expectedRaw},,\n", ReadText(path));
        return Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None)).Get(SheetContract.Error);
    }

    /// <summary>A record's original raw text followed by the appended output cells, padded to the new width.</summary>
    private static string Extended(string raw, int originalFields, int headerFields, params string[] outputs)
    {
        var padding = new string(',', headerFields - originalFields);
        var cells = new string[SheetContract.OutputColumns.Count];
        Array.Fill(cells, "");
        outputs.CopyTo(cells, 0);
        return raw + padding + "," + string.Join(",", cells);
    }

    [Fact]
    public async Task Hostile_round_trip_keeps_every_input_and_unknown_cell_byte_for_byte()
    {
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
        var flag = "\U0001F1FA\U0001F1E6";
        var longValue = string.Concat(Enumerable.Repeat("ab\"c,🙂\n", 625)); // 5,000 UTF-16 units
        Assert.Equal(5000, longValue.Length);
        var longRaw = "\"" + longValue.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        var header = "Topic,\"Odd \"\"Col\"\"\",Platform,Duration,Notes,Hashtags";
        string[] records =
        [
            "\"He said \"\"hi\"\", then left\",\"x\"\"y\",youtube,45,\"line1\nline2\r\nline3\",#a #b",
            "=1+2,  spaced  ,+tiktok,-5,@mention,=HYPERLINK(\"x\")",
            $"{family} family {flag},مرحبا بالعالم,both,0:30,\"نص عربي، مع \"\"فاصلة\"\", هنا\",#مرحبا",
            $"Long one,\"\",,,{longRaw},",
            "Short row only",
            "",
            "\"Last, quoted\",\"\"\"\",tiktok,30,n,\t",
        ];
        var original = header + "\r\n" + string.Join("\r\n", records) + "\r\n";
        var path = WriteFile(original, bom: true);
        var originalBytes = File.ReadAllBytes(path);
        var sheet = new CsvSheet(path);
        var before = await sheet.ReadRowsAsync(CancellationToken.None);
        var first = Guid.NewGuid();
        var third = Guid.NewGuid();

        var intake = await sheet.WriteAsync(
            [
                Write(RowLocator.ByPosition(1, RowHasher.Hash(before[0])), (SheetContract.JobId, first.ToString()), (SheetContract.Status, "queued")),
                Write(RowLocator.ByPosition(3, RowHasher.Hash(before[2])), (SheetContract.JobId, third.ToString()), (SheetContract.Status, "invalid"),
                    (SheetContract.Error, "Topic is \"odd\", really\r\nbad")),
            ],
            CancellationToken.None);
        var later = await sheet.WriteAsync(
            [Write(RowLocator.ByJobId(first), (SheetContract.Stage, "render"), (SheetContract.Video, "=cmd|' /C calc'!A0"))],
            CancellationToken.None);

        Assert.Equal(2, intake.Written);
        Assert.Empty(intake.NotFound);
        Assert.Equal(1, later.Written);

        var expected = Bom.Concat(Encoding.UTF8.GetBytes(string.Join("\r\n",
        [
            header + "," + AllOutputs,
            Extended(records[0], 6, 6, first.ToString(), "queued", "render", "'=cmd|' /C calc'!A0"),
            Extended(records[1], 6, 6),
            Extended(records[2], 6, 6, third.ToString(), "invalid", "", "", "", "", "\"Topic is \"\"odd\"\", really\r\nbad\""),
            Extended(records[3], 6, 6),
            Extended(records[4], 1, 6),
            Extended(records[5], 1, 6),
            Extended(records[6], 6, 6),
        ]) + "\r\n")).ToArray();
        // Byte for byte: the original file with only the output cells added at the end of each record.
        // Any change to an input or unknown cell's quoting, the BOM or a line ending fails here.
        var actual = File.ReadAllBytes(path);
        Assert.Equal(expected, actual);
        Assert.Equal(originalBytes, Bom.Concat(Encoding.UTF8.GetBytes(original)).ToArray());

        var after = await sheet.ReadRowsAsync(CancellationToken.None);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(RowHasher.Hash(before[i]), RowHasher.Hash(after[i]));
            foreach (var column in SheetContract.InputColumns)
            {
                Assert.Equal(before[i].Get(column), after[i].Get(column));
            }
        }
        Assert.Equal("He said \"hi\", then left", after[0].Get(SheetContract.Topic));
        Assert.Equal("line1\nline2\r\nline3", after[0].Get(SheetContract.Notes));
        Assert.Equal("=1+2", after[1].Get(SheetContract.Topic));
        Assert.Equal("=HYPERLINK(\"x\")", after[1].Get(SheetContract.Hashtags));
        Assert.Equal($"{family} family {flag}", after[2].Get(SheetContract.Topic));
        Assert.Equal("نص عربي، مع \"فاصلة\", هنا", after[2].Get(SheetContract.Notes));
        Assert.Equal(longValue, after[3].Get(SheetContract.Notes));
        Assert.Equal("Last, quoted", after[6].Get(SheetContract.Topic));
        Assert.Equal(first.ToString(), after[0].JobId);
        Assert.Equal("render", after[0].Get(SheetContract.Stage));
        Assert.Equal("'=cmd|' /C calc'!A0", after[0].Get(SheetContract.Video));
        Assert.Equal("Topic is \"odd\", really\r\nbad", after[2].Get(SheetContract.Error));
        Assert.Equal("", after[1].Get(SheetContract.Status));
    }

    [Fact]
    public async Task Lf_file_without_bom_or_final_newline_keeps_that_shape()
    {
        var path = WriteFile("Topic,Status\nA,\nB,");
        var sheet = new CsvSheet(path);

        var result = await sheet.WriteAsync([Write(await LocateAsync(sheet, 2), (SheetContract.Status, "queued"))], CancellationToken.None);

        Assert.Equal(1, result.Written);
        var others = string.Join(",", SheetContract.OutputColumns.Where(c => c != SheetContract.Status));
        Assert.Equal($"Topic,Status,{others}\nA,,,,,,,,,,,,,\nB,queued,,,,,,,,,,,,", ReadText(path));
        Assert.False(File.ReadAllBytes(path).AsSpan().StartsWith(Bom));
    }

    [Fact]
    public async Task Mixed_line_endings_are_kept_per_record()
    {
        var path = WriteFile("Topic," + AllOutputs + "\r\nA,,,,,,,,,\nB,,,,,,,,,\r\n");
        var sheet = new CsvSheet(path);

        await sheet.WriteAsync([Write(await LocateAsync(sheet, 1), (SheetContract.Cost, "0.12"))], CancellationToken.None);

        Assert.Equal("Topic," + AllOutputs + "\r\nA,,,,,,,,0.12,\nB,,,,,,,,,\r\n", ReadText(path));
    }

    [Fact]
    public async Task Missing_output_columns_are_appended_in_contract_order_and_existing_columns_stay_put()
    {
        var path = WriteFile("Notes,Topic,Status,Owner\nn1,A,,ann\nn2,B,,bob\n");
        var sheet = new CsvSheet(path);
        var jobId = Guid.NewGuid();

        await sheet.WriteAsync(
            [Write(await LocateAsync(sheet, 2), (SheetContract.JobId, jobId.ToString()), (SheetContract.Status, "queued"), (SheetContract.Updated, "2026-01-02T03:04:05Z"))],
            CancellationToken.None);

        Assert.Equal(
            "Notes,Topic,Status,Owner,Job ID,Stage,Video,Preview,Published URL,Error,Cost,Updated,Views,Likes,Avg View %,Metrics Updated\n"
            + "n1,A,,ann,,,,,,,,,,,,\n"
            + $"n2,B,queued,bob,{jobId},,,,,,,2026-01-02T03:04:05Z,,,,\n",
            ReadText(path));
    }

    [Fact]
    public async Task New_columns_go_past_cells_that_stick_out_beyond_the_header()
    {
        var path = WriteFile("Topic,Notes\nA,n,extra1,\"extra,2\"\nB\n");
        var sheet = new CsvSheet(path);

        await sheet.WriteAsync([Write(await LocateAsync(sheet, 2), (SheetContract.Status, "queued"))], CancellationToken.None);

        Assert.Equal(
            $"Topic,Notes,,,{AllOutputs}\n"
            + "A,n,extra1,\"extra,2\",,,,,,,,,,,,,\n"
            + "B,,,,,queued,,,,,,,,,,,\n",
            ReadText(path));
    }

    [Fact]
    public async Task Columns_are_found_by_header_text_in_any_order_and_case()
    {
        var jobId = Guid.NewGuid();
        var path = WriteFile(
            " stage ,Owner,NOTES,Cost,Published URL,\"job id\",Error,Video,  Topic  ,Updated,Preview,platform,STATUS\n"
            + $"old,ann,my notes,,,{jobId},,,Cats,,,tiktok,queued\n");
        var sheet = new CsvSheet(path);

        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        await sheet.WriteAsync([Write(RowLocator.ByJobId(jobId), ("stage", "script"), (SheetContract.Preview, "p.mp4"))], CancellationToken.None);

        var row = Assert.Single(rows);
        Assert.Equal("Cats", row.Get(SheetContract.Topic));
        Assert.Equal("tiktok", row.Get(SheetContract.Platform));
        Assert.Equal("my notes", row.Get(SheetContract.Notes));
        Assert.Equal("queued", row.Get(SheetContract.Status));
        Assert.Equal(jobId.ToString(), row.JobId);
        Assert.False(row.Cells.ContainsKey("Owner"));
        Assert.Equal(
            " stage ,Owner,NOTES,Cost,Published URL,\"job id\",Error,Video,  Topic  ,Updated,Preview,platform,STATUS,Views,Likes,Avg View %,Metrics Updated\n"
            + $"script,ann,my notes,,,{jobId},,,Cats,,p.mp4,tiktok,queued,,,,\n",
            ReadText(path));
    }

    [Fact]
    public async Task Rows_shorter_than_the_header_read_missing_cells_as_empty_and_nothing_is_skipped()
    {
        var path = WriteFile("Topic,Platform,Duration,Owner\r\nA\r\n\r\nB,tiktok\r\n,,,\r\n");
        var sheet = new CsvSheet(path);

        var rows = await sheet.ReadRowsAsync(CancellationToken.None);

        Assert.Equal(new[] { 1, 2, 3, 4 }, rows.Select(r => r.RowNumber));
        Assert.Equal("A", rows[0].Get(SheetContract.Topic));
        Assert.Equal("", rows[0].Get(SheetContract.Platform));
        Assert.True(rows[1].IsBlank);
        Assert.Equal("tiktok", rows[2].Get(SheetContract.Platform));
        Assert.True(rows[3].IsBlank);
    }

    [Fact]
    public async Task Header_only_file_has_no_rows()
    {
        var sheet = new CsvSheet(WriteFile("Topic,Status"));

        Assert.Empty(await sheet.ReadRowsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Write_by_job_id_after_the_rows_were_resorted_lands_on_the_right_row()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var path = WriteFile($"Topic,Job ID,Status\nAlpha,{a},queued\nBravo,{b},queued\nCharlie,{c},queued\n");
        var sheet = new CsvSheet(path);
        await sheet.ReadRowsAsync(CancellationToken.None);

        // The person sorts by Topic descending and inserts a new idea at the top meanwhile.
        File.WriteAllText(path, $"Topic,Job ID,Status\nNew idea,,\nCharlie,{c},queued\nBravo,{b},queued\nAlpha,{a},queued\n");
        var result = await sheet.WriteAsync([Write(RowLocator.ByJobId(b), (SheetContract.Status, "render"))], CancellationToken.None);

        Assert.Equal(1, result.Written);
        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        Assert.Equal(
            new[] { "New idea=", "Charlie=queued", "Bravo=render", "Alpha=queued" },
            rows.Select(r => $"{r.Get(SheetContract.Topic)}={r.Get(SheetContract.Status)}"));
    }

    [Fact]
    public async Task Unknown_job_id_goes_to_not_found_and_the_file_is_left_alone()
    {
        var path = WriteFile($"Topic,Job ID\nAlpha,{Guid.NewGuid()}\n");
        var before = File.ReadAllBytes(path);
        var sheet = new CsvSheet(path);
        var missing = RowLocator.ByJobId(Guid.NewGuid());

        var result = await sheet.WriteAsync([Write(missing, (SheetContract.Status, "failed"))], CancellationToken.None);

        Assert.Equal(0, result.Written);
        Assert.Equal(missing, Assert.Single(result.NotFound));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Positional_write_whose_hash_no_longer_matches_goes_to_not_found()
    {
        var path = WriteFile("Topic,Notes\nAlpha,a\nBravo,b\n");
        byte[] edited = [];

        // The person inserted a row above Bravo, and edited Alpha's notes.
        await AssertPositionalWritesAfterAnEditAreNotFoundAsync(new CsvSheet(path), () =>
        {
            File.WriteAllText(path, "Topic,Notes\nAlpha,edited\nInserted,x\nBravo,b\n");
            edited = File.ReadAllBytes(path);
        });

        Assert.Equal(edited, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Positional_write_ignores_output_cells_and_spacing_when_matching_the_hash()
    {
        var path = WriteFile("Topic,Status,Notes\nAlpha,,a\n");
        var sheet = new CsvSheet(path);
        var locator = await LocateAsync(sheet, 1);
        File.WriteAllText(path, "Topic,Status,Notes\n  Alpha ,queued,a\n");

        var result = await sheet.WriteAsync([Write(locator, (SheetContract.Error, "x"))], CancellationToken.None);

        Assert.Equal(1, result.Written);
    }

    [Fact]
    public async Task Intake_can_set_a_job_id_and_address_it_in_the_same_call()
    {
        var path = WriteFile("Topic\nAlpha\n");
        var sheet = new CsvSheet(path);
        var jobId = Guid.NewGuid();

        var result = await sheet.WriteAsync(
            [
                Write(await LocateAsync(sheet, 1), (SheetContract.JobId, jobId.ToString())),
                Write(RowLocator.ByJobId(jobId), (SheetContract.Status, "queued")),
            ],
            CancellationToken.None);

        Assert.Equal(2, result.Written);
        var row = Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None));
        Assert.Equal("queued", row.Get(SheetContract.Status));
    }

    [Theory]
    [InlineData("Topic")]
    [InlineData("notes")]
    [InlineData("Owner")]
    [InlineData("")]
    public async Task Writing_anything_but_an_output_column_throws_and_changes_nothing(string column)
    {
        var path = WriteFile("Topic,Notes,Owner\nAlpha,a,ann\n");
        var before = File.ReadAllBytes(path);
        var sheet = new CsvSheet(path);
        var locator = await LocateAsync(sheet, 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sheet.WriteAsync(
            [Write(locator, (SheetContract.Status, "queued")), Write(locator, (column, "hacked"))],
            CancellationToken.None));

        Assert.Contains($"\"{column}\" is not an output column", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Locator_without_job_id_or_hash_is_a_programming_error()
    {
        var sheet = new CsvSheet(WriteFile("Topic\nAlpha\n"));

        await Assert.ThrowsAsync<ArgumentException>(() => sheet.WriteAsync(
            [Write(new RowLocator(null, 1), (SheetContract.Status, "queued"))], CancellationToken.None));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1", "'=1+1")]
    [InlineData("+1", "'+1", "'+1")]
    [InlineData("-1", "'-1", "'-1")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\tx", "'\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"", "'\rx")]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"", "'=HYPERLINK(\"http://evil\",\"x\")")]
    [InlineData("safe=1", "safe=1", "safe=1")]
    [InlineData("a-b", "a-b", "a-b")]
    public async Task Formula_looking_values_are_neutralised(string value, string expectedRaw, string expectedRead)
    {
        var read = await WriteErrorCellAsync(value, expectedRaw);

        Assert.Equal(expectedRead, read);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData(" lead", "\" lead\"")]
    [InlineData("trail ", "\"trail \"")]
    [InlineData("in side", "in side")]
    [InlineData("", "")]
    public async Task Values_are_quoted_only_when_needed(string value, string expectedRaw)
    {
        var read = await WriteErrorCellAsync(value, expectedRaw);

        Assert.Equal(value, read);
    }

    [Fact]
    public async Task Null_clears_a_cell()
    {
        var jobId = Guid.NewGuid();
        var path = WriteFile($"Topic,Job ID,Error\nAlpha,{jobId},\"old, reason\"\n");
        var sheet = new CsvSheet(path);

        await sheet.WriteAsync([Write(RowLocator.ByJobId(jobId), (SheetContract.Error, null))], CancellationToken.None);

        Assert.StartsWith($"Topic,Job ID,Error,Status,Stage,Video,Preview,Published URL,Cost,Updated,Views,Likes,Avg View %,Metrics Updated\nAlpha,{jobId},,", ReadText(path), StringComparison.Ordinal);
        Assert.Equal("", Assert.Single(await sheet.ReadRowsAsync(CancellationToken.None)).Get(SheetContract.Error));
    }

    [Fact]
    public async Task A_per_platform_Published_URL_column_is_made_only_when_a_row_first_has_a_link_for_it()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var path = WriteFile($"Topic,{AllOutputs}\nAlpha,{first},,,,,,,,\nBeta,{second},,,,,,,,\n");
        var sheet = new CsvSheet(path);

        // A row on one platform writes its per-platform cells empty: a sheet that never needs the columns never gets them.
        await sheet.WriteAsync([Write(RowLocator.ByJobId(first), (SheetContract.PublishedUrl, "https://www.youtube.com/watch?v=a"),
            (SheetContract.PublishedUrlYouTube, ""), (SheetContract.PublishedUrlTikTok, ""))], CancellationToken.None);
        Assert.Equal($"Topic,{AllOutputs}\nAlpha,{first},,,,,https://www.youtube.com/watch?v=a,,,\nBeta,{second},,,,,,,,\n", ReadText(path));

        // A row on both platforms makes them, at the right in contract order, every record padded; inputs untouched.
        await sheet.WriteAsync([Write(RowLocator.ByJobId(second), (SheetContract.PublishedUrl, "https://www.youtube.com/watch?v=b"),
            (SheetContract.PublishedUrlYouTube, "https://www.youtube.com/watch?v=b"), (SheetContract.PublishedUrlTikTok, "https://www.tiktok.com/@c/video/2"))], CancellationToken.None);
        Assert.Equal(
            $"Topic,{AllOutputs},{SheetContract.PublishedUrlYouTube},{SheetContract.PublishedUrlTikTok}\n"
            + $"Alpha,{first},,,,,https://www.youtube.com/watch?v=a,,,,,\n"
            + $"Beta,{second},,,,,https://www.youtube.com/watch?v=b,,,,https://www.youtube.com/watch?v=b,https://www.tiktok.com/@c/video/2\n",
            ReadText(path));
        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        Assert.Equal("https://www.tiktok.com/@c/video/2", rows[1].Get(SheetContract.PublishedUrlTikTok));

        // Once made, an empty value clears the cell like any output.
        await sheet.WriteAsync([Write(RowLocator.ByJobId(second), (SheetContract.PublishedUrlTikTok, ""))], CancellationToken.None);
        Assert.Equal("", (await sheet.ReadRowsAsync(CancellationToken.None))[1].Get(SheetContract.PublishedUrlTikTok));
    }

    [Fact]
    public async Task Concurrent_writes_from_8_tasks_lose_no_update()
    {
        const int tasks = 8;
        const int rowsPerTask = 40;
        var jobIds = Enumerable.Range(0, tasks * rowsPerTask).Select(_ => Guid.NewGuid()).ToArray();
        var path = WriteFile("Topic,Job ID,Notes\n" + string.Concat(jobIds.Select((id, i) => $"Idea {i},{id},n{i}\n")));
        var registry = new LocalSheetRegistry();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each task writes each of its rows once, so any write lost to an interleaved read-modify-replace
        // leaves a row without its status (a later write cannot paper over it).
        var writers = Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            await start.Task;
            for (var k = 0; k < rowsPerTask; k++)
            {
                var row = (k * tasks) + t;
                // Each write opens the sheet the way a stage handler does: by id through the registry.
                var result = await registry.Open(path).WriteAsync(
                    [Write(RowLocator.ByJobId(jobIds[row]), (SheetContract.Status, $"done {row}"), (SheetContract.Cost, $"{t}.{k}"))],
                    CancellationToken.None);
                Assert.Equal(1, result.Written);
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(writers);

        var rows = await registry.Open(path).ReadRowsAsync(CancellationToken.None);
        Assert.Equal(jobIds.Length, rows.Count);
        for (var row = 0; row < jobIds.Length; row++)
        {
            Assert.Equal(jobIds[row].ToString(), rows[row].JobId);
            Assert.Equal($"done {row}", rows[row].Get(SheetContract.Status));
            Assert.Equal($"{row % tasks}.{row / tasks}", rows[row].Get(SheetContract.Cost));
            Assert.Equal($"n{row}", rows[row].Get(SheetContract.Notes));
        }
        // Atomic replace leaves no temp files behind.
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void Registry_hands_out_one_sheet_per_full_path()
    {
        var path = WriteFile("Topic\n");
        var other = WriteFile("Topic\n", name: "other.csv");
        var registry = new LocalSheetRegistry();
        var roundabout = Path.Combine(_folder, "..", Path.GetFileName(_folder), "sheet.csv");

        var sheet = registry.Open(path);

        Assert.Equal(Path.GetFullPath(path), sheet.Id);
        Assert.Same(sheet, registry.Open(roundabout));
        Assert.NotSame(sheet, registry.Open(other));
        Assert.Equal(Path.GetFullPath(other), registry.Open(other).Id);
    }

    [Fact]
    public async Task Missing_file_names_the_path()
    {
        var path = Path.Combine(_folder, "nope", "missing.csv");
        var sheet = new CsvSheet(path);

        var read = await Assert.ThrowsAsync<FileNotFoundException>(() => sheet.ReadRowsAsync(CancellationToken.None));
        var write = await Assert.ThrowsAsync<FileNotFoundException>(() => sheet.WriteAsync(
            [Write(RowLocator.ByJobId(Guid.NewGuid()), (SheetContract.Status, "x"))], CancellationToken.None));

        Assert.Equal(path, read.FileName);
        Assert.Contains(path, read.Message, StringComparison.Ordinal);
        Assert.Equal(path, write.FileName);
    }

    [Theory]
    [InlineData("Title,Platform,Job ID\nCats,tiktok,\n", "\"Title\", \"Platform\", \"Job ID\"")]
    [InlineData("\"Subject, main\",Notes\n", "\"Subject, main\", \"Notes\"")]
    [InlineData("", "(none)")]
    public async Task Header_without_topic_names_the_file_and_the_headers_found(string text, string headersFound)
    {
        var path = WriteFile(text);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new CsvSheet(path).ReadRowsAsync(CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("no Topic column", error.Message, StringComparison.Ordinal);
        Assert.Contains("headers found: " + headersFound, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Topic,Notes\nA,\"open\nmore\nB,x\n", 2)]
    [InlineData("Topic,Notes\r\nA,\"multi\r\nline\"\r\nB,\"oops\r\nC,x\r\n", 4)]
    [InlineData("\"Topic", 1)]
    public async Task Unterminated_quote_reports_the_line_it_opened_on(string text, int line)
    {
        var path = WriteFile(text);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new CsvSheet(path).ReadRowsAsync(CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"opened on line {line} is never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_that_is_not_utf8_is_refused_rather_than_rewritten()
    {
        var path = Path.Combine(_folder, "latin1.csv");
        File.WriteAllBytes(path, [.. "Topic\nCaf"u8, 0xE9, (byte)'\n']);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new CsvSheet(path).ReadRowsAsync(CancellationToken.None));

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
