using System.Globalization;
using System.Text.Json;
using ViralForge.Core.Sheets;

namespace ViralForge.Functions.Api;

/// <summary>POST /v1/jobs's body as sheet rows: the sheet id the jobs are filed under and one row per JSON row.</summary>
public sealed record ApiRowBatch(string SheetId, IReadOnlyList<SheetRow> Rows);

/// <summary>
/// Turns POST /v1/jobs's JSON into sheet rows and checks them exactly as a sheet's rows are checked
/// (<see cref="RowValidator"/> with the deployment's defaults), naming each problem by its JSON pointer. A row's fields
/// are the sheet's input columns in camelCase (topic, platform, duration, ..., publishAt, captionStyle, reviewScript);
/// empty fields take the body's defaults, then the deployment's, as a sheet's empty cells do.
/// </summary>
public static class ApiRows
{
    public const string DefaultSheet = "default";
    public const int MaxSheetLength = 100;

    private static readonly string[] TopMembers = ["sheet", "rows", "defaults"];

    /// <summary>Field name to sheet column: "publishAt" → "Publish At".</summary>
    public static IReadOnlyDictionary<string, string> Fields { get; } =
        SheetContract.InputColumns.ToDictionary(FieldName, c => c, StringComparer.Ordinal);

    /// <summary>A column's field name: its words run together, the first lower case ("Caption Style" → "captionStyle").</summary>
    public static string FieldName(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var words = column.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(words.Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
    }

    /// <summary>The batch, or the errors by JSON pointer (nothing is made unless every row is valid).</summary>
    public static (ApiRowBatch? Batch, Dictionary<string, List<string>> Errors) Read(JsonElement body, int maxRows, RowDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var errors = new Dictionary<string, List<string>>();
        ApiBody.Unknown(body, "", TopMembers, errors);

        var sheet = (ApiBody.String(body, "sheet", errors) ?? DefaultSheet).Trim();
        if (sheet.Length == 0 || sheet.Length > MaxSheetLength || sheet.Any(char.IsControl))
        {
            errors.Add("/sheet", $"sheet names the batch's list of jobs (GET /v1/jobs?sheet=api:<name>); write 1 to {MaxSheetLength} characters of plain text.");
        }

        var fallbacks = new Dictionary<string, string>();
        if (body.TryGetProperty("defaults", out var defaultsElement) && defaultsElement.ValueKind != JsonValueKind.Null)
        {
            if (defaultsElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("/defaults", "defaults must be an object of row fields, e.g. {\"platform\": \"youtube\"}.");
            }
            else
            {
                fallbacks = Cells(defaultsElement, "/defaults", errors);
            }
        }

        if (!body.TryGetProperty("rows", out var rowsElement) || rowsElement.ValueKind != JsonValueKind.Array)
        {
            errors.Add("/rows", "rows is missing: send \"rows\": [{\"topic\": \"...\"}, ...].");
            return (null, errors);
        }
        var count = rowsElement.GetArrayLength();
        if (count == 0)
        {
            errors.Add("/rows", "rows is empty; send at least one row.");
            return (null, errors);
        }
        if (count > maxRows)
        {
            errors.Add("/rows", $"rows has {count} rows; at most {maxRows} are allowed in one request. Send them in batches.");
            return (null, errors);
        }

        var rows = new List<SheetRow>(count);
        var seen = new Dictionary<string, int>();
        var index = 0;
        foreach (var element in rowsElement.EnumerateArray())
        {
            var pointer = $"/rows/{index.ToString(CultureInfo.InvariantCulture)}";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(pointer, "Each row must be an object of fields, e.g. {\"topic\": \"Three tips for sourdough\"}.");
                index++;
                continue;
            }
            var cells = Cells(element, pointer, errors);
            foreach (var (column, value) in fallbacks)
            {
                if (string.IsNullOrWhiteSpace(cells.GetValueOrDefault(column)))
                {
                    cells[column] = value;
                }
            }
            var row = new SheetRow(index + 1, cells);
            var validation = RowValidator.Validate(row, defaults);
            foreach (var error in validation.Errors)
            {
                errors.Add(PointerFor(pointer, error), error + ".");
            }
            if (validation.IsValid && RowHasher.Hash(row) is var hash && !seen.TryAdd(hash, index))
            {
                errors.Add(pointer, $"Same inputs as /rows/{seen[hash].ToString(CultureInfo.InvariantCulture)}; change a field to make a separate video.");
            }
            rows.Add(row);
            index++;
        }
        return errors.Count == 0 ? (new ApiRowBatch(ApiSheetRegistry.Prefix + sheet, rows), errors) : (null, errors);
    }

    /// <summary>The row's fields as cells under their column names; a value that is not text, a number or a yes/no is an error.</summary>
    private static Dictionary<string, string> Cells(JsonElement row, string pointer, Dictionary<string, List<string>> errors)
    {
        var cells = new Dictionary<string, string>();
        foreach (var member in row.EnumerateObject())
        {
            var at = $"{pointer}/{ApiBody.Escape(member.Name)}";
            if (!Fields.TryGetValue(member.Name, out var column))
            {
                errors.Add(at, $"\"{ApiBody.Shown(member.Name)}\" is not a row field; use {string.Join(", ", Fields.Keys)}.");
                continue;
            }
            var value = member.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    cells[column] = value.GetString()!;
                    break;
                case JsonValueKind.Number:
                    cells[column] = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    // A sheet's yes/no cells (Review Script) read yes and no.
                    cells[column] = value.ValueKind == JsonValueKind.True ? "yes" : "no";
                    break;
                case JsonValueKind.Null:
                    cells[column] = "";
                    break;
                case JsonValueKind.Array when column == SheetContract.Hashtags && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String):
                    cells[column] = string.Join(' ', value.EnumerateArray().Select(t => t.GetString()));
                    break;
                default:
                    errors.Add(at, column == SheetContract.Hashtags
                        ? "hashtags must be a string (\"#bread #baking\") or an array of strings."
                        : $"{member.Name} must be a string, a number or true/false, as a sheet cell holds.");
                    break;
            }
        }
        return cells;
    }

    /// <summary>
    /// The pointer of the field a validator message is about: every message starts with its column's name
    /// ("Duration 5 s is outside 10-90 s"), so the longest column name it starts with names the field.
    /// </summary>
    private static string PointerFor(string rowPointer, string error)
    {
        var column = SheetContract.InputColumns
            .Where(c => error.StartsWith(c + " ", StringComparison.Ordinal))
            .OrderByDescending(c => c.Length)
            .FirstOrDefault();
        return column is null ? rowPointer : $"{rowPointer}/{FieldName(column)}";
    }
}
