using System.Diagnostics;
using Microsoft.Extensions.Options;
using Spectre.Console;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Cli;

/// <summary>
/// `vf run` and `vf demo`: submits a CSV sheet's rows, shows every row's stage live while the local
/// queue moves them through the pipeline, asks for reviews when --review is on, and prints where each
/// video ended up. Interrupted and run again, it picks up where the jobs stand.
/// </summary>
public static class SheetRun
{
    public static async Task<int> RunAsync(string sheetPath, bool review, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // What a person can fix is checked before the host starts, each with one line (CliErrors): the sheet, the database URL, ffmpeg.
        sheetPath = LocalRuntime.CheckSheet(sheetPath);
        var databaseUrl = LocalRuntime.DatabaseUrl();
        LocalRuntime.CheckFfmpeg();
        var clock = Stopwatch.StartNew();
        var settings = new Dictionary<string, string?>
        {
            ["ViralForge:Review:Mode"] = review ? "terminal" : "auto",
            [Adapters.Postgres.PostgresConnection.EnvironmentVariable] = databaseUrl,
        };
        await using var app = await LocalRuntime.StartAsync(settings, null, cancellationToken);
        var services = app.Services;
        if (await LocalRuntime.SubmitSheetAsync(console, services, sheetPath, cancellationToken) is not { } rows)
        {
            return 2;
        }

        // A Languages row's further languages are jobs of their own to watch (and review), under the same row number.
        var jobs = rows.Where(r => r.JobId is not null)
            .SelectMany(r => (IEnumerable<IntakeRow>)[r, .. (r.LanguageJobIds ?? []).Select(id => r with { JobId = id, LanguageJobIds = null })])
            .ToList();
        if (jobs.Count == 0)
        {
            console.MarkupLine("[yellow]No valid rows to make videos from.[/]");
            return 1;
        }
        console.MarkupLineInterpolated($"Submitted {rows.Count(r => r.JobId is not null)} rows as {jobs.Count} videos ({jobs.Count(r => r.Created)} new) from [blue]{sheetPath}[/]");

        var store = services.GetRequiredService<IJobStore>();
        var decisions = services.GetRequiredService<ReviewDecisions>();
        var asked = new HashSet<(Guid, int)>();
        // Apart from the reviews asked: a generation's script check and its video review are two questions.
        var scriptsAsked = new HashSet<(Guid, int)>();
        string? reviewer = null;
        while (true)
        {
            var awaiting = await WatchAsync(console, store, services.GetRequiredService<SheetStatusWriter>(), jobs, review, asked, scriptsAsked, clock, cancellationToken);
            if (awaiting is null)
            {
                break;
            }
            (awaiting.Status == JobStatus.ScriptReview ? scriptsAsked : asked).Add((awaiting.Id, awaiting.Generation));
            reviewer ??= await TerminalReview.ReviewerAsync(services.GetRequiredService<IOptions<Core.ViralForgeOptions>>().Value.Review.ReviewerName,
                TerminalReview.GitUserNameAsync, console, ReadLineAsync, cancellationToken);
            var said = awaiting.Status == JobStatus.ScriptReview
                ? await CheckScriptAsync(console, services, awaiting, reviewer, cancellationToken)
                : await decisions.ApplyAsync(awaiting.Id, await AskAsync(console, services, awaiting, reviewer, cancellationToken), cancellationToken);
            console.MarkupLineInterpolated($"Row {jobs.First(r => r.JobId == awaiting.Id).RowNumber}: {said}");
        }

        var writer = services.GetRequiredService<SheetStatusWriter>();
        var final = new List<Job>();
        foreach (var row in jobs)
        {
            await writer.SyncAsync(row.JobId!.Value, cancellationToken);
            final.Add((await store.GetAsync(row.JobId.Value, cancellationToken))!);
        }
        await PrintSummaryAsync(console, services, jobs, final, cancellationToken);
        foreach (var (row, job) in jobs.Zip(final).Where(p => p.Second.Status == JobStatus.ScriptReview))
        {
            console.MarkupLineInterpolated($"[yellow]Row {row.RowNumber} waits for a script check:[/] run [blue]vf run --review[/] to continue it, or [blue]vf serve[/] and open /review to edit it.");
        }
        console.MarkupLineInterpolated($"Done in {clock.Elapsed.TotalSeconds:0.0} s. The sheet [blue]{sheetPath}[/] has each row's status.");
        return final.Any(j => j.Status == JobStatus.Failed) ? 1 : 0;
    }

    /// <summary>
    /// Shows the rows live until every job ended, or until one waits for a review the console should ask about. The Stage
    /// column is the sheet's Stage cell, so a long stage shows its percent done ("render 45%").
    /// </summary>
    private static async Task<Job?> WatchAsync(IAnsiConsole console, IJobStore store, SheetStatusWriter sheet, List<IntakeRow> rows, bool review,
        HashSet<(Guid, int)> asked, HashSet<(Guid, int)> scriptsAsked, Stopwatch clock, CancellationToken cancellationToken)
    {
        Job? awaiting = null;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Row", "Topic", "Status", "Stage", "Elapsed");
        var lastSeen = new Dictionary<Guid, string>();
        async Task WatchLoopAsync(Action refresh)
        {
            while (true)
            {
                var jobs = new List<Job>();
                foreach (var row in rows)
                {
                    jobs.Add((await store.GetAsync(row.JobId!.Value, cancellationToken))!);
                }
                table.Rows.Clear();
                foreach (var (row, job) in rows.Zip(jobs))
                {
                    var number = row.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var status = JobStatus.AsOf(job, sheet.Now);
                    var stage = await sheet.StageCellAsync(job, cancellationToken);
                    table.AddRow(number, Markup.Escape(Shorten(row.Topic, 40)), StatusMarkup(status), Markup.Escape(stage), $"{clock.Elapsed.TotalSeconds:0}s");
                    // A percent moves the line too: the store takes one every 2 s at most, so a render prints a handful.
                    var shown = stage.Contains('%', StringComparison.Ordinal) ? stage : status;
                    if (!console.Profile.Capabilities.Interactive && (!lastSeen.TryGetValue(job.Id, out var seen) || seen != shown))
                    {
                        // Not a terminal (CI, a pipe): one line per change instead of a redrawn table.
                        console.MarkupLine($"[grey]{clock.Elapsed.TotalSeconds,5:0.0}s[/] row {number}: {(shown == status ? StatusMarkup(status) : Markup.Escape(shown))}");
                    }
                    lastSeen[job.Id] = shown;
                }
                refresh();
                // A script waiting for a check holds its job until someone continues it: asked about (or left for the review
                // page) it no longer keeps this command waiting.
                if (jobs.All(j => j.IsTerminal || (j.Status == JobStatus.ScriptReview && (!review || scriptsAsked.Contains((j.Id, j.Generation))))))
                {
                    return;
                }
                if (review)
                {
                    if (jobs.FirstOrDefault(j => j.Status == JobStatus.ScriptReview && !scriptsAsked.Contains((j.Id, j.Generation))) is { } script)
                    {
                        awaiting = script;
                        return;
                    }
                    foreach (var job in jobs.Where(j => j.Status == JobStatus.ForStage(StageName.Review) && !asked.Contains((j.Id, j.Generation))))
                    {
                        if (await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken))
                        {
                            awaiting = job;
                            return;
                        }
                    }
                }
                await Task.Delay(250, cancellationToken);
            }
        }

        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(table).AutoClear(false).StartAsync(live => WatchLoopAsync(live.Refresh));
        }
        else
        {
            await WatchLoopAsync(() => { });
        }
        return awaiting;
    }

    private static async Task<ReviewDecision> AskAsync(IAnsiConsole console, IServiceProvider services, Job job, string reviewer, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IJobStore>();
        var blobs = services.GetRequiredService<IBlobStore>();
        var render = await store.GetLatestCompletedAsync(job.Id, StageName.Render, job.Generation, cancellationToken);
        var video = StageJson.FromElement<RenderOutput>(render!.Output!.Value);
        var url = await blobs.GetReadUrlAsync(video.VideoBlobKey, TimeSpan.FromDays(1), cancellationToken);
        console.WriteLine();
        console.MarkupLineInterpolated($"[bold]Review:[/] {job.Request.Topic}");
        console.MarkupLineInterpolated($"  video: [blue]{(url.IsFile ? url.LocalPath : url.ToString())}[/] ({video.DurationSeconds:0.0} s)");
        return await TerminalReview.DecisionAsync(console, ReadLineAsync, reviewer, cancellationToken);
    }

    /// <summary>Shows a script waiting for a check; continues it as written when the person says so, or leaves it for the review page.</summary>
    private static async Task<string> CheckScriptAsync(IAnsiConsole console, IServiceProvider services, Job job, string reviewer, CancellationToken cancellationToken)
    {
        var scripts = services.GetRequiredService<ScriptReviews>();
        if (await scripts.GetWaitingAsync(job.Id, cancellationToken) is not { } waiting)
        {
            return "the script is no longer waiting for a check";
        }
        if (!await TerminalReview.ScriptAsync(console, ReadLineAsync, job, waiting.Script, cancellationToken))
        {
            return "the script waits for a check: run vf serve and open /review to edit and continue it";
        }
        var result = await scripts.ContinueAsync(job.Id, job.Generation, ScriptEdit.From(waiting.Script), reviewer, cancellationToken);
        return result.Message;
    }

    private static Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        Task.Run(Console.ReadLine, cancellationToken).WaitAsync(cancellationToken);

    /// <summary>
    /// The table of rows (short cells only: a path in a table cell wrapped over five lines), then each row's video and each
    /// error on a line of its own, "row 2: /abs/path/video.mp4", written past Spectre's wrapping so a long path stays one
    /// line that a terminal can click and a script can cut.
    /// </summary>
    private static async Task PrintSummaryAsync(IAnsiConsole console, IServiceProvider services, List<IntakeRow> rows, List<Job> jobs, CancellationToken cancellationToken)
    {
        var writer = services.GetRequiredService<SheetStatusWriter>();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Row", "Topic", "Status", "Stage");
        var lines = new List<string>();
        foreach (var (row, job) in rows.Zip(jobs))
        {
            var outputs = await writer.OutputsForAsync(job, cancellationToken);
            var number = row.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var status = outputs[SheetContract.Status] ?? job.Status;
            table.AddRow(number, Markup.Escape(Shorten(row.Topic, 40)), StatusMarkup(status), Markup.Escape(outputs[SheetContract.Stage] ?? ""));
            lines.AddRange(SummaryLines(number, outputs));
        }
        console.Write(table);
        var output = console.Profile.Out.Writer;
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>The lines after the summary table for one row: its video, then its error, each on one line (newlines folded).</summary>
    internal static IEnumerable<string> SummaryLines(string rowNumber, IReadOnlyDictionary<string, string?> outputs)
    {
        if (outputs.GetValueOrDefault(SheetContract.Video) is { Length: > 0 } video)
        {
            yield return $"row {rowNumber}: {OneLine(video)}";
        }
        if (outputs.GetValueOrDefault(SheetContract.Error) is { Length: > 0 } error)
        {
            // The Error cell also carries notes ("note: ..."), which say so themselves; anything else is the row's error.
            yield return error.StartsWith("note: ", StringComparison.Ordinal) ? $"row {rowNumber}: {OneLine(error)}" : $"row {rowNumber}: error: {OneLine(error)}";
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string StatusMarkup(string status) => status switch
    {
        JobStatus.Published => "[green]published[/]",
        JobStatus.Scheduled => "[green]scheduled[/]",
        JobStatus.Failed => "[red]failed[/]",
        JobStatus.Rejected or JobStatus.Cancelled => $"[yellow]{status}[/]",
        _ => $"[blue]{Markup.Escape(status)}[/]",
    };

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
