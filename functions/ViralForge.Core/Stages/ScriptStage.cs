using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Stages;

/// <summary>Stage 3: hook, beats and call to action, fitted to the row's duration; with Review Script on, it then waits for a person.</summary>
public sealed class ScriptStage(IScriptWriter writer) : IStage
{
    public StageName Name => StageName.Script;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var analysis = await context.GetOutputAsync<TrendAnalysis>(StageName.Analysis, cancellationToken);
        var script = await writer.WriteAsync(await RequestWithFeedbackAsync(context, cancellationToken), analysis, cancellationToken);
        if (script.Beats.Count == 0)
        {
            throw new PermanentStageException("The script writer returned no beats.");
        }
        await context.NoteAsync(script.Notes, cancellationToken);
        var summary = $"{script.Beats.Count} beats, about {script.EstimatedSeconds:0} s";
        // The row's Review Script gate: the script is stored as this run's output but the run waits, so nothing after it
        // starts until a person continues it (ScriptReviews), and a redelivery finds it waiting rather than writing anew.
        return context.Request.ReviewScript
            ? new StageResult(StageResultKind.AwaitingApproval, StageJson.ToElement(script), [], $"{summary}; waiting for a person to check the script")
            : StageResult.Completed(script, summary);
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
