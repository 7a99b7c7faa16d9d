namespace ViralForge.Core.Sheets;

/// <summary>
/// One data row as read from a sheet: its 1-based position among the data rows (header excluded) and
/// the cells of the contract's columns, keyed by canonical column name. Missing columns read as "".
/// </summary>
public sealed record SheetRow(int RowNumber, IReadOnlyDictionary<string, string> Cells)
{
    public string Get(string column) => Cells.TryGetValue(column, out var value) ? value : "";

    public string? JobId => Get(SheetContract.JobId) is { Length: > 0 } id ? id.Trim() : null;

    /// <summary>True when every input cell is blank: such rows are spacing, not requests, and are skipped.</summary>
    public bool IsBlank => SheetContract.InputColumns.All(c => string.IsNullOrWhiteSpace(Get(c)));
}

/// <summary>
/// Which row to write to. A row is found by its Job ID; before the Job ID is written (intake), by its
/// position, and only if its inputs still hash to <see cref="ExpectedRowHash"/> (the person may have
/// sorted the sheet meanwhile).
/// </summary>
public sealed record RowLocator(string? JobId, int? RowNumber = null, string? ExpectedRowHash = null)
{
    public static RowLocator ByJobId(Guid jobId) => new(jobId.ToString());

    public static RowLocator ByPosition(int rowNumber, string rowHash) => new(null, rowNumber, rowHash);

    /// <summary>For a locator by position: whether the row now at that position still holds the inputs it was read with.</summary>
    public bool StillHolds(SheetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return string.Equals(RowHasher.Hash(row), ExpectedRowHash, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Output cells to write into one row. Keys must be output columns; a null value clears the cell.</summary>
public sealed record RowWrite(RowLocator Row, IReadOnlyDictionary<string, string?> Outputs)
{
    /// <summary>
    /// The outputs under their canonical column names, after checking what every sheet requires of a write: a row
    /// located by Job ID, or by row number with the hash of its inputs, and only output columns written.
    /// </summary>
    public IReadOnlyList<(string Column, string? Value)> CheckedOutputs()
    {
        if (Row.JobId is null && (Row.RowNumber is null || Row.ExpectedRowHash is null))
        {
            throw new ArgumentException("A row is located by its Job ID, or by its row number together with the hash of its inputs.", "write");
        }

        var cells = new List<(string Column, string? Value)>(Outputs.Count);
        foreach (var (key, value) in Outputs)
        {
            var column = SheetContract.Canonical(key);
            if (column is null || !SheetContract.IsOutput(column))
            {
                throw new ArgumentException(
                    $"\"{key}\" is not an output column; only {string.Join(", ", SheetContract.OutputColumns)} can be written.", "write");
            }

            cells.Add((column, value));
        }

        return cells;
    }
}

/// <summary>What happened to each write: rows can vanish while jobs run (the person deleted them).</summary>
public sealed record SheetWriteResult(int Written, IReadOnlyList<RowLocator> NotFound);
