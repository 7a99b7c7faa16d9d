using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;

namespace ViralForge.Cli;

/// <summary>
/// The questions `vf run --review` asks on the console: who is deciding (once), what to do with a finished video
/// (approve, reject with a reason, or regenerate a stage with feedback), and whether a script waiting for a check may go on.
/// </summary>
/// <remarks>Every answer is read through a line reader, so a test can answer for the person.</remarks>
public static class TerminalReview
{
    /// <summary>Reads one line of the person's answer; null when the console closed.</summary>
    public delegate Task<string?> LineReader(CancellationToken cancellationToken);

    /// <summary>
    /// The reviewer's name: ViralForge:Review:ReviewerName when set, else git's user.name, else asked once. Never the
    /// operating system's account, which on a server or in a container is root and names nobody.
    /// </summary>
    public static async Task<string> ReviewerAsync(string? configured, Func<CancellationToken, Task<string?>> gitUserName, IAnsiConsole console,
        LineReader readLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gitUserName);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(readLine);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }
        if (await gitUserName(cancellationToken) is { } git && !string.IsNullOrWhiteSpace(git))
        {
            return git.Trim();
        }
        while (true)
        {
            console.Markup("  [bold]Your name[/] (recorded with your decisions; set ViralForge__Review__ReviewerName to skip this): ");
            var answer = await readLine(cancellationToken) ?? throw new OperationCanceledException("The console closed before a name was given.");
            if (!string.IsNullOrWhiteSpace(answer))
            {
                return answer.Trim();
            }
        }
    }

    /// <summary>git config user.name, or null when git is missing, has no name set, or does not answer within 5 s.</summary>
    public static Task<string?> GitUserNameAsync(CancellationToken cancellationToken) => GitUserNameAsync(null, cancellationToken);

    /// <summary>git config user.name as git sees it in <paramref name="workingDirectory"/> (null: the current folder).</summary>
    public static async Task<string?> GitUserNameAsync(string? workingDirectory, CancellationToken cancellationToken)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["config", "user.name"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? "",
            });
            if (git is null)
            {
                return null;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var output = await git.StandardOutput.ReadToEndAsync(timeout.Token);
            await git.WaitForExitAsync(timeout.Token);
            return git.ExitCode == 0 && output.Trim() is { Length: > 0 } name ? name : null;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Asks approve, reject (with a reason) or regenerate (a stage, and what should change) until one is answered.</summary>
    public static async Task<ReviewDecision> DecisionAsync(IAnsiConsole console, LineReader readLine, string reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(readLine);
        async Task<string> Read() => (await readLine(cancellationToken) ?? throw new OperationCanceledException("The console closed before the review was answered.")).Trim();
        while (true)
        {
            console.Markup("  [bold]a[/]pprove, [bold]r[/]eject or re[bold]g[/]enerate? ");
            switch ((await Read()).ToLowerInvariant())
            {
                case "a" or "approve":
                    return new ReviewDecision(ReviewVerdict.Approve, reviewer);
                case "r" or "reject":
                    console.Markup("  reason: ");
                    var reason = await Read();
                    return new ReviewDecision(ReviewVerdict.Reject, reviewer, reason.Length == 0 ? "no reason given" : reason);
                case "g" or "regenerate":
                    var stage = await StageAsync(console, Read);
                    console.Markup("  what should change (e.g. \"Use a female voice, a bit slower\"; Enter for nothing): ");
                    var feedback = await Read();
                    return new ReviewDecision(ReviewVerdict.Regenerate, reviewer, null, stage, feedback.Length == 0 ? null : feedback);
            }
        }
    }

    /// <summary>The stage to regenerate from: script (the default), visuals or voice, asked until one of them is named.</summary>
    private static async Task<StageName> StageAsync(IAnsiConsole console, Func<Task<string>> read)
    {
        while (true)
        {
            console.Markup("  regenerate which stage: [bold]script[/], visuals or voice? ");
            var answer = (await read()).ToLowerInvariant();
            if (answer.Length == 0)
            {
                return ReviewDecisions.DefaultRegenerateStage;
            }
            if (StageOrder.TryParse(answer, out var stage) && stage is StageName.Script or StageName.Visuals or StageName.Voice)
            {
                return stage;
            }
            console.MarkupLine("  [yellow]Only script, visuals or voice can be regenerated.[/]");
        }
    }

    /// <summary>
    /// Shows a script waiting for a check and asks whether to go on with it as written; true to continue. Editing takes
    /// the review page (vf serve → /review), which this prompt points to.
    /// </summary>
    public static async Task<bool> ScriptAsync(IAnsiConsole console, LineReader readLine, Job job, VideoScript script, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(readLine);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(script);
        console.WriteLine();
        console.MarkupLineInterpolated($"[bold]Script check:[/] {job.Request.Topic}");
        console.MarkupLineInterpolated($"  title: {script.Title}");
        console.MarkupLineInterpolated($"  hook: {script.Hook}");
        for (var i = 0; i < script.Beats.Count; i++)
        {
            console.MarkupLineInterpolated($"  {i + 1}. {script.Beats[i].Narration} [grey][[{script.Beats[i].CardText}]][/]");
        }
        console.MarkupLineInterpolated($"  call to action: {script.CallToAction}");
        while (true)
        {
            console.Markup("  [bold]c[/]ontinue with this script, or [bold]e[/]dit it on the review page ([blue]vf serve[/], then /review)? ");
            var answer = (await readLine(cancellationToken))?.Trim().ToLowerInvariant()
                ?? throw new OperationCanceledException("The console closed before the script check was answered.");
            if (answer is "c" or "continue")
            {
                return true;
            }
            if (answer is "e" or "edit")
            {
                return false;
            }
        }
    }
}
