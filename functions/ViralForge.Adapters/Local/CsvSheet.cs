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

    public async Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var document = await LoadAsync(cancellationToken);
            var columns = ColumnMap.From(document, Id);
            var rows = new List<SheetRow>(document.Records.Count - 1);
            for (var r = 1; r < document.Records.Count; r++)
            {
                rows.Add(columns.ToRow(document.Records[r], r));
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
            var columns = ColumnMap.From(document, Id);
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
                columns.AddMissingOutputColumns(document);
                foreach (var (column, value) in cells)
                {
                    record.SetRaw(columns.IndexOf(column), CsvDocument.Quote(Neutralize(value ?? "")));
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
    private static CsvRecord? Find(CsvDocument document, ColumnMap columns, RowLocator locator)
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
        var hash = RowHasher.Hash(columns.ToRow(record, rowNumber));
        return string.Equals(hash, locator.ExpectedRowHash, StringComparison.OrdinalIgnoreCase) ? record : null;
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

    /// <summary>Where each contract column sits in the file, found by header text.</summary>
    private sealed class ColumnMap
    {
        private readonly Dictionary<string, int> _indexes;

        private ColumnMap(Dictionary<string, int> indexes) => _indexes = indexes;

        public static ColumnMap From(CsvDocument document, string path)
        {
            var header = document.Records.Count > 0 ? document.Records[0] : null;
            var headers = header?.Fields.Select(CsvDocument.Unquote).ToList() ?? [];
            var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                // The first of two same-named columns wins; the other is left alone like any unknown column.
                if (SheetContract.Canonical(headers[i]) is { } name)
                {
                    indexes.TryAdd(name, i);
                }
            }
            if (!indexes.ContainsKey(SheetContract.Topic))
            {
                var found = headers.Count > 0 ? string.Join(", ", headers.Select(h => $"\"{h}\"")) : "(none)";
                throw new InvalidDataException($"{path} has no {SheetContract.Topic} column in its first line; headers found: {found}.");
            }
            return new ColumnMap(indexes);
        }

        public bool TryIndexOf(string column, out int index) => _indexes.TryGetValue(column, out index);

        public int IndexOf(string column) => _indexes[column];

        public SheetRow ToRow(CsvRecord record, int rowNumber) =>
            new(rowNumber, _indexes.ToDictionary(c => c.Key, c => record.Value(c.Value), StringComparer.Ordinal));

        /// <summary>
        /// Appends every missing output column at once, in contract order, so the sheet gets the same
        /// layout whichever stage writes first. Every record is padded to the new width.
        /// </summary>
        public void AddMissingOutputColumns(CsvDocument document)
        {
            var missing = SheetContract.OutputColumns.Where(c => !_indexes.ContainsKey(c)).ToList();
            if (missing.Count == 0)
            {
                return;
            }
            // Start past the widest record, not the header: cells beyond the header have no name but are
            // still the person's data, and a new column must not land on top of them.
            var start = document.Records.Max(r => r.Fields.Count);
            var header = document.Records[0];
            header.PadTo(start);
            foreach (var column in missing)
            {
                _indexes[column] = header.Fields.Count;
                header.Fields.Add(CsvDocument.Quote(column));
            }
            foreach (var record in document.Records)
            {
                record.PadTo(header.Fields.Count);
            }
        }
    }
}
