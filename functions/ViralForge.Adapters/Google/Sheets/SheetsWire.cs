using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>A range of cells as the Values API answers it (ValueRange). Google leaves out <c>values</c> when the range is empty.</summary>
/// <param name="Values">Rows of cells: JSON strings, numbers or booleans. Trailing empty cells and rows are left out.</param>
public sealed record ValueRange(
    string? Range = null,
    string? MajorDimension = null,
    IReadOnlyList<IReadOnlyList<JsonElement>>? Values = null);

/// <summary>The answer to <c>spreadsheets.values:batchGet</c>: one <see cref="ValueRange"/> per requested range, in request order.</summary>
public sealed record BatchGetValuesResponse(string SpreadsheetId, IReadOnlyList<ValueRange> ValueRanges);

/// <summary>
/// Cells to write: a ValueRange in a <c>values:batchUpdate</c> request. Strings, which RAW stores exactly as this text
/// (never a formula), and JSON numbers for the columns of numbers (<see cref="CellWrite"/>), which RAW stores as numbers.
/// </summary>
public sealed record ValueRangeWrite(string Range, string MajorDimension, IReadOnlyList<IReadOnlyList<CellWrite>> Values);

/// <summary>
/// One cell of a write. Every cell is a JSON string except one of a number column (<see cref="NumberColumns"/>: Cost)
/// holding a plain invariant number, which goes as a JSON number: Sheets stores a RAW string "0.0187" as text, which
/// <c>=SUM</c> skips, and a RAW number as a number.
/// </summary>
[JsonConverter(typeof(CellWriteConverter))]
public readonly record struct CellWrite(string Text, bool IsNumber)
{
    /// <summary>The output columns whose cells are numbers, so a person's formulas can add them up.</summary>
    public static IReadOnlyList<string> NumberColumns { get; } =
        [Core.Sheets.SheetContract.Cost, Core.Sheets.SheetContract.Views, Core.Sheets.SheetContract.Likes, Core.Sheets.SheetContract.AvgViewPercent];

    /// <summary>A text cell (a header, a status, an error, a link).</summary>
    public static implicit operator CellWrite(string text) => new(text, false);

    /// <summary>The cell for <paramref name="text"/> under <paramref name="column"/>: a number where the column holds numbers and the text is one, text otherwise.</summary>
    public static CellWrite For(string column, string text) =>
        NumberColumns.Contains(column, StringComparer.Ordinal) && IsPlainNumber(text) ? new(text, true) : new(text, false);

    /// <summary>An invariant decimal such as 0.0187 or 12 (what JobCost.Cell writes); anything else stays text.</summary>
    private static bool IsPlainNumber(string text) =>
        text.Length is > 0 and <= 30
        && text.All(c => char.IsAsciiDigit(c) || c is '.' or '-')
        && decimal.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out _);
}

/// <summary>Writes a <see cref="CellWrite"/> as a JSON number or string; reads either back.</summary>
public sealed class CellWriteConverter : JsonConverter<CellWrite>
{
    public override CellWrite Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new CellWrite(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), true),
        JsonTokenType.String => new CellWrite(reader.GetString()!, false),
        _ => throw new JsonException($"A cell to write is a string or a number, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, CellWrite value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsNumber)
        {
            writer.WriteNumberValue(decimal.Parse(value.Text, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteStringValue(value.Text);
        }
    }
}

/// <summary>The body of <c>spreadsheets.values:batchUpdate</c>.</summary>
public sealed record BatchUpdateValuesRequest(string ValueInputOption, IReadOnlyList<ValueRangeWrite> Data);

/// <summary>The answer to <c>spreadsheets.values:batchUpdate</c>. Google leaves out counts that are zero.</summary>
public sealed record BatchUpdateValuesResponse(
    string SpreadsheetId,
    int TotalUpdatedRows = 0,
    int TotalUpdatedColumns = 0,
    int TotalUpdatedCells = 0,
    int TotalUpdatedSheets = 0);

/// <summary>The answer to <c>spreadsheets.get</c> with <c>fields=sheets.properties(...)</c>: only the tabs' properties.</summary>
public sealed record SpreadsheetProperties(IReadOnlyList<SheetEntry> Sheets);

/// <summary>One tab of a spreadsheet.</summary>
public sealed record SheetEntry(SheetProperties Properties);

/// <summary>A tab's numeric id (the URL's gid; the first tab's is 0, which Google may leave out), title and grid size.</summary>
public sealed record SheetProperties(string Title, int SheetId = 0, GridProperties? GridProperties = null);

/// <summary>How many rows and columns a tab's grid has; values can only be written inside it.</summary>
public sealed record GridProperties(int RowCount = 0, int ColumnCount = 0);

/// <summary>The body of <c>spreadsheets:batchUpdate</c>, limited to the one request kind the adapter sends.</summary>
public sealed record BatchUpdateSpreadsheetRequest(IReadOnlyList<SpreadsheetRequest> Requests);

/// <summary>One request of a <c>spreadsheets:batchUpdate</c>; exactly one member is set.</summary>
public sealed record SpreadsheetRequest(AppendDimensionRequest? AppendDimension = null);

/// <summary>Adds <paramref name="Length"/> empty rows or columns at the end of a tab.</summary>
/// <param name="Dimension">ROWS or COLUMNS.</param>
public sealed record AppendDimensionRequest(int SheetId, string Dimension, int Length);

/// <summary>The answer to <c>spreadsheets:batchUpdate</c>; the replies are not needed.</summary>
public sealed record BatchUpdateSpreadsheetResponse(string SpreadsheetId);

/// <summary>Google's error body: <c>{"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED"}}</c>.</summary>
internal sealed record GoogleErrorResponse(GoogleErrorBody? Error = null);

/// <summary>The <c>error</c> object of <see cref="GoogleErrorResponse"/>.</summary>
internal sealed record GoogleErrorBody(int Code = 0, string? Message = null, string? Status = null);

/// <summary>Source-generated serialisation of the Sheets API wire format.</summary>
/// <remarks>
/// Nullable annotations and required constructor parameters are enforced, so an answer that lacks a field the
/// adapter relies on fails while parsing, naming the field, instead of turning into a NullReferenceException later.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BatchGetValuesResponse))]
[JsonSerializable(typeof(BatchUpdateValuesRequest))]
[JsonSerializable(typeof(BatchUpdateValuesResponse))]
[JsonSerializable(typeof(SpreadsheetProperties))]
[JsonSerializable(typeof(BatchUpdateSpreadsheetRequest))]
[JsonSerializable(typeof(BatchUpdateSpreadsheetResponse))]
[JsonSerializable(typeof(GoogleErrorResponse))]
internal sealed partial class SheetsJson : JsonSerializerContext;
