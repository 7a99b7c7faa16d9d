using ViralForge.Core.Sheets;

namespace ViralForge.Core.Ports;

/// <summary>A spreadsheet of video ideas: a CSV file locally, a Google Sheet in production.</summary>
public interface ISheet
{
    /// <summary>Stable identity stored on each job (a file path, or spreadsheet id and tab).</summary>
    string Id { get; }

    Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes output cells only, creating missing output columns. Never writes an input or unknown
    /// column, and never lets a value become a formula.
    /// </summary>
    Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken);
}

/// <summary>Opens the sheet a job came from, by the id stored on the job.</summary>
public interface ISheetRegistry
{
    ISheet Open(string sheetId);
}
