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
}

/// <summary>Output cells to write into one row. Keys must be output columns; a null value clears the cell.</summary>
public sealed record RowWrite(RowLocator Row, IReadOnlyDictionary<string, string?> Outputs);

/// <summary>What happened to each write: rows can vanish while jobs run (the person deleted them).</summary>
public sealed record SheetWriteResult(int Written, IReadOnlyList<RowLocator> NotFound);
