using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Adapters.Tests;

/// <summary>Steps of the sheet contract that both sheet adapters (the local CSV file and Google Sheets) are held to alike.</summary>
internal static class SheetAdapterSteps
{
    /// <summary>A positional locator for a row as the sheet reads it now.</summary>
    public static async Task<RowLocator> LocateAsync(ISheet sheet, int rowNumber)
    {
        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        return RowLocator.ByPosition(rowNumber, RowHasher.Hash(rows[rowNumber - 1]));
    }

    /// <summary>
    /// Locates rows 2 and 1 of a sheet holding Alpha then Bravo, and a row 9 past its end; lets <paramref name="edit"/> insert a row
    /// above Bravo and edit Alpha, as a person would; then writes a status through all three locators and asserts none was written.
    /// </summary>
    public static async Task AssertPositionalWritesAfterAnEditAreNotFoundAsync(ISheet sheet, Action edit)
    {
        var stale = await LocateAsync(sheet, 2);
        var alsoStale = await LocateAsync(sheet, 1);
        var outOfRange = RowLocator.ByPosition(9, stale.ExpectedRowHash!);

        edit();
        var result = await sheet.WriteAsync([Queued(stale), Queued(alsoStale), Queued(outOfRange)], CancellationToken.None);

        Assert.Equal(0, result.Written);
        Assert.Equal(new[] { stale, alsoStale, outOfRange }, result.NotFound);
    }

    private static RowWrite Queued(RowLocator locator) =>
        new(locator, new Dictionary<string, string?> { [SheetContract.Status] = "queued" });
}
