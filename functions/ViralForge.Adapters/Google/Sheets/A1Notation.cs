using System.Globalization;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>A1 ranges on one tab, always with the tab name quoted so that no tab name can be misread.</summary>
/// <remarks>
/// Unquoted, a tab called "A1" reads as a cell and a named range called like the tab wins over it; quoted,
/// the name is only ever a tab name. An apostrophe inside the name is doubled: <c>'Ideas ''24'!A1</c>.
/// Rows are 1-based as in the sheet; columns are 0-based indexes as in the values arrays.
/// </remarks>
public static class A1Notation
{
    /// <summary>The quoted tab name, e.g. <c>'Ideas ''24'</c>: on its own it is the whole tab.</summary>
    public static string Tab(string tab)
    {
        ArgumentException.ThrowIfNullOrEmpty(tab);
        return "'" + tab.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The column's letters: 0 is A, 25 is Z, 26 is AA, 701 is ZZ, 702 is AAA.</summary>
    public static string Column(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        // Bijective base 26: there is no zero digit, so "Z" is followed by "AA", not "BA".
        Span<char> letters = stackalloc char[8];
        var at = letters.Length;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters[--at] = (char)('A' + ((n - 1) % 26));
        }
        return new string(letters[at..]);
    }

    /// <summary>One whole row, e.g. <c>'Ideas'!1:1</c>.</summary>
    public static string Row(string tab, int row) => $"{Tab(tab)}!{Number(row)}:{Number(row)}";

    /// <summary>One whole column, e.g. <c>'Ideas'!J:J</c>.</summary>
    public static string WholeColumn(string tab, int column) => $"{Tab(tab)}!{Column(column)}:{Column(column)}";

    /// <summary>Cells of one row from <paramref name="firstColumn"/> to <paramref name="lastColumn"/>, e.g. <c>'Ideas'!AA7:AC7</c> (or <c>'Ideas'!AA7</c> for one cell).</summary>
    public static string Cells(string tab, int row, int firstColumn, int lastColumn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lastColumn, firstColumn);
        var first = Column(firstColumn) + Number(row);
        return firstColumn == lastColumn ? $"{Tab(tab)}!{first}" : $"{Tab(tab)}!{first}:{Column(lastColumn)}{Number(row)}";
    }

    private static string Number(int row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, 1);
        return row.ToString(CultureInfo.InvariantCulture);
    }
}
