using System.Globalization;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>The parts of a script a person may edit before it is rendered: what is said and shown, not the metadata the writer fitted.</summary>
public sealed record ScriptEdit(string Title, string Hook, IReadOnlyList<ScriptBeat> Beats, string CallToAction)
{
    /// <summary>The script as it stands, as an edit form shows it.</summary>
    public static ScriptEdit From(VideoScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return new ScriptEdit(script.Title, script.Hook, script.Beats, script.CallToAction);
    }
}

/// <summary>A job whose script waits for a person, with the script as the writer (or an earlier edit) left it.</summary>
public sealed record ScriptReviewItem(Job Job, VideoScript Script);

/// <summary>What became of a Continue.</summary>
public enum ScriptReviewOutcome
{
    /// <summary>This edit is the script now; visuals are queued.</summary>
    Continued,

    /// <summary>Someone continued first: their text stands and visuals were queued (again, which is a no-op).</summary>
    AlreadyContinued,

    /// <summary>The job is not waiting for a script check (ended, a newer version, or its row did not ask for one).</summary>
    NotWaiting,

    /// <summary>The edit breaks a rule; <see cref="ScriptReviewResult.Problems"/> says which, and nothing was saved.</summary>
    Invalid,
}

/// <summary>The outcome, a sentence to show the person, and what is wrong with an invalid edit.</summary>
public sealed record ScriptReviewResult(ScriptReviewOutcome Outcome, string Message, IReadOnlyList<string> Problems);

/// <summary>
/// The Review Script gate: lists the jobs whose script waits for a person, and continues one with the (edited) text.
/// The script run waits like the review stage does (awaiting_approval, job status script-review); Continue completes it
/// with the edited script as its output, once (a conditional update), so every later stage, a redelivery and a later
/// Regenerate of visuals or voice read the edit, and then queues visuals under the stage's task name, so two saves or a
/// redelivered Continue queue it once.
/// </summary>
public sealed class ScriptReviews(IJobStore store, StageTasks tasks, SheetStatusWriter sheet)
{
    /// <summary>A card shows a few words over the visual; more would not be read in a beat.</summary>
    public const int MaxCardWords = 6;

    /// <summary>The longest title, hook, narration or call to action kept; a longer one is refused rather than cut.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>The most beats an edit may have (the writer makes far fewer).</summary>
    public const int MaxBeats = 30;

    /// <summary>Jobs whose current generation's script waits for a person, least recently changed first.</summary>
    public async Task<IReadOnlyList<ScriptReviewItem>> ListWaitingAsync(CancellationToken cancellationToken)
    {
        var items = new List<ScriptReviewItem>();
        foreach (var job in await store.ListAtStageAsync(StageName.Script, cancellationToken))
        {
            if (job.Status == JobStatus.ScriptReview && await WaitingScriptAsync(job, cancellationToken) is { } script)
            {
                items.Add(new ScriptReviewItem(job, script));
            }
        }
        return items;
    }

    /// <summary>The job and its waiting script, or null when the job does not exist or is not waiting for a script check.</summary>
    public async Task<ScriptReviewItem?> GetWaitingAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken);
        return job is not null && await WaitingScriptAsync(job, cancellationToken) is { } script ? new ScriptReviewItem(job, script) : null;
    }

    /// <summary>Every rule the edit breaks, one sentence each, naming the beat; empty when it may be saved.</summary>
    public static IReadOnlyList<string> Validate(ScriptEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var problems = new List<string>();
        void Text(string name, string? value, bool required)
        {
            if (required && string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"The {name} is empty.");
            }
            else if (value?.Length > MaxTextLength)
            {
                problems.Add($"The {name} is longer than {MaxTextLength} characters.");
            }
        }
        Text("title", edit.Title, required: true);
        Text("hook", edit.Hook, required: true);
        Text("call to action", edit.CallToAction, required: false);
        if (edit.Beats is not { Count: > 0 } beats)
        {
            problems.Add("The script has no beats; keep at least one.");
            return problems;
        }
        if (beats.Count > MaxBeats)
        {
            problems.Add($"The script has {beats.Count} beats; at most {MaxBeats} are allowed.");
        }
        for (var i = 0; i < beats.Count; i++)
        {
            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            Text($"narration of beat {number}", beats[i]?.Narration, required: true);
            var words = WordCount(beats[i]?.CardText);
            if (words > MaxCardWords)
            {
                problems.Add($"The card text of beat {number} has {words} words; keep it to {MaxCardWords}.");
            }
        }
        return problems;
    }

    /// <summary>
    /// Saves the edit as the generation's script and lets the pipeline go on from visuals. <paramref name="editor"/> is
    /// the person's name, recorded in the job's history.
    /// </summary>
    public async Task<ScriptReviewResult> ContinueAsync(Guid jobId, int generation, ScriptEdit edit, string editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentException.ThrowIfNullOrWhiteSpace(editor);
        var job = await store.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return NotWaiting("There is no such job.");
        }
        if (job.IsTerminal)
        {
            return NotWaiting($"The job is {job.Status}; nothing was saved.");
        }
        if (generation != job.Generation)
        {
            return NotWaiting($"That script was replaced by a newer version (version {job.Generation}); nothing was saved.");
        }
        var run = (await store.ListStageRunsAsync(job.Id, cancellationToken))
            .SingleOrDefault(r => r.Stage == StageName.Script && r.Generation == generation);
        if (run is { Status: StageRunStatus.Completed } && job.Request.ReviewScript)
        {
            // Continued before (a double click, or a Continue whose queueing was interrupted): the first text stands.
            await ContinuePipelineAsync(job.Id, generation, cancellationToken);
            return new ScriptReviewResult(ScriptReviewOutcome.AlreadyContinued, "The script was already checked and the video is being made from it.", []);
        }
        if (run is not { Status: StageRunStatus.AwaitingApproval, Output: { } output })
        {
            return NotWaiting($"This job's script is not waiting for a check (the job is {job.Status}).");
        }

        var problems = Validate(edit);
        if (problems.Count > 0)
        {
            return new ScriptReviewResult(ScriptReviewOutcome.Invalid, "The script was not saved: " + string.Join(" ", problems), problems);
        }
        var written = StageJson.FromElement<VideoScript>(output);
        var edited = Apply(written, edit);
        var changed = !SameText(written, edited);
        var message = $"script checked by {editor.Trim()}" + (changed ? " (edited)" : " (unchanged)");
        var won = await store.CompleteAwaitingStageAsync(
            new StageCompletion(job.Id, StageName.Script, generation, StageJson.ToElement(edited), [], JobStatus.ForStage(StageName.Visuals), message),
            cancellationToken);
        await ContinuePipelineAsync(job.Id, generation, cancellationToken);
        return won
            ? new ScriptReviewResult(ScriptReviewOutcome.Continued, changed ? "Saved; the video is being made from your script." : "Continued with the script as written.", [])
            : new ScriptReviewResult(ScriptReviewOutcome.AlreadyContinued, "Someone checked this script first; the video is being made from their text.", []);
    }

    /// <summary>The edited script: the person's words, with the length estimate redone at the writer's speaking rate.</summary>
    public static VideoScript Apply(VideoScript written, ScriptEdit edit)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(edit);
        var beats = edit.Beats.Select(b => new ScriptBeat(b.Narration.Trim(), (b.CardText ?? "").Trim())).ToList();
        var script = written with { Title = edit.Title.Trim(), Hook = edit.Hook.Trim(), Beats = beats, CallToAction = (edit.CallToAction ?? "").Trim() };
        var words = WordCount(script.NarrationText);
        return written.WordsPerMinute > 0 ? script with { EstimatedSeconds = Math.Round(words * 60 / written.WordsPerMinute, 1) } : script;
    }

    private static bool SameText(VideoScript a, VideoScript b) =>
        a.Title == b.Title && a.Hook == b.Hook && a.CallToAction == b.CallToAction && a.Beats.SequenceEqual(b.Beats);

    private async Task ContinuePipelineAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        // The stage's own task name: a second Continue, or the script task's redelivery (which finds the run completed
        // and enqueues visuals too), adds nothing.
        await tasks.EnqueueAsync(jobId, StageName.Visuals, generation, cancellationToken);
        await sheet.SyncAsync(jobId, cancellationToken);
    }

    private async Task<VideoScript?> WaitingScriptAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.IsTerminal || job.Stage != StageName.Script)
        {
            return null;
        }
        var run = (await store.ListStageRunsAsync(job.Id, cancellationToken))
            .SingleOrDefault(r => r.Stage == StageName.Script && r.Generation == job.Generation);
        return run is { Status: StageRunStatus.AwaitingApproval, Output: { } output } ? StageJson.FromElement<VideoScript>(output) : null;
    }

    private static int WordCount(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static ScriptReviewResult NotWaiting(string message) => new(ScriptReviewOutcome.NotWaiting, message, []);
}
