using System.Diagnostics.CodeAnalysis;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>The sheet id of one tab of a Google spreadsheet: <c>gsheet:&lt;spreadsheetId&gt;/&lt;tab name&gt;</c>.</summary>
/// <remarks>
/// For example <c>gsheet:1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/Video ideas</c>. The spreadsheet id is the part
/// of the sheet's URL between <c>/d/</c> and the next <c>/</c>; the tab name follows the first <c>/</c> exactly as
/// shown on the tab (spaces, apostrophes and further slashes included). The text is stored on every job and is part
/// of its identity, so its form must not change.
/// </remarks>
public sealed record GoogleSheetId
{
    public const string Prefix = "gsheet:";

    public GoogleSheetId(string spreadsheetId, string tab)
    {
        if (!IsSpreadsheetId(spreadsheetId))
        {
            throw new ArgumentException(
                $"\"{spreadsheetId}\" is not a spreadsheet id; it is the part of the sheet's URL after /d/ (letters, digits, - and _).",
                nameof(spreadsheetId));
        }
        if (string.IsNullOrWhiteSpace(tab))
        {
            // The first visible tab is not a stable target: a person reorders tabs without thinking of jobs.
            throw new ArgumentException("A Google sheet id needs the tab's name after the spreadsheet id.", nameof(tab));
        }
        SpreadsheetId = spreadsheetId;
        Tab = tab;
    }

    public string SpreadsheetId { get; }

    /// <summary>The tab's name exactly as shown on the tab.</summary>
    public string Tab { get; }

    /// <summary>Parses a sheet id, with an error message that shows the expected form.</summary>
    public static GoogleSheetId Parse(string sheetId)
    {
        ArgumentNullException.ThrowIfNull(sheetId);
        if (!TrySplit(sheetId, out var spreadsheetId, out var tab))
        {
            throw new ArgumentException(
                $"\"{sheetId}\" is not a Google sheet id; write {Prefix}<spreadsheet id>/<tab name>, e.g. {Prefix}1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/Ideas.",
                nameof(sheetId));
        }
        return new GoogleSheetId(spreadsheetId, tab);
    }

    public static bool TryParse([NotNullWhen(true)] string? sheetId, [NotNullWhen(true)] out GoogleSheetId? id)
    {
        id = sheetId is not null && TrySplit(sheetId, out var spreadsheetId, out var tab) && IsSpreadsheetId(spreadsheetId) && !string.IsNullOrWhiteSpace(tab)
            ? new GoogleSheetId(spreadsheetId, tab)
            : null;
        return id is not null;
    }

    public override string ToString() => $"{Prefix}{SpreadsheetId}/{Tab}";

    // The spreadsheet id never holds a slash, so the first one ends it and the tab name may hold more.
    private static bool TrySplit(string sheetId, out string spreadsheetId, out string tab)
    {
        var slash = sheetId.StartsWith(Prefix, StringComparison.Ordinal) ? sheetId.IndexOf('/', Prefix.Length) : -1;
        spreadsheetId = slash > Prefix.Length ? sheetId[Prefix.Length..slash] : "";
        tab = slash > Prefix.Length ? sheetId[(slash + 1)..] : "";
        return slash > Prefix.Length;
    }

    private static bool IsSpreadsheetId(string? value) =>
        !string.IsNullOrEmpty(value) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
