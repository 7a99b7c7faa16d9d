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

/// <summary>Cells to write: a ValueRange in a <c>values:batchUpdate</c> request. Only strings, so RAW stores exactly this text.</summary>
public sealed record ValueRangeWrite(string Range, string MajorDimension, IReadOnlyList<IReadOnlyList<string>> Values);

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
