using ViralForge.Testing;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using static ViralForge.Adapters.Tests.Google.Sheets.SheetsTestHost;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>The wire format of <see cref="SheetsClient"/> and its retry policy, against the simulated API.</summary>
public sealed class SheetsClientTests
{
    private const string Id = FakeSheetsApi.SpreadsheetId;

    [Fact]
    public async Task BatchGet_asks_for_the_ranges_in_order_as_rows_with_formulas_and_sends_the_token()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas '24", ["Topic", "Notes"], ["Cats", new Formula("=UPPER(A2)")]);
        await using var host = Start(api);

        var answer = await host.Client.BatchGetAsync(Id, ["'Ideas ''24'!1:1", "'Ideas ''24'!J:J", "'Ideas ''24'"], CancellationToken.None);

        var request = Assert.Single(api.Server.LogEntries).RequestMessage;
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/v4/spreadsheets/{Id}/values:batchGet", request.Path);
        Assert.Equal(
            "?ranges=%27Ideas%20%27%2724%27%211%3A1&ranges=%27Ideas%20%27%2724%27%21J%3AJ&ranges=%27Ideas%20%27%2724%27"
                + "&majorDimension=ROWS&valueRenderOption=FORMULA&dateTimeRenderOption=FORMATTED_STRING",
            request.RawQuery);
        Assert.Equal($"Bearer {FakeSheetsApi.Token}", request.Headers!["Authorization"].ToString());
        Assert.Equal(Id, answer.SpreadsheetId);
        Assert.Equal(3, answer.ValueRanges.Count);
        Assert.Equal(new[] { "Topic", "Notes" }, answer.ValueRanges[0].Values!.Single().Select(v => v.GetString()));
        // An empty range comes back without a values field.
        Assert.Null(answer.ValueRanges[1].Values);
        Assert.Equal("=UPPER(A2)", answer.ValueRanges[2].Values![1][1].GetString());
    }

    [Fact]
    public async Task BatchUpdate_sends_raw_and_the_ranges_exactly_as_given()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic"]).ColumnCount = 30;
        await using var host = Start(api);

        var answer = await host.Client.BatchUpdateValuesAsync(
            Id, [new ValueRangeWrite("'Ideas'!AA7:AB7", "ROWS", [["=1+1", "x"]])], CancellationToken.None);

        var request = Assert.Single(api.Server.LogEntries).RequestMessage;
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v4/spreadsheets/{Id}/values:batchUpdate", request.Path);
        // Compared as JSON: the serializer escapes ' and + (\u0027, \u002B), which any JSON reader undoes.
        var expected = JsonNode.Parse("""{"valueInputOption":"RAW","data":[{"range":"'Ideas'!AA7:AB7","majorDimension":"ROWS","values":[["=1+1","x"]]}]}""");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.Body!)), request.Body);
        Assert.StartsWith("application/json", request.Headers!["Content-Type"].ToString(), StringComparison.Ordinal);
        Assert.Equal(2, answer.TotalUpdatedCells);
        Assert.Equal("=1+1", api.Tab("Ideas").Text(6, 26));
    }

    [Fact]
    public async Task A_429_is_retried_exactly_when_its_retry_after_header_says()
    {
        using var api = new FakeSheetsApi();
        var time = new TimerWatchingClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        api.Clock = time;
        api.AddTab("Ideas", ["Topic"]);
        api.Fail(FakeSheetsApi.BatchGet, FakeSheetsApi.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'",
            new Dictionary<string, string> { ["Retry-After"] = "30" }));
        // The retry pipeline runs on the injected clock, so the wait can be watched without waiting it out.
        await using var host = Start(api, time);

        var answer = host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None);
        await WaitForCallsAsync(api, 1);
        // The client reads the 429 a moment after the simulator counted the call; moving the clock before the retry's
        // 30 s wait has started would start that wait late (and the test would hang on a wait that never ends).
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Single(api.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await answer.WaitAsync(TimeSpan.FromSeconds(10));

        // The backoff alone would be about 10 ms (RetryBaseDelay in these tests).
        Assert.Equal(new[] { 429, 200 }, api.Calls.Select(c => c.Status));
        Assert.Equal(TimeSpan.FromSeconds(30), api.Calls[1].At - api.Calls[0].At);
        Assert.Equal("Topic", result.ValueRanges[0].Values![0][0].GetString());
    }

    /// <summary>Waits for the simulator to have received <paramref name="count"/> calls, moving the fake clock (if given) through retry backoffs meanwhile.</summary>
    private static async Task WaitForCallsAsync(FakeSheetsApi api, int count, FakeTimeProvider? time = null)
    {
        var real = Stopwatch.StartNew();
        while (api.Calls.Count < count)
        {
            Assert.True(real.Elapsed < TimeSpan.FromSeconds(10), $"only {api.Calls.Count} calls arrived");
            time?.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(5);
        }
    }

    /// <summary>An error the client does not count as transient, after the one call that got it.</summary>
    private static void AssertNotRetried(FakeSheetsApi api, GoogleApiException error)
    {
        Assert.False(SheetsClient.IsTransient(error));
        Assert.Single(api.Calls);
    }

    /// <summary>A simulated API with an Ideas tab whose first <paramref name="hangs"/> batchGet attempts get no answer at all.</summary>
    private static FakeSheetsApi IdeasWithHangingAttempts(int hangs)
    {
        var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic"]);
        for (var i = 0; i < hangs; i++)
        {
            api.Fail(FakeSheetsApi.BatchGet, new FakeFault(200, "{}", Hang: true));
        }
        return api;
    }

    /// <summary>Starts a batchGet of Ideas through a host with a 5 s attempt timeout and returns it once that timeout has passed and the second attempt arrived.</summary>
    private static async Task<Task<BatchGetValuesResponse>> BatchGetPastTheFirstTimeoutAsync(FakeSheetsApi api, SheetsTestHost host, FakeTimeProvider time)
    {
        var answer = host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None);
        await WaitForCallsAsync(api, 1);
        time.Advance(TimeSpan.FromSeconds(5));
        await WaitForCallsAsync(api, 2, time);
        return answer;
    }

    [Theory]
    [InlineData(500, "INTERNAL")]
    [InlineData(502, null)]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public async Task Server_errors_are_retried(int status, string? word)
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic"]);
        var fault = word is null ? new FakeFault(status, "<html><body>Bad Gateway</body></html>") : FakeSheetsApi.Error(status, word, "try again");
        api.Fail(FakeSheetsApi.BatchUpdate, fault);
        api.Fail(FakeSheetsApi.BatchUpdate, fault);
        await using var host = Start(api);

        await host.Client.BatchUpdateValuesAsync(Id, [new ValueRangeWrite("'Ideas'!B2", "ROWS", [["x"]])], CancellationToken.None);

        Assert.Equal(new[] { status, status, 200 }, api.Calls.Select(c => c.Status));
        Assert.Equal("x", api.Tab("Ideas").Text(1, 1));
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", "Unable to parse range: 'Nope'!A1")]
    [InlineData(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")]
    [InlineData(403, "PERMISSION_DENIED", "The caller does not have permission")]
    [InlineData(404, "NOT_FOUND", "Requested entity was not found.")]
    public async Task Client_errors_are_not_retried_and_keep_googles_status_and_message(int status, string word, string message)
    {
        using var api = new FakeSheetsApi();
        api.Fail(FakeSheetsApi.BatchGet, FakeSheetsApi.Error(status, word, message));
        await using var host = Start(api);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None));

        Assert.Equal(SheetsClient.Api, error.Api);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(word, error.Status);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        AssertNotRetried(api, error);
    }

    [Fact]
    public async Task Gives_up_after_max_retries_with_the_last_error()
    {
        using var api = new FakeSheetsApi();
        for (var i = 0; i < 4; i++)
        {
            api.Fail(FakeSheetsApi.BatchGet, FakeSheetsApi.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"));
        }
        await using var host = Start(api, null, ("MaxRetries", "2"));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("RESOURCE_EXHAUSTED", error.Status);
        Assert.True(SheetsClient.IsTransient(error));
        Assert.Equal(3, api.Calls.Count);
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_in_time_is_retried_then_reported_as_deadline_exceeded()
    {
        using var api = IdeasWithHangingAttempts(2);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var host = Start(api, time, ("Timeout", "00:00:05"), ("MaxRetries", "1"));

        var answer = await BatchGetPastTheFirstTimeoutAsync(api, host, time);
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => answer);

        Assert.Equal(504, error.StatusCode);
        Assert.Equal("DEADLINE_EXCEEDED", error.Status);
        Assert.Contains("no answer within 5 s", error.Message, StringComparison.Ordinal);
        Assert.True(SheetsClient.IsTransient(error));
        Assert.Equal(2, api.Calls.Count);
    }

    [Fact]
    public async Task A_timeout_followed_by_an_answer_succeeds()
    {
        using var api = IdeasWithHangingAttempts(1);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var host = Start(api, time, ("Timeout", "00:00:05"));

        var answer = await BatchGetPastTheFirstTimeoutAsync(api, host, time);

        Assert.Equal("Topic", (await answer).ValueRanges[0].Values![0][0].GetString());
    }

    [Theory]
    [InlineData("<html><body>Service temporarily unavailable</body></html>", "")]
    [InlineData("", "")]
    [InlineData("null", "")]
    [InlineData("{}", "spreadsheetId")]
    [InlineData("""{"spreadsheetId":"x"}""", "valueRanges")]
    [InlineData("""{"spreadsheetId":"x","valueRanges":null}""", "valueRanges")]
    [InlineData("""{"spreadsheetId":"x","valueRanges":[]}""", "asked for 1 ranges, got 0")]
    [InlineData("""{"spreadsheetId":"x","valueRanges":[{"values":[[{"userEnteredValue":1}]]}]}""", "is Object, not a value")]
    [InlineData("""{"spreadsheetId":"x","valueRanges":[{"values":"A1"}]}""", "")]
    public async Task A_malformed_answer_is_a_google_api_exception_and_is_not_retried(string body, string detail)
    {
        using var api = new FakeSheetsApi();
        api.Fail(FakeSheetsApi.BatchGet, new FakeFault(200, body));
        await using var host = Start(api);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None));

        Assert.Equal(SheetsClient.MalformedResponse, error.Status);
        Assert.StartsWith("Google Sheets answered 200 MALFORMED_RESPONSE: malformed answer to values:batchGet: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        AssertNotRetried(api, error);
    }

    [Fact]
    public async Task An_error_without_googles_json_keeps_the_text_it_came_with()
    {
        using var api = new FakeSheetsApi();
        api.Fail(FakeSheetsApi.BatchGet, new FakeFault(400, "<html><title>Bad request from proxy</title></html>"));
        await using var host = Start(api);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None));

        Assert.Equal(400, error.StatusCode);
        Assert.Null(error.Status);
        Assert.Contains("<title>Bad request from proxy</title>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_connection_is_retried_then_reported_as_unavailable()
    {
        using var api = new FakeSheetsApi();
        using var refused = new RefusedPort();
        var values = new[] { ("BaseAddress", refused.Url), ("MaxRetries", "1") };
        await using var host = Start(api, null, values);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => host.Client.BatchGetAsync(Id, ["'Ideas'"], CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("UNAVAILABLE", error.Status);
        Assert.Contains("could not reach", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appending_columns_is_repeated_after_a_429_but_not_after_an_unknown_outcome()
    {
        using var api = new FakeSheetsApi();
        var tab = api.AddTab("Ideas", ["Topic"]);
        api.Fail(FakeSheetsApi.AppendDimension, FakeSheetsApi.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"));
        await using var host = Start(api);

        await host.Client.AppendColumnsAsync(Id, 0, 3, CancellationToken.None);
        api.Fail(FakeSheetsApi.AppendDimension, FakeSheetsApi.Error(500, "INTERNAL", "Internal error encountered."));
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => host.Client.AppendColumnsAsync(Id, 0, 3, CancellationToken.None));

        // A 500 may come after the columns were added; appending again would add them twice.
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(new[] { 429, 200, 500 }, api.Calls.Select(c => c.Status));
        Assert.Equal(29, tab.ColumnCount);
    }

    [Fact]
    public async Task Tab_properties_are_read_with_a_field_mask_and_a_missing_sheet_id_means_zero()
    {
        using var api = new FakeSheetsApi();
        api.AddTab("Ideas", ["Topic"]);
        api.AddTab("Archive", ["Topic"]);
        await using var host = Start(api);

        var spreadsheet = await host.Client.GetSheetPropertiesAsync(Id, CancellationToken.None);

        Assert.Equal(
            "?fields=sheets.properties%28sheetId%2Ctitle%2CgridProperties%28rowCount%2CcolumnCount%29%29",
            Assert.Single(api.Server.LogEntries).RequestMessage.RawQuery);
        Assert.Equal(new[] { ("Ideas", 0, 26), ("Archive", 1001, 26) }, spreadsheet.Sheets.Select(s => (s.Properties.Title, s.Properties.SheetId, s.Properties.GridProperties!.ColumnCount)));
    }
}

/// <summary>A fake clock that also tells when a timer of a given length has been started on it (a retry's wait, say).</summary>
internal sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> dueTimes = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        var real = Stopwatch.StartNew();
        while (!dueTimes.Contains(dueTime))
        {
            Assert.True(real.Elapsed < TimeSpan.FromSeconds(10), $"no {dueTime} timer was started");
            await Task.Delay(5);
        }
    }
}
