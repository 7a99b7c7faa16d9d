using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.Timeout;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>The Sheets API v4 calls the adapter needs, and nothing more, as a typed HttpClient.</summary>
/// <remarks>
/// The HttpClient carries the bearer token and the retry pipeline
/// (<see cref="GoogleSheetsServiceCollectionExtensions.AddGoogleSheets"/>). Every failure comes out as a
/// <see cref="GoogleApiException"/>: Google's own error, a timeout (504 DEADLINE_EXCEEDED), no connection
/// (503 UNAVAILABLE) or an answer that is not what the API documents (MALFORMED_RESPONSE).
/// </remarks>
public sealed class SheetsClient(HttpClient http)
{
    public const string Api = "Google Sheets";

    /// <summary>Status word of a <see cref="GoogleApiException"/> for an answer that could not be read.</summary>
    public const string MalformedResponse = "MALFORMED_RESPONSE";

    /// <summary>Marks a request that must not be repeated when its outcome is unknown (a timeout, a 5xx): it may have been applied.</summary>
    public static readonly HttpRequestOptionsKey<bool> NotIdempotent = new("ViralForge.Sheets.NotIdempotent");

    /// <summary>
    /// <c>GET values:batchGet</c> with <c>valueRenderOption=FORMULA</c>, so a formula cell reads as its formula
    /// rather than its current result, and <c>dateTimeRenderOption=FORMATTED_STRING</c>, so a date reads as the
    /// person sees it rather than as a serial number.
    /// </summary>
    public async Task<BatchGetValuesResponse> BatchGetAsync(string spreadsheetId, IReadOnlyList<string> ranges, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ranges.Count);
        var uri = new StringBuilder($"v4/spreadsheets/{Uri.EscapeDataString(spreadsheetId)}/values:batchGet?");
        foreach (var range in ranges)
        {
            uri.Append("ranges=").Append(Uri.EscapeDataString(range)).Append('&');
        }
        uri.Append("majorDimension=ROWS&valueRenderOption=FORMULA&dateTimeRenderOption=FORMATTED_STRING");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(uri.ToString(), UriKind.Relative));
        var answer = await SendAsync(request, SheetsJson.Default.BatchGetValuesResponse, "values:batchGet", cancellationToken);
        if (answer.ValueRanges.Count != ranges.Count)
        {
            throw Malformed(200, "values:batchGet", $"asked for {ranges.Count} ranges, got {answer.ValueRanges.Count}");
        }
        foreach (var range in answer.ValueRanges)
        {
            foreach (var row in range.Values ?? [])
            {
                foreach (var cell in row)
                {
                    if (cell.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        throw Malformed(200, "values:batchGet", $"a cell of {range.Range} is {cell.ValueKind}, not a value");
                    }
                }
            }
        }
        return answer;
    }

    /// <summary>
    /// <c>POST values:batchUpdate</c> with <c>valueInputOption=RAW</c>, always: Sheets stores each string as
    /// typed, so a value such as <c>=IMPORTXML(...)</c> stays text and never becomes a formula, and a JSON number (the
    /// Cost cell, <see cref="CellWrite"/>) as a number.
    /// </summary>
    public async Task<BatchUpdateValuesResponse> BatchUpdateValuesAsync(string spreadsheetId, IReadOnlyList<ValueRangeWrite> data, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(data.Count);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"v4/spreadsheets/{Uri.EscapeDataString(spreadsheetId)}/values:batchUpdate", UriKind.Relative))
        {
            // Writing the same values to the same cells twice leaves the same sheet, so retries are safe.
            Content = JsonContent.Create(new BatchUpdateValuesRequest("RAW", data), SheetsJson.Default.BatchUpdateValuesRequest),
        };
        return await SendAsync(request, SheetsJson.Default.BatchUpdateValuesResponse, "values:batchUpdate", cancellationToken);
    }

    /// <summary><c>GET spreadsheets/{id}</c> limited to each tab's id, title and grid size.</summary>
    public async Task<SpreadsheetProperties> GetSheetPropertiesAsync(string spreadsheetId, CancellationToken cancellationToken)
    {
        var fields = Uri.EscapeDataString("sheets.properties(sheetId,title,gridProperties(rowCount,columnCount))");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"v4/spreadsheets/{Uri.EscapeDataString(spreadsheetId)}?fields={fields}", UriKind.Relative));
        return await SendAsync(request, SheetsJson.Default.SpreadsheetProperties, "spreadsheets.get", cancellationToken);
    }

    /// <summary>
    /// <c>POST spreadsheets:batchUpdate</c> with one appendDimension request: adds <paramref name="count"/> empty
    /// columns at the right of the tab, since values can only be written inside a tab's grid.
    /// </summary>
    public async Task AppendColumnsAsync(string spreadsheetId, int sheetId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var body = new BatchUpdateSpreadsheetRequest([new SpreadsheetRequest(new AppendDimensionRequest(sheetId, "COLUMNS", count))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"v4/spreadsheets/{Uri.EscapeDataString(spreadsheetId)}:batchUpdate", UriKind.Relative))
        {
            Content = JsonContent.Create(body, SheetsJson.Default.BatchUpdateSpreadsheetRequest),
        };
        // Appending twice adds twice the columns: only a 429, which Google answers before doing anything, is retried.
        request.Options.Set(NotIdempotent, true);
        await SendAsync(request, SheetsJson.Default.BatchUpdateSpreadsheetResponse, "spreadsheets:batchUpdate", cancellationToken);
    }

    /// <summary>True for failures worth trying again later: quota (429), Google's 5xx, timeouts and lost connections.</summary>
    public static bool IsTransient(GoogleApiException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Status != MalformedResponse && error.StatusCode is 408 or 429 or >= 500;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, string call, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new GoogleApiException(
                Api, 504, string.Create(CultureInfo.InvariantCulture, $"{call} got no answer within {e.Timeout.TotalSeconds:0.###} s"), "DEADLINE_EXCEEDED");
        }
        catch (HttpRequestException e)
        {
            throw new GoogleApiException(Api, 503, $"{call} could not reach {http.BaseAddress}: {e.Message}", "UNAVAILABLE");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ErrorFrom(status, response.ReasonPhrase, body, call);
            }
            try
            {
                return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("the body is null");
            }
            catch (JsonException e)
            {
                throw Malformed(status, call, e.Message);
            }
        }
    }

    private static GoogleApiException ErrorFrom(int status, string? reason, string body, string call)
    {
        GoogleErrorBody? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, SheetsJson.Default.GoogleErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            // Not Google's JSON (a proxy's HTML page, say): the text itself is the best clue.
        }
        var message = error?.Message is { Length: > 0 } text ? text : Snippet(body) ?? reason ?? "no details";
        return new GoogleApiException(Api, status, $"{call}: {message}", error?.Status);
    }

    private static GoogleApiException Malformed(int status, string call, string detail) =>
        new(Api, status, $"malformed answer to {call}: {detail}", MalformedResponse);

    private static string? Snippet(string body)
    {
        var text = body.Trim();
        return text.Length == 0 ? null : text.Length <= 200 ? text : text[..200] + "...";
    }
}
