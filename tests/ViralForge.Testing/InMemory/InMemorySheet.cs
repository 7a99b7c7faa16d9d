using System.Collections.Concurrent;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Testing.InMemory;

/// <summary>
/// A sheet in memory with the sheet contract's columns. Writes follow <see cref="ISheet"/> as the CSV and Google
/// sheets do: only output columns (checked by <see cref="RowWrite.CheckedOutputs"/>), a row found by its Job ID
/// (the first match) or by position when its inputs still hash as expected, otherwise reported not found.
/// </summary>
public sealed class InMemorySheet(string id) : ISheet
{
    private readonly Lock gate = new();
    private readonly List<Dictionary<string, string>> rows = [];
    private readonly List<IReadOnlyList<RowWrite>> writes = [];

    public string Id { get; } = id;

    /// <summary>Every WriteAsync call, in order.</summary>
    public IReadOnlyList<IReadOnlyList<RowWrite>> Writes
    {
        get
        {
            lock (gate)
            {
                return [.. writes];
            }
        }
    }

    /// <summary>Appends a row of input (or output) cells, keyed by contract column name; returns its row number.</summary>
    public int AddRow(params (string Column, string Value)[] cells)
    {
        lock (gate)
        {
            rows.Add(cells.ToDictionary(c => c.Column, c => c.Value, StringComparer.Ordinal));
            return rows.Count;
        }
    }

    /// <summary>Changes one cell, as the person would.</summary>
    public void Edit(int rowNumber, string column, string value)
    {
        lock (gate)
        {
            rows[rowNumber - 1][column] = value;
        }
    }

    /// <summary>A cell's value now; "" when empty.</summary>
    public string Cell(int rowNumber, string column)
    {
        lock (gate)
        {
            return rows[rowNumber - 1].GetValueOrDefault(column, "");
        }
    }

    public Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<SheetRow>>([.. rows.Select((cells, i) => ToRow(cells, i + 1))]);
        }
    }

    public Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        // Checked before anything is written, so a bad write leaves the whole call unapplied.
        var planned = writes.Select(w => (w.Row, Cells: w.CheckedOutputs())).ToList();
        lock (gate)
        {
            this.writes.Add([.. writes]);
            var written = 0;
            var notFound = new List<RowLocator>();
            foreach (var (locator, cells) in planned)
            {
                if (Find(locator) is not { } row)
                {
                    notFound.Add(locator);
                    continue;
                }
                foreach (var (column, value) in cells)
                {
                    row[column] = value ?? "";
                }
                written++;
            }
            return Task.FromResult(new SheetWriteResult(written, notFound));
        }
    }

    private Dictionary<string, string>? Find(RowLocator locator)
    {
        if (locator.JobId is { } jobId)
        {
            return rows.FirstOrDefault(r => string.Equals(r.GetValueOrDefault(SheetContract.JobId, "").Trim(), jobId.Trim(), StringComparison.OrdinalIgnoreCase));
        }
        var number = locator.RowNumber!.Value;
        if (number < 1 || number > rows.Count)
        {
            return null;
        }
        var row = rows[number - 1];
        return string.Equals(RowHasher.Hash(ToRow(row, number)), locator.ExpectedRowHash, StringComparison.OrdinalIgnoreCase) ? row : null;
    }

    private static SheetRow ToRow(Dictionary<string, string> cells, int rowNumber) =>
        new(rowNumber, new Dictionary<string, string>(cells, StringComparer.Ordinal));
}

/// <summary>Opens in-memory sheets by id; an id never seen before opens a new empty sheet.</summary>
public sealed class InMemorySheetRegistry : ISheetRegistry
{
    private readonly ConcurrentDictionary<string, InMemorySheet> sheets = new(StringComparer.Ordinal);

    public ISheet Open(string sheetId) => Get(sheetId);

    /// <summary>The sheet with this id, made empty when new.</summary>
    public InMemorySheet Get(string sheetId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sheetId);
        return sheets.GetOrAdd(sheetId, id => new InMemorySheet(id));
    }
}
