using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Adapters.Google.Sheets;
using WireMock.Matchers;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>One request the simulator answered, with the simulated time it arrived at.</summary>
internal sealed record FakeCall(string Kind, int Status, DateTimeOffset At, IReadOnlyList<string> Ranges, string RawQuery, string Body);

/// <summary>An answer to give instead of the simulated one, once, to the next request of a kind.</summary>
/// <param name="Hang">Never answer (until the simulator is disposed): a request the client has to time out.</param>
internal sealed record FakeFault(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false);

/// <summary>
/// The slice of Sheets API v4 the adapter uses, simulated on a WireMock server (port 0) from the documented
/// behaviour (API_REFERENCE.md §1): tabs of cells; values:batchGet leaves out trailing empty cells and rows and
/// the values field of an empty range; values:batchUpdate refuses cells beyond the tab's grid; spreadsheets.get
/// answers tab properties; spreadsheets:batchUpdate appends columns. Faults can be queued per kind of call.
/// </summary>
internal sealed class FakeSheetsApi : IDisposable
{
    public const string SpreadsheetId = "1FakeSheet_Abc-123";
    public const string Token = "test-token";

    public const string BatchGet = "values:batchGet";
    public const string BatchUpdate = "values:batchUpdate";
    public const string Get = "spreadsheets.get";
    public const string AppendDimension = "spreadsheets:batchUpdate";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly Lock _lock = new();
    private readonly List<FakeTab> _tabs = [];
    private readonly Dictionary<string, Queue<FakeFault>> _faults = [];
    private readonly List<FakeCall> _calls = [];
    private readonly TaskCompletionSource _disposing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeSheetsApi()
    {
        _server
            .Given(Request.Create().WithPath(new WildcardMatcher("/v4/*")).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(HandleAsync));
    }

    public string Url => _server.Url!;

    public WireMockServer Server => _server;

    /// <summary>The clock that stamps calls; a test with a FakeTimeProvider sets it to count calls per simulated minute.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Runs under the simulator's lock just before a values:batchUpdate is applied: a person editing the sheet between the adapter's read and its write.</summary>
    public Action<FakeSheetsApi>? BeforeWrite { get; set; }

    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<FakeCall> CallsOf(string kind) => [.. Calls.Where(c => c.Kind == kind)];

    public FakeTab AddTab(string title, params object?[][] rows)
    {
        lock (_lock)
        {
            var tab = new FakeTab(title, _tabs.Count == 0 ? 0 : 1000 + _tabs.Count);
            foreach (var row in rows)
            {
                tab.Rows.Add([.. row]);
            }
            // As in Sheets, a tab holds at least 1,000 rows and grows to fit what was put in it.
            tab.RowCount = Math.Max(tab.RowCount, rows.Length);
            _tabs.Add(tab);
            return tab;
        }
    }

    public FakeTab Tab(string title)
    {
        lock (_lock)
        {
            return _tabs.Single(t => t.Title == title);
        }
    }

    /// <summary>Changes the sheet under the lock, as a person would between requests.</summary>
    public void Edit(Action<FakeSheetsApi> edit)
    {
        lock (_lock)
        {
            edit(this);
        }
    }

    public void Fail(string kind, FakeFault fault)
    {
        lock (_lock)
        {
            if (!_faults.TryGetValue(kind, out var queue))
            {
                _faults[kind] = queue = new Queue<FakeFault>();
            }
            queue.Enqueue(fault);
        }
    }

    public static FakeFault Error(int code, string status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(code, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status } }.ToJsonString(), headers);

    public void Dispose()
    {
        // Hanging answers end now, so the server stops without waiting for them.
        _disposing.TrySetResult();
        _server.Stop();
        _server.Dispose();
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var path = request.Path;
        var prefix = $"/v4/spreadsheets/{SpreadsheetId}";
        var kind = (request.Method, path) switch
        {
            ("GET", _) when path == prefix + "/values:batchGet" => BatchGet,
            ("POST", _) when path == prefix + "/values:batchUpdate" => BatchUpdate,
            ("GET", _) when path == prefix => Get,
            ("POST", _) when path == prefix + ":batchUpdate" => AppendDimension,
            _ => "unknown",
        };
        var rawQuery = request.RawQuery ?? "";
        var ranges = QueryValues(rawQuery, "ranges");
        FakeFault? fault = null;
        (int Status, string Body) answer;
        lock (_lock)
        {
            if (_faults.TryGetValue(kind, out var queue) && queue.Count > 0)
            {
                fault = queue.Dequeue();
                answer = (fault.Status, fault.Body);
            }
            else if (!request.Headers!.TryGetValue("Authorization", out var auth) || auth.ToString() != $"Bearer {Token}")
            {
                answer = ErrorAnswer(401, "UNAUTHENTICATED", "Request is missing required authentication credential.");
            }
            else
            {
                answer = kind switch
                {
                    BatchGet => AnswerBatchGet(ranges, rawQuery),
                    BatchUpdate => AnswerBatchUpdate(request.Body ?? ""),
                    Get => AnswerGet(),
                    AppendDimension => AnswerAppendDimension(request.Body ?? ""),
                    _ => ErrorAnswer(404, "NOT_FOUND", "Requested entity was not found."),
                };
            }
            _calls.Add(new FakeCall(kind, answer.Status, Clock.GetUtcNow(), ranges, rawQuery, request.Body ?? ""));
        }
        if (fault?.Hang == true)
        {
            await _disposing.Task;
        }
        var response = new ResponseMessage
        {
            StatusCode = answer.Status,
            BodyData = new BodyData { BodyAsString = answer.Body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        response.AddHeader("Content-Type", "application/json; charset=UTF-8");
        foreach (var (name, value) in fault?.Headers ?? new Dictionary<string, string>())
        {
            response.AddHeader(name, value);
        }
        return response;
    }

    private static List<string> QueryValues(string rawQuery, string name) =>
        [.. rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p[0] == name)
            .Select(p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))];

    private (int, string) AnswerBatchGet(List<string> ranges, string rawQuery)
    {
        if (ranges.Count == 0)
        {
            return ErrorAnswer(400, "INVALID_ARGUMENT", "Must specify at least one range.");
        }
        var valueRanges = new JsonArray();
        foreach (var text in ranges)
        {
            if (Parse(text) is not { } range)
            {
                return ErrorAnswer(400, "INVALID_ARGUMENT", $"Unable to parse range: {text}");
            }
            var formulas = QueryValues(rawQuery, "valueRenderOption").SingleOrDefault() == "FORMULA";
            var rows = new JsonArray();
            var pendingEmptyRows = 0;
            var lastRow = Math.Min(range.LastRow, range.Tab.Rows.Count - 1);
            for (var r = range.FirstRow; r <= lastRow; r++)
            {
                var cells = range.Tab.Rows[r];
                var lastColumn = Math.Min(range.LastColumn, cells.Count - 1);
                while (lastColumn >= range.FirstColumn && IsEmpty(cells[lastColumn]))
                {
                    lastColumn--;
                }
                if (lastColumn < range.FirstColumn)
                {
                    pendingEmptyRows++;
                    continue;
                }
                // Empty rows between filled ones come back as []; trailing ones are left out.
                for (; pendingEmptyRows > 0; pendingEmptyRows--)
                {
                    rows.Add(new JsonArray());
                }
                var row = new JsonArray();
                for (var c = range.FirstColumn; c <= lastColumn; c++)
                {
                    row.Add(Render(cells[c], formulas));
                }
                rows.Add(row);
            }
            var valueRange = new JsonObject { ["range"] = range.Describe(), ["majorDimension"] = "ROWS" };
            if (rows.Count > 0)
            {
                valueRange["values"] = rows;
            }
            valueRanges.Add(valueRange);
        }
        return (200, new JsonObject { ["spreadsheetId"] = SpreadsheetId, ["valueRanges"] = valueRanges }.ToJsonString());
    }

    private (int, string) AnswerBatchUpdate(string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var option = request["valueInputOption"]?.GetValue<string>();
        if (option is not ("RAW" or "USER_ENTERED"))
        {
            return ErrorAnswer(400, "INVALID_ARGUMENT", "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED");
        }
        BeforeWrite?.Invoke(this);
        var writes = new List<(FakeTab Tab, int Row, int Column, object? Value)>();
        foreach (var data in request["data"]!.AsArray())
        {
            var text = data!["range"]!.GetValue<string>();
            if (Parse(text) is not { } range)
            {
                return ErrorAnswer(400, "INVALID_ARGUMENT", $"Unable to parse range: {text}");
            }
            var values = data["values"]!.AsArray();
            for (var i = 0; i < values.Count; i++)
            {
                var row = values[i]!.AsArray();
                for (var j = 0; j < row.Count; j++)
                {
                    var (r, c) = (range.FirstRow + i, range.FirstColumn + j);
                    if (r > range.LastRow || c > range.LastColumn)
                    {
                        return ErrorAnswer(400, "INVALID_ARGUMENT", $"Requested writing within range [{text}], but tried writing to column [{Column(c)}]");
                    }
                    if (r >= range.Tab.RowCount || c >= range.Tab.ColumnCount)
                    {
                        return ErrorAnswer(400, "INVALID_ARGUMENT",
                            $"Range ({range.Tab.Title}!{Column(c)}{r + 1}) exceeds grid limits. Max rows: {range.Tab.RowCount}, max columns: {range.Tab.ColumnCount}");
                    }
                    // Null values are skipped; strings are stored as given under RAW, and parsed (formulas!) under USER_ENTERED.
                    if (row[j] is { } value)
                    {
                        // A JSON number is stored as a number (Sheets keeps RAW numbers as numbers, so =SUM adds them).
                        var stored = value.GetValueKind() switch
                        {
                            JsonValueKind.String => (object?)value.GetValue<string>(),
                            JsonValueKind.Number => value.GetValue<double>(),
                            _ => value.ToJsonString(),
                        };
                        writes.Add((range.Tab, r, c, option == "USER_ENTERED" && stored is string s && s.StartsWith('=') ? new Formula(s) : stored));
                    }
                }
            }
        }
        foreach (var (tab, row, column, value) in writes)
        {
            tab.Set(row, column, value);
        }
        return (200, new JsonObject
        {
            ["spreadsheetId"] = SpreadsheetId,
            ["totalUpdatedRows"] = writes.Select(w => (w.Tab, w.Row)).Distinct().Count(),
            ["totalUpdatedColumns"] = writes.Select(w => (w.Tab, w.Column)).Distinct().Count(),
            ["totalUpdatedCells"] = writes.Count,
            ["totalUpdatedSheets"] = writes.Select(w => w.Tab).Distinct().Count(),
        }.ToJsonString());
    }

    private (int, string) AnswerGet()
    {
        var sheets = new JsonArray();
        foreach (var tab in _tabs)
        {
            var properties = new JsonObject
            {
                ["title"] = tab.Title,
                ["gridProperties"] = new JsonObject { ["rowCount"] = tab.RowCount, ["columnCount"] = tab.ColumnCount },
            };
            // Proto3 JSON leaves out zero values, and the first tab's id is 0.
            if (tab.SheetId != 0)
            {
                properties["sheetId"] = tab.SheetId;
            }
            sheets.Add(new JsonObject { ["properties"] = properties });
        }
        return (200, new JsonObject { ["sheets"] = sheets }.ToJsonString());
    }

    private (int, string) AnswerAppendDimension(string body)
    {
        foreach (var request in JsonNode.Parse(body)!["requests"]!.AsArray())
        {
            var append = request!["appendDimension"]!;
            var sheetId = append["sheetId"]?.GetValue<int>() ?? 0;
            var tab = _tabs.SingleOrDefault(t => t.SheetId == sheetId);
            if (tab is null || append["dimension"]!.GetValue<string>() != "COLUMNS")
            {
                return ErrorAnswer(400, "INVALID_ARGUMENT", $"Invalid requests[0].appendDimension: No grid with id: {sheetId}");
            }
            tab.ColumnCount += append["length"]!.GetValue<int>();
        }
        return (200, new JsonObject { ["spreadsheetId"] = SpreadsheetId, ["replies"] = new JsonArray(new JsonObject()) }.ToJsonString());
    }

    private static (int, string) ErrorAnswer(int code, string status, string message)
    {
        var fault = Error(code, status, message);
        return (fault.Status, fault.Body);
    }

    private static bool IsEmpty(object? value) => value is null || (value is string s && s.Length == 0);

    private static JsonNode? Render(object? value, bool formulas) => value switch
    {
        null => JsonValue.Create(""),
        Formula f => JsonValue.Create(formulas ? f.Text : "(computed)"),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(value.ToString()),
    };

    private static string Column(int index) => A1Notation.Column(index);

    /// <summary>
    /// The range a request names, on a tab found as Sheets finds it (case-insensitively), with open bounds closed at
    /// the tab's grid; null when the text is no range or names no tab. Read with the adapter's own
    /// <see cref="A1Notation.TryParse"/>, which its tests pin to literal ranges.
    /// </summary>
    private FakeRange? Parse(string text)
    {
        if (!A1Notation.TryParse(text, out var parsed))
        {
            return null;
        }
        var tab = _tabs.FirstOrDefault(t => string.Equals(t.Title, parsed.Tab, StringComparison.OrdinalIgnoreCase));
        if (tab is null)
        {
            return null;
        }
        if (parsed is { FirstRow: null, FirstColumn: null, LastRow: null, LastColumn: null })
        {
            return new FakeRange(tab, 0, 0, tab.RowCount - 1, tab.ColumnCount - 1, $"{text}!A1:{Column(tab.ColumnCount - 1)}{tab.RowCount}");
        }
        return new FakeRange(
            tab,
            (parsed.FirstRow ?? 1) - 1,
            parsed.FirstColumn ?? 0,
            (parsed.LastRow ?? tab.RowCount) - 1,
            parsed.LastColumn ?? tab.ColumnCount - 1,
            text);
    }

    private sealed record FakeRange(FakeTab Tab, int FirstRow, int FirstColumn, int LastRow, int LastColumn, string Text)
    {
        public string Describe() => Text;
    }
}

/// <summary>A cell holding a formula: read back as its text with valueRenderOption=FORMULA.</summary>
internal sealed record Formula(string Text);

/// <summary>One tab of the simulated spreadsheet: rows of cells (0-based; row 0 is the header), and its grid size.</summary>
internal sealed class FakeTab(string title, int sheetId)
{
    public string Title { get; } = title;

    public int SheetId { get; } = sheetId;

    public int RowCount { get; set; } = 1000;

    public int ColumnCount { get; set; } = 26;

    public List<List<object?>> Rows { get; } = [];

    public void Set(int row, int column, object? value)
    {
        while (Rows.Count <= row)
        {
            Rows.Add([]);
        }
        var cells = Rows[row];
        while (cells.Count <= column)
        {
            cells.Add(null);
        }
        cells[column] = value;
    }

    /// <summary>The cell's text: "" when empty; a formula as its text.</summary>
    public string Text(int row, int column) =>
        row < Rows.Count && column < Rows[row].Count ? Rows[row][column] switch
        {
            null => "",
            Formula f => f.Text,
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        } : "";

    /// <summary>The value in a column, found by header text in row 1, of a sheet row (1-based, as in A1).</summary>
    public string Text(int sheetRow, string header)
    {
        var column = Enumerable.Range(0, Rows.Count > 0 ? Rows[0].Count : 0).Single(c => Text(0, c) == header);
        return Text(sheetRow - 1, column);
    }

    public List<string> Header() => [.. Enumerable.Range(0, Rows.Count > 0 ? Rows[0].Count : 0).Select(c => Text(0, c))];
}
