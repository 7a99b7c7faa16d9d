namespace ViralForge.Core.Sheets;

/// <summary>
/// Where each contract column sits in one sheet, found by the header text of its first row: the column rules every
/// <see cref="Ports.ISheet"/> shares, whatever holds the cells.
/// </summary>
/// <remarks>
/// Columns are 0-based indexes into a row's cells. Columns the contract does not know are not in the layout, so a
/// sheet that writes only through <see cref="IndexOf"/> with the columns of <see cref="RowWrite.CheckedOutputs"/>
/// never writes an input or unknown cell.
/// </remarks>
public sealed class SheetLayout
{
    private readonly Dictionary<string, int> _indexes;

    private SheetLayout(Dictionary<string, int> indexes) => _indexes = indexes;

    /// <summary>True when every output column has a place, so a write needs no new columns.</summary>
    public bool HasAllOutputs => SheetContract.OutputColumns.All(_indexes.ContainsKey);

    /// <summary>
    /// True when every output column has a place and so does each column made on demand among <paramref name="written"/>
    /// (the columns a write puts a value in: Published URL (TikTok), or per-language ones such as "Status (es)"), so the
    /// write needs no new columns.
    /// </summary>
    public bool HasColumnsFor(IEnumerable<string> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        return HasAllOutputs && written.Where(c => !SheetContract.OutputColumns.Contains(c)).All(_indexes.ContainsKey);
    }

    /// <summary>One past the rightmost contract column.</summary>
    public int Width => _indexes.Values.Max() + 1;

    /// <summary>The layout of a sheet whose first row is <paramref name="header"/>.</summary>
    /// <param name="sheetId">Named in the error when the header has no Topic column.</param>
    /// <exception cref="InvalidDataException">The header has no Topic column (a sheet without one is not a sheet of ideas).</exception>
    public static SheetLayout FromHeader(IReadOnlyList<string> header, string sheetId)
    {
        ArgumentNullException.ThrowIfNull(header);
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            // The first of two same-named columns wins; the other is left alone like any unknown column.
            if (SheetContract.Canonical(header[i]) is { } name)
            {
                indexes.TryAdd(name, i);
            }
        }
        if (!indexes.ContainsKey(SheetContract.Topic))
        {
            var named = header.Where(h => h.Length > 0).Select(h => $"\"{h}\"").ToList();
            var found = named.Count > 0 ? string.Join(", ", named) : "(none)";
            throw new InvalidDataException($"{sheetId} has no {SheetContract.Topic} column in its first row; headers found: {found}.");
        }
        return new SheetLayout(indexes);
    }

    public bool TryIndexOf(string column, out int index) => _indexes.TryGetValue(column, out index);

    public int IndexOf(string column) => _indexes[column];

    /// <summary>The contract's cells of one data row; a row shorter than the layout reads as "" past its end.</summary>
    public SheetRow ToRow(IReadOnlyList<string> cells, int rowNumber)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return ToRow(column => column < cells.Count ? cells[column] : "", rowNumber);
    }

    /// <summary>The contract's cells of one data row, each read by its column index.</summary>
    public SheetRow ToRow(Func<int, string> cellAt, int rowNumber)
    {
        ArgumentNullException.ThrowIfNull(cellAt);
        return new(rowNumber, _indexes.ToDictionary(c => c.Key, c => cellAt(c.Value), StringComparer.Ordinal));
    }

    /// <summary>
    /// Places every missing output column at once, in contract order, so the sheet gets the same layout whichever
    /// stage writes first, and says where each went; the caller writes their names into the header. They start right
    /// of the widest row, not the header: cells beyond the header have no name but are still the person's data.
    /// </summary>
    /// <param name="widestRow">The number of cells in the sheet's longest row, header included.</param>
    public IReadOnlyList<(int Column, string Name)> AddMissingOutputColumns(int widestRow) => AddMissingOutputColumns(widestRow, []);

    /// <summary>
    /// As <see cref="AddMissingOutputColumns(int)"/>, then the columns made on demand that <paramref name="written"/> puts
    /// a value in and that have no place yet: <see cref="SheetContract.OnDemandOutputColumns"/> in contract order, then the
    /// per-language columns ("Job ID (es)", "Status (es)", ...), language by language in
    /// <see cref="SheetContract.LanguageOutputColumns"/> order, since a sheet gets them only once a row needs them.
    /// </summary>
    public IReadOnlyList<(int Column, string Name)> AddMissingOutputColumns(int widestRow, IEnumerable<string> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var asked = written.ToHashSet(StringComparer.Ordinal);
        var perLanguage = asked
            .Select(c => SheetContract.LanguageColumn(c))
            .OfType<(string Column, string Language)>()
            .Select(c => c.Language)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(language => SheetContract.LanguageOutputColumns.Select(c => SheetContract.ForLanguage(c, language)));
        var added = new List<(int, string)>();
        var next = Math.Max(widestRow, Width);
        var onDemand = SheetContract.OnDemandOutputColumns.Where(asked.Contains);
        foreach (var column in SheetContract.OutputColumns.Concat(onDemand).Concat(perLanguage).Where(c => !_indexes.ContainsKey(c)))
        {
            _indexes[column] = next;
            added.Add((next, column));
            next++;
        }
        return added;
    }
}
