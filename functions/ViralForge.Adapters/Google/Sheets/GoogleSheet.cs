using System.Text.Json;
using Microsoft.Extensions.Logging;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>One tab of a Google spreadsheet as an <see cref="ISheet"/>, with the same column rules (<see cref="SheetLayout"/>) as the CSV sheet.</summary>
/// <remarks>
/// <para>Columns are found by their header text in row 1; missing output columns are created right of the widest
/// row; only output cells are ever written, with RAW so a value never becomes a formula (the Cost cell as a number, so =SUM adds it). A row is found by its
/// Job ID (or by its position together with the hash of its inputs) as the tab stands when the write goes out,
/// so sorting or inserting rows while jobs run is safe.</para>
/// <para>Each <see cref="WriteAsync"/> costs one read and one write request; <see cref="GoogleSheetRegistry"/> puts
/// a <see cref="SheetWriteCoalescer"/> in front so that all jobs writing to a tab share them.</para>
/// <para>Failures come out as <see cref="IOException"/> with the <see cref="GoogleApiException"/> inside: the port's
/// word for "the sheet could not be reached", which callers such as SheetStatusWriter already handle.</para>
/// </remarks>
public sealed class GoogleSheet : ISheet
{
    /// <summary>Google refuses a longer cell; a longer value is cut rather than failing every write sent with it.</summary>
    public const int MaxCellLength = 50_000;

    private readonly SheetsClient _client;
    private readonly SheetsWriteLimiter _limiter;
    private readonly ILogger _log;

    // A write reads, locates and writes; two at once could both add the missing header cells or grow the grid twice.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Where the Job ID column was at the last read (-1: unknown), so that a write by Job ID can read only the
    // header and that column instead of the whole tab.
    private volatile int _jobIdColumn = -1;

    public GoogleSheet(GoogleSheetId sheetId, SheetsClient client, SheetsWriteLimiter limiter, ILogger<GoogleSheet> log)
    {
        ArgumentNullException.ThrowIfNull(sheetId);
        SheetId = sheetId;
        Id = sheetId.ToString();
        _client = client;
        _limiter = limiter;
        _log = log;
    }

    /// <summary>The <c>gsheet:&lt;spreadsheetId&gt;/&lt;tab&gt;</c> form, as stored on jobs.</summary>
    public string Id { get; }

    public GoogleSheetId SheetId { get; }

    public async Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken)
    {
        List<IReadOnlyList<string>> rows;
        try
        {
            rows = await ReadWholeTabAsync(cancellationToken);
        }
        catch (GoogleApiException e)
        {
            throw Unreachable("read", e);
        }
        var columns = SheetLayout.FromHeader(rows.Count > 0 ? rows[0] : [], Id);
        _jobIdColumn = columns.TryIndexOf(SheetContract.JobId, out var jobIdColumn) ? jobIdColumn : -1;
        var result = new List<SheetRow>(Math.Max(0, rows.Count - 1));
        for (var r = 1; r < rows.Count; r++)
        {
            result.Add(columns.ToRow(rows[r], r));
        }
        return result;
    }

    public async Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        // Check every write before sending anything, so a bad one cannot leave half a call applied.
        var planned = writes.Select(Plan).ToList();
        if (planned.Count == 0)
        {
            return new SheetWriteResult(0, []);
        }
        try
        {
            return Result(planned, await WriteBatchAsync(planned, cancellationToken));
        }
        catch (GoogleApiException e)
        {
            throw Unreachable("write", e);
        }
    }

    /// <summary>Checks one write and puts it in the form that is sent: canonical column names, "" for null (Google skips a null), long values cut.</summary>
    internal static PlannedWrite Plan(RowWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var checkedOutputs = write.CheckedOutputs();
        if (write.Row.JobId is { } jobId && string.IsNullOrWhiteSpace(jobId))
        {
            // A blank Job ID would match every row that has none yet.
            throw new ArgumentException("A row located by Job ID needs a non-blank Job ID.", nameof(write));
        }
        var cells = checkedOutputs.Select(c => new KeyValuePair<string, string>(c.Column, CellValue(c.Value))).ToList();
        return new PlannedWrite(write.Row, cells);
    }

    /// <summary>The result for <paramref name="count"/> writes starting at <paramref name="offset"/> of a batch.</summary>
    internal static SheetWriteResult Result(IReadOnlyList<PlannedWrite> planned, bool[] found, int offset = 0, int? count = null)
    {
        var notFound = new List<RowLocator>();
        var end = offset + (count ?? planned.Count);
        for (var i = offset; i < end; i++)
        {
            if (!found[i])
            {
                notFound.Add(planned[i].Locator);
            }
        }
        return new SheetWriteResult(end - offset - notFound.Count, notFound);
    }

    /// <summary>
    /// Writes planned writes in order (a later value for the same cell wins) with one read and at most one write
    /// request, and says which writes found their row. Throws <see cref="GoogleApiException"/>.
    /// </summary>
    internal async Task<bool[]> WriteBatchAsync(IReadOnlyList<PlannedWrite> planned, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // One token covers this batch's read and its write; the limiter spaces batches, not single requests.
            await _limiter.WaitAsync(cancellationToken);
            var view = await ReadForWriteAsync(planned.Any(p => p.Locator.JobId is null), cancellationToken);
            if (view.Rows is null && !view.Columns.HasColumnsFor(planned.SelectMany(p => p.Cells.Where(c => c.Value.Length > 0).Select(c => c.Key))))
            {
                // A new on-demand or per-language column goes right of the widest row, which only the whole tab tells.
                view = await ReadForWriteAsync(positional: true, cancellationToken);
            }
            var columns = view.Columns;
            var jobRows = new JobIdIndex(view.JobIds);
            var cells = new SortedDictionary<(int Row, int Column), CellWrite>();
            var found = new bool[planned.Count];
            var widened = false;
            for (var i = 0; i < planned.Count; i++)
            {
                var write = planned[i];
                // Lookups see the earlier writes of this batch, so intake can set a Job ID and a later write can address it.
                var row = write.Locator.JobId is { } jobId ? jobRows.Find(jobId) : view.RowAt(write.Locator, columns);
                if (row is null)
                {
                    continue;
                }
                found[i] = true;
                // On-demand columns (Published URL (TikTok), Status (es)) are made when a write first has a value for one.
                var filled = write.Cells.Where(c => c.Value.Length > 0).Select(c => c.Key).ToList();
                if (!columns.HasColumnsFor(filled))
                {
                    foreach (var (column, name) in columns.AddMissingOutputColumns(view.Width, filled))
                    {
                        cells[(1, column)] = name;
                    }
                    widened = true;
                }
                foreach (var (column, value) in write.Cells)
                {
                    if (!columns.TryIndexOf(column, out var index))
                    {
                        continue; // an on-demand column not made yet: an empty value has nothing to clear
                    }
                    cells[(row.Value, index)] = CellWrite.For(column, value);
                    if (column == SheetContract.JobId)
                    {
                        jobRows.Set(row.Value, value);
                    }
                }
            }
            if (cells.Count == 0)
            {
                return found;
            }
            if (widened)
            {
                await FitGridAsync(columns.Width, cancellationToken);
            }
            await _client.BatchUpdateValuesAsync(SheetId.SpreadsheetId, Ranges(cells), cancellationToken);
            if (widened)
            {
                SheetsLog.OutputColumnsAdded(_log, Id, string.Join(", ", cells.Where(c => c.Key.Row == 1).Select(c => $"{c.Value.Text} ({A1Notation.Column(c.Key.Column)})")));
            }
            _jobIdColumn = columns.TryIndexOf(SheetContract.JobId, out var jobIdColumn) ? jobIdColumn : -1;
            return found;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads what locating rows needs: only the header and the Job ID column when every write is by Job ID and the
    /// sheet has all output columns where they were; the whole tab otherwise (a positional write needs the row's
    /// inputs to check its hash, and new columns must start right of the widest row).
    /// </summary>
    private async Task<WriteView> ReadForWriteAsync(bool positional, CancellationToken cancellationToken)
    {
        var guess = _jobIdColumn;
        if (!positional && guess >= 0)
        {
            var answer = await _client.BatchGetAsync(
                SheetId.SpreadsheetId, [A1Notation.Row(SheetId.Tab, 1), A1Notation.WholeColumn(SheetId.Tab, guess)], cancellationToken);
            var header = Rows(answer.ValueRanges[0]) is [var first, ..] ? first : [];
            var narrow = SheetLayout.FromHeader(header, Id);
            if (narrow.HasAllOutputs && narrow.TryIndexOf(SheetContract.JobId, out var at) && at == guess)
            {
                var jobIds = Rows(answer.ValueRanges[1]).Select(r => r.Count > 0 ? r[0] : "").ToList();
                return new WriteView(narrow, null, jobIds, header.Count);
            }
            SheetsLog.LayoutChanged(_log, Id);
        }
        var rows = await ReadWholeTabAsync(cancellationToken);
        var columns = SheetLayout.FromHeader(rows.Count > 0 ? rows[0] : [], Id);
        var jobIdCells = columns.TryIndexOf(SheetContract.JobId, out var jobIdColumn)
            ? rows.Select(r => Cell(r, jobIdColumn)).ToList()
            : [];
        return new WriteView(columns, rows, jobIdCells, rows.Count > 0 ? rows.Max(r => r.Count) : 0);
    }

    private async Task<List<IReadOnlyList<string>>> ReadWholeTabAsync(CancellationToken cancellationToken)
    {
        var answer = await _client.BatchGetAsync(SheetId.SpreadsheetId, [A1Notation.Tab(SheetId.Tab)], cancellationToken);
        return Rows(answer.ValueRanges[0]);
    }

    /// <summary>Values can only be written inside the tab's grid (a new sheet has 26 columns), so it grows to fit new columns.</summary>
    private async Task FitGridAsync(int width, CancellationToken cancellationToken)
    {
        var spreadsheet = await _client.GetSheetPropertiesAsync(SheetId.SpreadsheetId, cancellationToken);
        var tabs = spreadsheet.Sheets.Select(s => s.Properties).ToList();
        // Sheets matches tab names in ranges without regard to case, so this does too when the exact name is not there.
        var tab = tabs.FirstOrDefault(p => p.Title == SheetId.Tab)
            ?? tabs.FirstOrDefault(p => string.Equals(p.Title, SheetId.Tab, StringComparison.OrdinalIgnoreCase))
            ?? throw new GoogleApiException(SheetsClient.Api, 404, $"spreadsheet {SheetId.SpreadsheetId} has no tab \"{SheetId.Tab}\"", "NOT_FOUND");
        var columnCount = tab.GridProperties?.ColumnCount
            ?? throw new GoogleApiException(SheetsClient.Api, 200, $"malformed answer to spreadsheets.get: tab \"{tab.Title}\" has no gridProperties", SheetsClient.MalformedResponse);
        if (columnCount >= width)
        {
            return;
        }
        await _limiter.WaitAsync(cancellationToken);
        await _client.AppendColumnsAsync(SheetId.SpreadsheetId, tab.SheetId, width - columnCount, cancellationToken);
        SheetsLog.GridGrown(_log, Id, width - columnCount, width);
    }

    /// <summary>One range per run of adjacent cells in a row, so cells between them (inputs, unknown columns) are never touched.</summary>
    private List<ValueRangeWrite> Ranges(SortedDictionary<(int Row, int Column), CellWrite> cells)
    {
        var ranges = new List<ValueRangeWrite>();
        var run = new List<CellWrite>();
        var (row, first, last) = (0, 0, 0);
        foreach (var (cell, value) in cells)
        {
            if (run.Count > 0 && (cell.Row != row || cell.Column != last + 1))
            {
                ranges.Add(new ValueRangeWrite(A1Notation.Cells(SheetId.Tab, row, first, last), "ROWS", [[.. run]]));
                run.Clear();
            }
            if (run.Count == 0)
            {
                (row, first) = (cell.Row, cell.Column);
            }
            last = cell.Column;
            run.Add(value);
        }
        ranges.Add(new ValueRangeWrite(A1Notation.Cells(SheetId.Tab, row, first, last), "ROWS", [[.. run]]));
        return ranges;
    }

    private IOException Unreachable(string verb, GoogleApiException error) =>
        new($"Could not {verb} Google sheet {Id}: {error.Message}", error);

    private static string CellValue(string? value)
    {
        if (value is null)
        {
            return "";
        }
        if (value.Length <= MaxCellLength)
        {
            return value;
        }
        var cut = MaxCellLength - 1;
        // Never split a surrogate pair: half an emoji is not valid text.
        if (char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }
        return string.Concat(value.AsSpan(0, cut), "…");
    }

    private static List<IReadOnlyList<string>> Rows(ValueRange range) =>
        (range.Values ?? []).Select(r => (IReadOnlyList<string>)[.. r.Select(Text)]).ToList();

    /// <summary>A cell as text. With valueRenderOption=FORMULA a number is a JSON number and a formula is its "=..." text.</summary>
    private static string Text(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString()!,
        JsonValueKind.Number => cell.GetRawText(),
        JsonValueKind.True => "TRUE",
        JsonValueKind.False => "FALSE",
        _ => "",
    };

    private static string Cell(IReadOnlyList<string> row, int column) => column < row.Count ? row[column] : "";

    /// <summary>What a write batch located rows with: the columns, every row (when read in full), each row's Job ID, the widest row.</summary>
    private sealed record WriteView(SheetLayout Columns, List<IReadOnlyList<string>>? Rows, IReadOnlyList<string> JobIds, int Width)
    {
        /// <summary>The sheet row (1-based, header = 1) of a positional locator whose row still holds the same inputs.</summary>
        public int? RowAt(RowLocator locator, SheetLayout columns)
        {
            var rowNumber = locator.RowNumber!.Value;
            if (Rows is null || rowNumber < 1 || rowNumber >= Rows.Count)
            {
                return null;
            }
            return locator.StillHolds(columns.ToRow(Rows[rowNumber], rowNumber)) ? rowNumber + 1 : null;
        }
    }

    /// <summary>Which sheet rows hold which Job ID, kept current as the batch writes Job IDs. The first (topmost) row wins.</summary>
    private sealed class JobIdIndex
    {
        private readonly Dictionary<int, string> _byRow = [];
        private readonly Dictionary<string, SortedSet<int>> _rows = new(StringComparer.OrdinalIgnoreCase);

        /// <param name="jobIds">The Job ID cell of each sheet row, index 0 being the header.</param>
        public JobIdIndex(IReadOnlyList<string> jobIds)
        {
            for (var i = 1; i < jobIds.Count; i++)
            {
                Set(i + 1, jobIds[i]);
            }
        }

        // First match wins: a person who copies a row copies its Job ID, and the original is the older, upper row.
        public int? Find(string jobId) => _rows.TryGetValue(jobId.Trim(), out var rows) && rows.Count > 0 ? rows.Min : null;

        public void Set(int row, string jobId)
        {
            if (_byRow.TryGetValue(row, out var old) && _rows.TryGetValue(old, out var oldRows))
            {
                oldRows.Remove(row);
            }
            var key = jobId.Trim();
            _byRow[row] = key;
            if (key.Length > 0)
            {
                if (!_rows.TryGetValue(key, out var rows))
                {
                    _rows[key] = rows = [];
                }
                rows.Add(row);
            }
        }
    }
}

/// <summary>A write checked and normalised for sending: canonical output columns and their text.</summary>
internal sealed record PlannedWrite(RowLocator Locator, IReadOnlyList<KeyValuePair<string, string>> Cells);
