using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>A1 ranges on one tab, always with the tab name quoted so that no tab name can be misread; and read back.</summary>
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

    /// <summary>
    /// Reads a range of one tab as Sheets does: <c>'Tab'</c> or <c>Tab</c> (the whole tab), <c>'Tab'!1:1</c>,
    /// <c>'Tab'!J:J</c>, <c>'Tab'!AA7</c>, <c>'Tab'!F7:H7</c>, <c>'Tab'!A5:A</c>; column letters in either case.
    /// </summary>
    /// <returns>False for anything else, such as an unclosed quote or a row 0.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out A1Range? range)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = null;
        string tab;
        int at;
        if (text.StartsWith('\''))
        {
            var name = new StringBuilder();
            at = 1;
            while (true)
            {
                if (at >= text.Length)
                {
                    return false;
                }
                if (text[at] == '\'')
                {
                    if (at + 1 < text.Length && text[at + 1] == '\'')
                    {
                        name.Append('\'');
                        at += 2;
                        continue;
                    }
                    at++;
                    break;
                }
                name.Append(text[at++]);
            }
            tab = name.ToString();
        }
        else
        {
            at = text.IndexOf('!', StringComparison.Ordinal);
            at = at < 0 ? text.Length : at;
            tab = text[..at];
        }
        if (tab.Length == 0)
        {
            return false;
        }
        if (at == text.Length)
        {
            range = new A1Range(tab, null, null, null, null);
            return true;
        }
        if (text[at] != '!')
        {
            return false;
        }
        var parts = text[(at + 1)..].Split(':');
        if (parts.Length is not (1 or 2) || Reference(parts[0]) is not { } first || Reference(parts[^1]) is not { } last)
        {
            return false;
        }
        range = new A1Range(tab, first.Row, first.Column, last.Row, last.Column);
        return true;
    }

    /// <summary>Reads a range as <see cref="TryParse"/> does.</summary>
    /// <exception cref="FormatException">The text is not a range of one tab.</exception>
    public static A1Range Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"\"{text}\" is not an A1 range of one tab.");

    /// <summary>Column letters and/or a row number (A7, A, 7); null when neither, or when what follows is not a row number from 1.</summary>
    private static (int? Row, int? Column)? Reference(string text)
    {
        var letters = 0;
        var column = 0L;
        while (letters < text.Length && char.IsAsciiLetter(text[letters]))
        {
            column = (column * 26) + (char.ToUpperInvariant(text[letters]) - 'A' + 1);
            if (column > int.MaxValue)
            {
                return null;
            }
            letters++;
        }
        int? row = null;
        if (letters < text.Length)
        {
            if (!int.TryParse(text.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return null;
            }
            row = number;
        }
        if (letters == 0 && row is null)
        {
            return null;
        }
        return (row, letters == 0 ? null : (int)(column - 1));
    }

    private static string Number(int row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, 1);
        return row.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A range read back from A1 notation, counted as <see cref="A1Notation"/> writes them: rows 1-based as in the sheet,
/// columns 0-based. A null bound is open: <c>J:J</c> has no rows, <c>1:1</c> no columns, the tab alone neither, and
/// <c>A5:A</c> runs to the last row. One cell (<c>AA7</c>) is its own first and last.
/// </summary>
public sealed record A1Range(string Tab, int? FirstRow, int? FirstColumn, int? LastRow, int? LastColumn);
