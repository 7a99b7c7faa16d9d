using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Stages;

/// <summary>Stage 3: hook, beats and call to action, fitted to the row's duration; with Review Script on, it then waits for a person.</summary>
/// <param name="moderator">The brand-safety gate before the voice stage; none (a host without one) passes everything.</param>
public sealed class ScriptStage(IScriptWriter writer, IScriptModerator? moderator = null) : IStage
{
    public StageName Name => StageName.Script;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var analysis = await context.GetOutputAsync<TrendAnalysis>(StageName.Analysis, cancellationToken);
        // Keyed by the attempt's generation: a redelivery of this attempt reuses the paid calls, a regenerate pays anew.
        var work = new PaidWork(context.Job.Id, StageName.Script, context.Generation, "script");
        var script = await writer.WriteAsync(await RequestWithFeedbackAsync(context, cancellationToken), analysis, work, cancellationToken);
        if (script.Beats.Count == 0)
        {
            throw new PermanentStageException("The script writer returned no beats.");
        }
        await ModerateAsync(script, work.For("moderation"), cancellationToken);
        await context.NoteAsync(script.Notes, cancellationToken);
        var summary = $"{script.Beats.Count} beats, about {script.EstimatedSeconds:0} s";
        // The row's Review Script gate: the script is stored as this run's output but the run waits, so nothing after it
        // starts until a person continues it (ScriptReviews), and a redelivery finds it waiting rather than writing anew.
        return context.Request.ReviewScript
            ? new StageResult(StageResultKind.AwaitingApproval, StageJson.ToElement(script), [], $"{summary}; waiting for a person to check the script")
            : StageResult.Completed(script, summary);
    }

    /// <summary>What a viewer hears and reads (title, narration, cards) passes moderation, or the job fails with the categories.</summary>
    private async Task ModerateAsync(Scripts.VideoScript script, PaidWork work, CancellationToken cancellationToken)
    {
        if (moderator is null)
        {
            return;
        }
        var text = string.Join("\n", new[] { script.Title, script.NarrationText }.Concat(script.Beats.Select(b => b.CardText)));
        var verdict = await moderator.ModerateAsync(text, work, cancellationToken);
        if (verdict.Flagged)
        {
            var categories = verdict.Categories.Count > 0 ? string.Join(", ", verdict.Categories) : "no category given";
            throw new PermanentStageException($"The script was flagged by moderation: {categories}; edit the row's Topic or Notes.");
        }
    }

    /// <summary>
    /// The row's request, with the reviewer's feedback (when a Regenerate started this generation) added to its Notes,
    /// the field a writer reads for the person's wishes.
    /// </summary>
    public static async Task<VideoRequest> RequestWithFeedbackAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await context.GetReviewerFeedbackAsync(cancellationToken) is not { } feedback)
        {
            return context.Request;
        }
        var notes = string.IsNullOrWhiteSpace(context.Request.Notes) ? "" : context.Request.Notes.TrimEnd() + "\n";
        return context.Request with { Notes = $"{notes}Reviewer feedback: {feedback.Trim()}" };
    }
}
