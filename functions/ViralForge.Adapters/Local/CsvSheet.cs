using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Adapters.Local;

/// <summary>
/// The local sheet: a CSV file the person edits in any spreadsheet app. Only output cells are ever
/// rewritten; every other byte of the file is written back as it was read.
/// </summary>
public sealed class CsvSheet : ISheet
{
    // Several stage handlers write the same sheet; each write is read-modify-replace of the whole file,
    // so two at once would lose one. LocalSheetRegistry hands out one instance per file to make this hold.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public CsvSheet(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Id = Path.GetFullPath(path);
    }

    /// <summary>The full path of the CSV file.</summary>
    public string Id { get; }

    /// <summary>
    /// Why the sheet at <paramref name="path"/> cannot take the status writes, or null when it can. Every write replaces
    /// the file through a temporary file in its folder (<see cref="AtomicFile"/>), so the folder must be writable, and a
    /// file its owner made read-only is taken to mean "do not write here". Checked by doing what a write does, without
    /// changing anything (open the file for writing, create and delete a file beside it), so the answer is the
    /// operating system's (root, read-only mounts, ACLs), not a guess from mode bits. Callers check before submitting a
    /// row, so that no job is queued for a sheet that cannot hear back.
    /// </summary>
    public static string? WhyNotWritable(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            using var _ = new FileStream(fullPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            return $"the sheet {fullPath} is read-only, and each row's status is written back into it. Make it writable (chmod u+w) or run a writable copy of it";
        }
        var folder = Path.GetDirectoryName(fullPath)!;
        try
        {
            using var _ = new FileStream(AtomicFile.TemporaryPathFor(fullPath, ".probe"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"the folder {folder} is read-only, and the sheet {Path.GetFileName(fullPath)} in it is rewritten through a new file there. Make the folder writable or move the sheet to one that is";
        }
        return null;
    }

    public async Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var document = await LoadAsync(cancellationToken);
            var columns = Layout(document);
            var rows = new List<SheetRow>(document.Records.Count - 1);
            for (var r = 1; r < document.Records.Count; r++)
            {
                rows.Add(columns.ToRow(document.Records[r].Value, r));
            }
            return rows;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        // Check every write before touching the file, so a bad one cannot leave half a call applied.
        var planned = writes.Select(Plan).ToList();
        if (planned.Count == 0)
        {
            return new SheetWriteResult(0, []);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var document = await LoadAsync(cancellationToken);
            var columns = Layout(document);
            var written = 0;
            var notFound = new List<RowLocator>();
            foreach (var (locator, cells) in planned)
            {
                var record = Find(document, columns, locator);
                if (record is null)
                {
                    notFound.Add(locator);
                    continue;
                }
                AddMissingOutputColumns(document, columns, cells.Where(c => !string.IsNullOrEmpty(c.Value)).Select(c => c.Column));
                foreach (var (column, value) in cells)
                {
                    // An on-demand column (Published URL (TikTok)) not made yet: an empty value has nothing to clear.
                    if (columns.TryIndexOf(column, out var index))
                    {
                        record.SetRaw(index, CsvDocument.Quote(Neutralize(value ?? "")));
                    }
                }
                written++;
            }
            if (written > 0)
            {
                await AtomicFile.WriteAllBytesAsync(Id, document.ToBytes(), cancellationToken);
            }
            return new SheetWriteResult(written, notFound);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static (RowLocator Locator, List<(string Column, string? Value)> Cells) Plan(RowWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var cells = write.CheckedOutputs().ToList();
        return (write.Row, cells);
    }

    // Lookups run against the document as already changed by earlier writes of the same call, so an
    // intake write that sets a Job ID can be followed by a write addressed to that Job ID.
    private static CsvRecord? Find(CsvDocument document, SheetLayout columns, RowLocator locator)
    {
        var records = document.Records;
        if (locator.JobId is { } jobId)
        {
            if (columns.TryIndexOf(SheetContract.JobId, out var jobIdColumn))
            {
                var wanted = jobId.Trim();
                // First match wins: a person who copies a row copies its Job ID, and the original is the older row.
                for (var r = 1; r < records.Count; r++)
                {
                    if (string.Equals(records[r].Value(jobIdColumn).Trim(), wanted, StringComparison.OrdinalIgnoreCase))
                    {
                        return records[r];
                    }
                }
            }
            return null;
        }
        var rowNumber = locator.RowNumber!.Value;
        if (rowNumber < 1 || rowNumber >= records.Count)
        {
            return null;
        }
        var record = records[rowNumber];
        return locator.StillHolds(columns.ToRow(record.Value, rowNumber)) ? record : null;
    }

    /// <summary>
    /// A leading = + - @ (or tab, CR) makes spreadsheet apps evaluate a cell as a formula; an apostrophe
    /// in front keeps it text (OWASP "CSV injection").
    /// </summary>
    internal static string Neutralize(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private async Task<CsvDocument> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Id, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"The sheet file {Id} does not exist.", Id, e);
        }
        return CsvDocument.Parse(bytes, Id);
    }

    /// <summary>The file's layout, from its first record; an empty file has an empty header.</summary>
    private SheetLayout Layout(CsvDocument document) =>
        SheetLayout.FromHeader(document.Records.Count > 0 ? [.. document.Records[0].Fields.Select(CsvDocument.Unquote)] : [], Id);

    /// <summary>
    /// Appends every missing output column at once (<see cref="SheetLayout.AddMissingOutputColumns(int, IEnumerable{string})"/>) and pads every
    /// record to the new width.
    /// </summary>
    private static void AddMissingOutputColumns(CsvDocument document, SheetLayout columns, IEnumerable<string> filled)
    {
        var written = filled.ToList();
        if (columns.HasColumnsFor(written))
        {
            return;
        }
        var header = document.Records[0];
        foreach (var (column, name) in columns.AddMissingOutputColumns(document.Records.Max(r => r.Fields.Count), written))
        {
            header.SetRaw(column, CsvDocument.Quote(name));
        }
        foreach (var record in document.Records)
        {
            record.PadTo(header.Fields.Count);
        }
    }
}
