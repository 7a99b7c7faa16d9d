using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using Xunit.Abstractions;
using static ViralForge.Adapters.Tests.Google.Sheets.SheetsTestHost;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>The write-back coalescer on a FakeTimeProvider: flushes, merging, the write quota, failures and shutdown.</summary>
public sealed class SheetWriteCoalescerTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly object?[] AllOutputs = [.. SheetContract.OutputColumns];

    // Attempts get minutes of simulated time: the clock only moves while no request is in flight, but a slow
    // machine should never turn a test's own scheduling into a timeout.
    private static readonly (string, string) LongTimeout = ("Timeout", "00:03:00");

    /// <summary>Moves the fake clock in small steps whenever no request is in flight, until the task is done.</summary>
    private static async Task<T> RunAsync<T>(FakeTimeProvider time, SheetsTestHost host, Task<T> task, double stepMilliseconds = 50)
    {
        var real = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            Assert.True(real.Elapsed < TimeSpan.FromSeconds(90), $"still running at simulated {time.GetUtcNow() - Start0}");
            if (host.RequestsInFlight == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(stepMilliseconds));
            }
            await Task.Delay(1);
        }
        return await task;
    }

    private static Task<bool> RunAsync(FakeTimeProvider time, SheetsTestHost host, Task task, double stepMilliseconds = 50) =>
        RunAsync(time, host, task.ContinueWith(_ => true, TaskScheduler.Default), stepMilliseconds);

    private static async Task<Exception?> FailureOf(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>The most calls that fall in any window of the given length.</summary>
    private static int MostInAnyWindow(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var most = 0;
        for (int start = 0, end = 0; start < sorted.Count; start++)
        {
            while (end < sorted.Count && sorted[end] < sorted[start] + window)
            {
                end++;
            }
            most = Math.Max(most, end - start);
        }
        return most;
    }

    private static object?[] JobRow(string topic, string jobId) => [topic, jobId];

    [Fact]
    public async Task Writes_of_many_callers_go_out_as_one_request_after_the_interval_and_the_latest_value_wins()
    {
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        api.AddTab("Ideas", ["Topic", .. AllOutputs], JobRow("A", "job-1"), JobRow("B", "job-2"), JobRow("C", "job-3"));
        await using var host = Start(api, time, LongTimeout);
        var sheet = host.Registry.Open(SheetId("Ideas"));

        var writes = new List<Task<SheetWriteResult>>
        {
            sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "script"))], CancellationToken.None),
            sheet.WriteAsync([Write(new RowLocator("job-2"), (SheetContract.Status, "script"))], CancellationToken.None),
            sheet.WriteAsync([Write(new RowLocator("job-3"), (SheetContract.Status, "script"))], CancellationToken.None),
            sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "voice"), (SheetContract.Stage, "voice"))], CancellationToken.None),
            sheet.WriteAsync([Write(new RowLocator("job-gone"), (SheetContract.Status, "voice"))], CancellationToken.None),
        };
        await Task.Delay(50);
        Assert.Empty(api.Calls);
        var results = await RunAsync(time, host, Task.WhenAll(writes));

        Assert.Equal(new[] { 1, 1, 1, 1, 0 }, results.Select(r => r.Written));
        Assert.Equal(new RowLocator("job-gone"), Assert.Single(results[4].NotFound));
        var update = Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate));
        Assert.True(update.At - Start0 >= TimeSpan.FromSeconds(2), $"flushed after {update.At - Start0}");
        Assert.Equal(
            new[] { ("'Ideas'!C2:D2", new[] { "voice", "voice" }, "RAW"), ("'Ideas'!C3", new[] { "script" }, "RAW"), ("'Ideas'!C4", new[] { "script" }, "RAW") },
            Written(api));
        var tab = api.Tab("Ideas");
        Assert.Equal(new[] { "voice/voice", "script/", "script/" }, Enumerable.Range(2, 3).Select(r => $"{tab.Text(r, SheetContract.Status)}/{tab.Text(r, SheetContract.Stage)}"));
    }

    [Fact]
    public async Task A_thousand_jobs_writing_their_status_three_times_stay_under_the_write_quota_and_every_row_ends_right()
    {
        const int jobs = 1000;
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        var rows = Enumerable.Range(1, jobs).Select(i => new object?[] { $"Idea {i}", "youtube", 30.0, $"notes {i}" }).ToArray();
        api.AddTab("Ideas", [["Topic", "Platform", "Duration", "Notes"], .. rows]);
        await using var host = Start(api, time, LongTimeout);
        var sheet = host.Registry.Open(SheetId("Ideas"));
        var real = Stopwatch.StartNew();

        // Intake: one call with a positional write per row (which also adds the output columns).
        var read = await sheet.ReadRowsAsync(CancellationToken.None);
        var ids = read.Select(_ => Guid.NewGuid()).ToArray();
        var intake = await RunAsync(time, host, sheet.WriteAsync(
            [.. read.Select((row, i) => Write(RowLocator.ByPosition(row.RowNumber, RowHasher.Hash(row)), (SheetContract.JobId, ids[i].ToString()), (SheetContract.Status, "queued")))],
            CancellationToken.None));
        Assert.Equal(jobs, intake.Written);

        // Each job then writes its whole state after each of three stages, as SheetStatusWriter does: jobs start
        // over a minute and their stages take 5 to 25 s, so writes keep coming for about two simulated minutes.
        string[] stages = ["trends", "script", "render"];
        var workers = ids.Select((id, i) => Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(i % 60), time);
            foreach (var stage in stages)
            {
                await Task.Delay(TimeSpan.FromSeconds(5 + (i % 11 * 2)), time);
                var result = await sheet.WriteAsync(
                    [Write(RowLocator.ByJobId(id), (SheetContract.JobId, id.ToString()), (SheetContract.Status, stage), (SheetContract.Stage, stage),
                        (SheetContract.Updated, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)), (SheetContract.Error, ""))],
                    CancellationToken.None);
                Assert.Equal(1, result.Written);
            }
        })).ToArray();
        await RunAsync(time, host, Task.WhenAll(workers), stepMilliseconds: 100);

        var writeCalls = api.Server.LogEntries.Count(e => e.RequestMessage.Path.EndsWith("/values:batchUpdate", StringComparison.Ordinal));
        var readCalls = api.Server.LogEntries.Count(e => e.RequestMessage.Path.EndsWith("/values:batchGet", StringComparison.Ordinal));
        var updates = api.CallsOf(FakeSheetsApi.BatchUpdate);
        var simulated = updates.Max(c => c.At) - Start0;
        var busiestMinute = MostInAnyWindow(updates.Select(c => c.At), TimeSpan.FromMinutes(1));
        output.WriteLine(
            $"{jobs} rows: {jobs} intake writes + {jobs * stages.Length} status writes -> {writeCalls} values:batchUpdate and {readCalls} values:batchGet calls "
            + $"({api.Calls.Count} requests in all) over {simulated.TotalSeconds:0.#} simulated s; busiest minute {busiestMinute} writes; real time {real.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(updates.Count, writeCalls);
        Assert.True(busiestMinute <= 60, $"{busiestMinute} writes in one minute");
        Assert.True(busiestMinute <= new GoogleSheetsOptions().MaxWritesPerMinute);
        // A request per flush interval at most, not one per write: about 2 simulated minutes / 2 s, plus intake.
        Assert.InRange(writeCalls, 2, 1 + (int)(simulated / new GoogleSheetsOptions().FlushInterval) + 1);
        var tab = api.Tab("Ideas");
        for (var i = 0; i < jobs; i++)
        {
            Assert.Equal(ids[i].ToString(), tab.Text(i + 2, SheetContract.JobId));
            Assert.Equal("render", tab.Text(i + 2, SheetContract.Status));
            Assert.Equal("render", tab.Text(i + 2, SheetContract.Stage));
            Assert.Equal($"Idea {i + 1}", tab.Text(i + 2, SheetContract.Topic));
            Assert.Equal($"notes {i + 1}", tab.Text(i + 2, SheetContract.Notes));
        }
    }

    [Fact]
    public async Task A_429_during_a_flush_loses_nothing_and_a_newer_value_still_wins()
    {
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        api.AddTab("Ideas", ["Topic", .. AllOutputs], JobRow("A", "job-1"), JobRow("B", "job-2"));
        api.Fail(FakeSheetsApi.BatchUpdate, FakeSheetsApi.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Write requests'"));
        // No HTTP-level retry here, so the 429 reaches the coalescer.
        await using var host = Start(api, time, LongTimeout, ("MaxRetries", "0"));
        var sheet = host.Registry.Open(SheetId("Ideas"));

        var first = sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "trends"))], CancellationToken.None);
        var second = sheet.WriteAsync([Write(new RowLocator("job-2"), (SheetContract.Status, "trends"), (SheetContract.Error, "e2"))], CancellationToken.None);
        var failure = await RunAsync(time, host, FailureOf(first));
        var newer = sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "script"))], CancellationToken.None);
        var result = await RunAsync(time, host, newer);

        // The callers of the refused flush hear about it at once; their writes stay queued.
        var error = Assert.IsType<IOException>(failure);
        var google = Assert.IsType<GoogleApiException>(error.InnerException);
        Assert.Equal(429, google.StatusCode);
        Assert.Contains("stays queued", error.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(await FailureOf(second));
        Assert.Equal(1, result.Written);
        var updates = api.CallsOf(FakeSheetsApi.BatchUpdate);
        Assert.Equal(new[] { 429, 200 }, updates.Select(c => c.Status));
        // Backed off: at least 0.75 x twice the interval after the refused flush.
        Assert.True(updates[1].At - updates[0].At >= TimeSpan.FromSeconds(3), $"retried after {updates[1].At - updates[0].At}");
        var tab = api.Tab("Ideas");
        Assert.Equal("script", tab.Text(2, SheetContract.Status));
        Assert.Equal("trends", tab.Text(3, SheetContract.Status));
        Assert.Equal("e2", tab.Text(3, SheetContract.Error));
    }

    [Fact]
    public async Task A_permanent_error_fails_the_callers_of_that_flush_and_later_writes_go_through()
    {
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        api.AddTab("Ideas", ["Topic", .. AllOutputs], JobRow("A", "job-1"), JobRow("B", "job-2"));
        api.Fail(FakeSheetsApi.BatchUpdate, FakeSheetsApi.Error(403, "PERMISSION_DENIED", "The caller does not have permission"));
        await using var host = Start(api, time, LongTimeout);
        var sheet = host.Registry.Open(SheetId("Ideas"));

        var refused = await RunAsync(time, host, FailureOf(sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "trends"))], CancellationToken.None)));
        var later = await RunAsync(time, host, sheet.WriteAsync([Write(new RowLocator("job-2"), (SheetContract.Status, "script"))], CancellationToken.None));

        var error = Assert.IsType<IOException>(refused);
        Assert.Equal(403, Assert.IsType<GoogleApiException>(error.InnerException).StatusCode);
        Assert.DoesNotContain("stays queued", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, later.Written);
        Assert.Equal(new[] { 403, 200 }, api.CallsOf(FakeSheetsApi.BatchUpdate).Select(c => c.Status));
        Assert.Equal("", api.Tab("Ideas").Text(2, SheetContract.Status));
        Assert.Equal("script", api.Tab("Ideas").Text(3, SheetContract.Status));
    }

    [Fact]
    public async Task Disposing_sends_queued_writes_at_once_and_then_refuses_new_ones()
    {
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        api.AddTab("Ideas", ["Topic", .. AllOutputs], JobRow("A", "job-1"));
        await using var host = Start(api, time, LongTimeout);
        var registry = Assert.IsType<GoogleSheetRegistry>(host.Registry);
        var sheet = registry.Open(SheetId("Ideas"));

        var pending = sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "published"))], CancellationToken.None);
        await registry.DisposeAsync();

        Assert.Equal(1, (await pending).Written);
        // The clock never moved: shutdown did not wait for the flush interval.
        Assert.Equal(Start0, Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate)).At);
        Assert.Equal("published", api.Tab("Ideas").Text(2, SheetContract.Status));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "x"))], CancellationToken.None));
        Assert.Throws<ObjectDisposedException>(() => registry.Open(SheetId("Ideas")));
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_take_its_write_back()
    {
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        api.AddTab("Ideas", ["Topic", .. AllOutputs], JobRow("A", "job-1"), JobRow("B", "job-2"));
        await using var host = Start(api, time, LongTimeout);
        var sheet = host.Registry.Open(SheetId("Ideas"));
        using var impatient = new CancellationTokenSource();

        var abandoned = sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Status, "render"))], impatient.Token);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await RunAsync(time, host, sheet.WriteAsync([Write(new RowLocator("job-2"), (SheetContract.Status, "render"))], CancellationToken.None));

        Assert.Single(api.CallsOf(FakeSheetsApi.BatchUpdate));
        Assert.Equal("render", api.Tab("Ideas").Text(2, SheetContract.Status));
    }

    [Fact]
    public async Task Flushes_of_all_tabs_together_stay_under_max_writes_per_minute()
    {
        using var api = new FakeSheetsApi();
        var time = new FakeTimeProvider(Start0);
        api.Clock = time;
        string[] tabs = ["One", "Two", "Three"];
        foreach (var title in tabs)
        {
            api.AddTab(title, ["Topic", .. AllOutputs], JobRow("A", "job-1"));
        }
        // A short interval, so that only the limiter keeps the rate down.
        await using var host = Start(api, time, LongTimeout, ("FlushInterval", "00:00:00.100"), ("MaxWritesPerMinute", "10"));
        var end = Start0 + TimeSpan.FromMinutes(2);

        var writers = tabs.Select(title => Task.Run(async () =>
        {
            var sheet = host.Registry.Open(SheetId(title));
            for (var n = 0; time.GetUtcNow() < end; n++)
            {
                await sheet.WriteAsync([Write(new RowLocator("job-1"), (SheetContract.Cost, n.ToString(CultureInfo.InvariantCulture)))], CancellationToken.None);
            }
        }));
        await RunAsync(time, host, Task.WhenAll(writers), stepMilliseconds: 25);

        var updates = api.CallsOf(FakeSheetsApi.BatchUpdate);
        // The simulator stamps a write with the clock when it arrives, and the clock moves in steps while continuations
        // run on a busy machine, so a write can be stamped a few steps after the limiter let it go, and the next one on
        // time. Counting over 59 s absorbs up to a second of that; a limiter letting 11 a minute through (5.5 s apart)
        // would still put 11 into 59 s.
        var busiest = MostInAnyWindow(updates.Select(c => c.At), TimeSpan.FromSeconds(59));
        output.WriteLine($"{updates.Count} writes over {(updates.Max(c => c.At) - Start0).TotalSeconds:0} simulated s, at most {busiest} in any minute");
        Assert.True(busiest <= 10, $"{busiest} writes in one minute");
        Assert.True(updates.Count >= 19, $"only {updates.Count} writes: the limiter should let 10 a minute through");
        Assert.All(updates, u => Assert.Equal(200, u.Status));
    }
}
