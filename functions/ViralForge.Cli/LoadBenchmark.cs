using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Spectre.Console;
using ViralForge.Core.Jobs;
using ViralForge.Core.Sheets;

namespace ViralForge.Cli;

/// <summary>What `vf bench load` was asked for.</summary>
/// <param name="Sheet">A CSV sheet to run instead of a generated one (copied first, so the given file is never written).</param>
/// <param name="Plain">A generated sheet without hostile cells and without invalid rows.</param>
/// <param name="Timeout">For the whole command; then it prints what is stuck and exits 1.</param>
public sealed record LoadBenchArguments(int Rows, int Seconds, string? Sheet, bool Plain, TimeSpan Timeout);

/// <summary>
/// `vf bench load`: a sheet of rows through the whole local pipeline (every stage, the local queue, ffmpeg renders,
/// auto-approve, publish) in a fresh scratch database and work folder, as `vf run` does it. Prints each row as it
/// ends, then rows per hour, p50/p95 time per row (submitted to published, from the database's timestamps), wall
/// time, peak memory (this process, the ffmpeg children, the machine), the queue's retried tasks, jobs left
/// non-terminal, and failed and invalid rows. The figures come from <see cref="LoadReport"/>, built from the records.
/// </summary>
public static class LoadBenchmark
{
    public const string ScratchDatabase = "viralforge_bench_load";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SummaryEvery = TimeSpan.FromSeconds(30);
    private static readonly string[] TerminalStatuses = [.. JobStatus.Terminal];

    /// <param name="database">A database to run in; null makes the scratch one next to VF_DATABASE_URL's (dropped first).</param>
    /// <param name="settings">Settings over the bench's own (tests use them; vf passes none). ViralForge:WorkFolder is where the bench's folder goes.</param>
    /// <param name="reported">Given the report before the command returns (tests read the figures from it).</param>
    public static async Task<int> RunAsync(LoadBenchArguments arguments, IAnsiConsole console, CancellationToken cancellationToken,
        string? database = null, IReadOnlyDictionary<string, string?>? settings = null, Action<LoadReport>? reported = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        if (Refuse(arguments) is { } refusal)
        {
            console.MarkupLineInterpolated($"[red]{refusal}[/]");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var workRoot = settings?.GetValueOrDefault("ViralForge:WorkFolder") ?? Environment.GetEnvironmentVariable("ViralForge__WorkFolder") ?? ".vf";
        var folder = Path.GetFullPath(Path.Combine(workRoot, "bench", "load"));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        var sheetPath = Path.Combine(folder, "sheet.csv");
        if (arguments.Sheet is { } given)
        {
            File.Copy(given, sheetPath);
        }
        else
        {
            await File.WriteAllTextAsync(sheetPath, LoadSheet.Generate(arguments.Rows, arguments.Seconds, arguments.Plain), cancellationToken);
        }

        database ??= await LocalRuntime.CreateScratchDatabaseAsync(ScratchDatabase, cancellationToken);
        var hostSettings = new Dictionary<string, string?>
        {
            [Adapters.Postgres.PostgresConnection.EnvironmentVariable] = database,
            ["ViralForge:Review:Mode"] = "auto",
        };
        LocalRuntime.CheckFfmpeg(settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            hostSettings[key] = value;
        }
        // Everything the run writes (blobs, scratch, published videos) stays in the bench's own folder.
        hostSettings["ViralForge:WorkFolder"] = folder;

        console.MarkupLineInterpolated($"Load: [blue]{arguments.Sheet ?? $"{arguments.Rows} generated rows of about {arguments.Seconds} s{(arguments.Plain ? "" : ", with hostile cells")}"}[/]");
        console.MarkupLineInterpolated($"Sheet [blue]{sheetPath}[/], work folder [blue]{folder}[/], load average at start {LoadAverage()}");
        await using var memory = ProcessTreeMemory.Start(TimeSpan.FromMilliseconds(200));
        await using var app = await LocalRuntime.StartAsync(hostSettings, null, cancellationToken);
        var services = app.Services;
        if (await LocalRuntime.SubmitSheetAsync(console, services, sheetPath, cancellationToken) is not { } rows)
        {
            return 2;
        }
        var valid = rows.Where(r => r.JobId is not null).ToList();
        console.MarkupLineInterpolated($"Submitted {valid.Count} valid rows of {rows.Count} at {clock.Elapsed.TotalSeconds:0.0} s; each row is printed as it ends.");

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var timedOut = await WatchAsync(console, dataSource, valid, clock, arguments.Timeout, cancellationToken);

        var jobs = await ReadJobsAsync(dataSource, valid, cancellationToken);
        var tasks = await ReadTasksAsync(dataSource, cancellationToken);
        var invalid = rows.Where(r => r.JobId is null).Select(r => new LoadInvalidRow(r.RowNumber, r.Topic, r.Error ?? "")).ToList();
        var report = LoadReport.Build(jobs, invalid, tasks, clock.Elapsed, memory.Peaks);
        if (timedOut)
        {
            console.MarkupLineInterpolated($"[red]Timed out after {arguments.Timeout.TotalMinutes:0.#} min with {report.NonTerminal.Count} jobs still moving.[/]");
        }
        if (report.NonTerminal.Count > 0)
        {
            await PrintStuckAsync(console, dataSource, report.NonTerminal, cancellationToken);
        }
        Print(console, report);
        console.WriteLine($"load average at the end: {LoadAverage()}");
        reported?.Invoke(report);
        return report.NonTerminal.Count == 0 && report.Failed.Count == 0 ? 0 : 1;
    }

    private static string? Refuse(LoadBenchArguments arguments)
    {
        if (arguments.Sheet is { } sheet)
        {
            return File.Exists(sheet) ? null : $"--sheet: there is no file at {Path.GetFullPath(sheet)}.";
        }
        if (arguments.Rows is < 1 or > 10_000)
        {
            return $"--rows must be from 1 to 10000, not {arguments.Rows}.";
        }
        if (arguments.Seconds is < RowValidator.MinDurationSeconds or > RowValidator.MaxDurationSeconds)
        {
            return $"--seconds must be from {RowValidator.MinDurationSeconds} to {RowValidator.MaxDurationSeconds} (a row's Duration), not {arguments.Seconds}.";
        }
        return arguments.Timeout <= TimeSpan.Zero ? $"--timeout must be more than 0 minutes, not {arguments.Timeout.TotalMinutes}." : null;
    }

    /// <summary>
    /// Prints each row as its job ends, and every 30 s where the rest stand (kept under 80 columns, the width Spectre
    /// wraps at when the output is not a terminal); true when the timeout came first.
    /// </summary>
    private static async Task<bool> WatchAsync(IAnsiConsole console, NpgsqlDataSource dataSource, List<IntakeRow> rows, Stopwatch clock,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout - clock.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        var byJob = rows.ToDictionary(r => r.JobId!.Value);
        var ended = new HashSet<Guid>();
        var nextSummary = clock.Elapsed + SummaryEvery;
        while (true)
        {
            await using var command = dataSource.CreateCommand("SELECT id, status, stage, error FROM jobs WHERE id = ANY(@ids)");
            command.Parameters.AddWithValue("ids", byJob.Keys.ToArray());
            var moving = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var (id, status) = (reader.GetGuid(0), reader.GetString(1));
                    if (!JobStatus.IsTerminal(status))
                    {
                        moving.Add(status);
                    }
                    else if (ended.Add(id))
                    {
                        var row = byJob[id];
                        var error = reader.IsDBNull(3) ? "" : $": {reader.GetString(3)}";
                        var color = status == JobStatus.Published ? "green" : "red";
                        console.MarkupLineInterpolated($"[grey]{clock.Elapsed.TotalSeconds,7:0.0} s[/]  row {row.RowNumber} [{color}]{status}[/]{error}  [grey]({ended.Count} of {rows.Count}) {Shorten(row.Topic, 32)}[/]");
                    }
                }
            }
            if (ended.Count == rows.Count)
            {
                return false;
            }
            if (clock.Elapsed >= nextSummary)
            {
                nextSummary += SummaryEvery;
                var where = string.Join(", ", moving.GroupBy(s => s, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
                console.MarkupLineInterpolated($"[grey]{clock.Elapsed.TotalSeconds,7:0.0} s  {ended.Count} of {rows.Count} ended; moving: {where}; load {LoadAverage().Split(' ')[0]}[/]");
            }
            try
            {
                await Task.Delay(Poll, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Each valid row's job as it stands, with the moment it ended: the publish stage's completion (which sets
    /// Status=published in the same transaction) or the event a failure, rejection or cancellation appends, else its
    /// last update once terminal (a terminal job is never updated again).
    /// </summary>
    private static async Task<List<LoadJob>> ReadJobsAsync(NpgsqlDataSource dataSource, List<IntakeRow> rows, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT j.id, j.status, j.stage, j.error, j.created_at,
                   COALESCE((SELECT min(e.at) FROM job_events e WHERE e.job_id = j.id
                                AND (e.kind = ANY(@terminal) OR (e.kind = 'completed' AND e.stage = 'publish'))),
                            CASE WHEN j.status = ANY(@terminal) THEN j.updated_at END)
            FROM jobs j WHERE j.id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", rows.Select(r => r.JobId!.Value).ToArray());
        command.Parameters.AddWithValue("terminal", TerminalStatuses);
        var byJob = rows.ToDictionary(r => r.JobId!.Value);
        var jobs = new List<LoadJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = byJob[reader.GetGuid(0)];
            jobs.Add(new LoadJob(row.RowNumber, row.Topic, row.JobId!.Value, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return [.. jobs.OrderBy(j => j.RowNumber)];
    }

    /// <summary>Every task of the local queue: the database is the bench's own, so all of them are this run's.</summary>
    private static async Task<List<LoadTask>> ReadTasksAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT queue, name, state, dispatch_count, last_error FROM tasks ORDER BY id");
        var tasks = new List<LoadTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(new LoadTask(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return tasks;
    }

    /// <summary>What a job that did not end was doing: its last event, and every task of the queue still waiting or running.</summary>
    private static async Task PrintStuckAsync(IAnsiConsole console, NpgsqlDataSource dataSource, IReadOnlyList<LoadJob> stuck, CancellationToken cancellationToken)
    {
        console.MarkupLine("[red]Jobs left non-terminal:[/]");
        foreach (var job in stuck)
        {
            await using var last = dataSource.CreateCommand("SELECT at, kind, stage, message FROM job_events WHERE job_id = @job ORDER BY id DESC LIMIT 1");
            last.Parameters.AddWithValue("job", job.JobId);
            await using var reader = await last.ExecuteReaderAsync(cancellationToken);
            var lastEvent = await reader.ReadAsync(cancellationToken)
                ? $"last event {reader.GetString(1)} {(reader.IsDBNull(2) ? "" : reader.GetString(2))} at {reader.GetFieldValue<DateTimeOffset>(0):HH:mm:ss}: {reader.GetString(3)}"
                : "no events";
            console.WriteLine($"  row {job.RowNumber} job {job.JobId}: status {job.Status}, stage {job.Stage ?? "-"}; {lastEvent}");
        }
        await using var live = dataSource.CreateCommand("""
            SELECT queue, state, dispatch_count, schedule_time, lease_until, last_status, last_error, convert_from(body, 'UTF8')
            FROM tasks WHERE state IN ('pending', 'leased') ORDER BY schedule_time
            """);
        await using var tasks = await live.ExecuteReaderAsync(cancellationToken);
        var any = false;
        while (await tasks.ReadAsync(cancellationToken))
        {
            any = true;
            console.WriteLine($"  task {tasks.GetString(0)} {tasks.GetString(1)}, dispatched {tasks.GetInt32(2)}x, due {tasks.GetFieldValue<DateTimeOffset>(3):HH:mm:ss}"
                + (tasks.IsDBNull(4) ? "" : $", lease until {tasks.GetFieldValue<DateTimeOffset>(4):HH:mm:ss}")
                + (tasks.IsDBNull(5) ? "" : $", last status {tasks.GetInt32(5)}")
                + (tasks.IsDBNull(6) ? "" : $", last error: {tasks.GetString(6)}")
                + $"; body {tasks.GetString(7)}");
        }
        if (!any)
        {
            console.WriteLine("  no task of the queue is waiting or running for them: nothing will move them.");
        }
    }

    public static void Print(IAnsiConsole console, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        console.Write(new Rule("load"));
        console.WriteLine($"rows: {report.SheetRows} in the sheet, {report.Jobs.Count} valid, {report.Invalid.Count} invalid");
        console.WriteLine($"published: {report.Published.Count} of {report.Jobs.Count} valid rows");
        console.WriteLine($"failed: {report.Failed.Count}; rejected or cancelled: {report.OtherEnded.Count}");
        console.WriteLine($"non-terminal at the end: {report.NonTerminal.Count}");
        console.WriteLine(report.RowsPerHour is { } perHour
            ? $"rows per hour: {perHour:0.0} ({report.Published.Count} published in {report.Span!.Value.TotalMinutes:0.0} min, first submitted to last ended)"
            : "rows per hour: n/a (nothing published)");
        console.WriteLine($"time per row p50: {Seconds(report.P50)} (submitted to published)");
        console.WriteLine($"time per row p95: {Seconds(report.P95)}");
        console.WriteLine($"wall time: {report.Wall.TotalSeconds:0.0} s (the whole command)");
        var memory = report.Memory;
        console.WriteLine($"peak memory, vf process: {Megabytes(memory.Process)} working set");
        console.WriteLine($"peak memory, child processes (ffmpeg): {Megabytes(memory.Children)} summed RSS in one 200 ms sample");
        console.WriteLine($"peak memory, machine: {Megabytes(memory.MachineUsed)} used of {Megabytes(memory.MachineTotal)} (MemTotal - MemAvailable)");
        console.WriteLine($"attempts retried: {report.RetriedTasks} tasks dispatched more than once, {report.Retries.Sum(r => r.ExtraDispatches)} extra dispatches");
        foreach (var queue in report.Retries)
        {
            console.WriteLine($"  {queue.Queue}: {queue.Tasks} tasks, {queue.ExtraDispatches} extra dispatches; last errors: {(queue.LastErrors.Count == 0 ? "none recorded" : string.Join(" | ", queue.LastErrors))}");
        }
        console.WriteLine($"invalid rows: {report.Invalid.Count}");
        foreach (var row in report.Invalid)
        {
            console.WriteLine($"  row {row.RowNumber}: {row.Error}");
        }
        console.WriteLine($"failed rows: {report.Failed.Count}");
        foreach (var job in report.Failed.Concat(report.OtherEnded))
        {
            console.WriteLine($"  row {job.RowNumber} {job.Status}: {job.Error}");
        }
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? $"{t.TotalSeconds:0.0} s" : "n/a";

    private static string Megabytes(long bytes) => bytes == 0 ? "n/a" : $"{bytes / 1024.0 / 1024.0:0} MB";

    /// <summary>The machine's 1, 5 and 15 minute load averages: the machine is shared, so figures are read against them.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
