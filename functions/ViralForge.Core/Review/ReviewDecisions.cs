using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>
/// Applies a reviewer's decision that arrived after the review stage posted the video (the terminal prompt, or the
/// review bot's decision task). The decision is written on the generation's review run first, so applying it again
/// changes nothing, and a repeat after an interrupted application finishes it (publish queued, compensation run,
/// next generation started and queued) from what was written, not from the repeat's own words.
/// </summary>
public sealed class ReviewDecisions(IJobStore store, StageTasks tasks, Compensator compensator, SheetStatusWriter sheet)
{
    /// <summary>What Regenerate reruns when the reviewer names no stage.</summary>
    public const StageName DefaultRegenerateStage = StageName.Script;

    /// <summary>
    /// The one rule for Regenerate: only a stage before review can rerun (review and publish cannot). Every way in
    /// (the desk before it records a decision, and this class before it writes one) asks here.
    /// </summary>
    public static void EnsureRegenerable(ReviewVerdict verdict, StageName? stage, string paramName)
    {
        if (verdict == ReviewVerdict.Regenerate && (stage ?? DefaultRegenerateStage) >= StageName.Review)
        {
            throw new ArgumentException($"Only stages before review can be regenerated, not {stage!.Value.Wire()}.", paramName);
        }
    }

    /// <summary>True when the job's current generation has posted its video and waits for a decision.</summary>
    public static async Task<bool> IsAwaitingAsync(IJobStore store, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(job);
        if (job.Stage != StageName.Review || job.IsTerminal)
        {
            return false;
        }
        var runs = await store.ListStageRunsAsync(job.Id, cancellationToken);
        return runs.Any(r => r.Stage == StageName.Review && r.Generation == job.Generation && r.Status == StageRunStatus.AwaitingApproval);
    }

    /// <summary>Applies the decision to the job's current generation (the terminal asks about the job as it stands).</summary>
    public async Task<string> ApplyAsync(Guid jobId, ReviewDecision decision, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job {jobId}.");
        return await ApplyAsync(jobId, job.Generation, decision, cancellationToken);
    }

    /// <summary>
    /// Applies the decision made on <paramref name="generation"/>'s card. A decision for a generation that is not the
    /// job's current one is refused (a card from before a Regenerate), except that a repeat of the Regenerate that
    /// started the current generation makes sure its rerun is queued.
    /// </summary>
    public async Task<string> ApplyAsync(Guid jobId, int generation, ReviewDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var job = await store.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job {jobId}.");
        if (job.IsTerminal)
        {
            return $"job is already {job.Status}";
        }

        var runs = await store.ListStageRunsAsync(jobId, cancellationToken);
        var review = runs.SingleOrDefault(r => r.Stage == StageName.Review && r.Generation == generation);
        var applied = review is { Status: StageRunStatus.Completed, Output: { } written } ? StageJson.FromElement<ReviewOutput>(written) : null;
        if (generation != job.Generation)
        {
            return generation == job.Generation - 1 && applied is not null && ReviewVerdicts.TryParse(applied.Verdict, out var verdict) && verdict == ReviewVerdict.Regenerate
                ? await RegenerateAsync(job.Id, generation, applied, cancellationToken)
                : $"refused: the decision is for generation {generation}, but the job is at generation {job.Generation}";
        }

        if (review?.Status == StageRunStatus.AwaitingApproval && job.Stage == StageName.Review)
        {
            applied = await RecordAsync(job, decision, cancellationToken);
        }
        if (applied is null || !ReviewVerdicts.TryParse(applied.Verdict, out var decided))
        {
            return "no review is waiting for this job";
        }
        return decided switch
        {
            ReviewVerdict.Approve => await ApproveAsync(job.Id, generation, cancellationToken),
            ReviewVerdict.Reject => await RejectAsync(job.Id, applied, cancellationToken),
            _ => await RegenerateAsync(job.Id, generation, applied, cancellationToken),
        };
    }

    /// <summary>Writes the decision on the review run (and moves the job's status), once: the steps after it read it back.</summary>
    private async Task<ReviewOutput> RecordAsync(Job job, ReviewDecision decision, CancellationToken cancellationToken)
    {
        EnsureRegenerable(decision.Verdict, decision.RegenerateStage, nameof(decision));
        var from = decision.RegenerateStage ?? DefaultRegenerateStage;
        var feedback = string.IsNullOrWhiteSpace(decision.Feedback) ? null : decision.Feedback.Trim();
        var (output, status, message) = decision.Verdict switch
        {
            ReviewVerdict.Approve => (new ReviewOutput(ReviewVerdicts.Approve, decision.Reviewer, decision.Reason), JobStatus.Approved, $"approved by {decision.Reviewer}"),
            // The status stays "review" here: the compensator makes the job rejected and records the reason.
            ReviewVerdict.Reject => (new ReviewOutput(ReviewVerdicts.Reject, decision.Reviewer, decision.Reason), JobStatus.ForStage(StageName.Review), RejectReason(decision.Reviewer, decision.Reason)),
            _ => (new ReviewOutput(ReviewVerdicts.Regenerate, decision.Reviewer, decision.Reason, feedback, from.Wire()), JobStatus.ForStage(from),
                $"regenerate from {from.Wire()} asked by {decision.Reviewer}" + (feedback is null ? "" : $"; reviewer feedback: {feedback}")),
        };
        // The completion's job event carries the feedback, so the job's history says what the reviewer asked for.
        await store.CompleteStageAsync(new StageCompletion(job.Id, StageName.Review, job.Generation, StageJson.ToElement(output), [], status, message), cancellationToken);
        return output;
    }

    private async Task<string> ApproveAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        // The publish task's name makes a repeated enqueue a no-op.
        await tasks.EnqueueAsync(jobId, StageName.Publish, generation, cancellationToken);
        await sheet.SyncAsync(jobId, cancellationToken);
        return "approved; publishing";
    }

    private async Task<string> RejectAsync(Guid jobId, ReviewOutput applied, CancellationToken cancellationToken)
    {
        var reason = RejectReason(applied.Reviewer, applied.Reason);
        await compensator.RunAsync(jobId, JobStatus.Rejected, reason, cancellationToken);
        return reason;
    }

    private async Task<string> RegenerateAsync(Guid jobId, int generation, ReviewOutput applied, CancellationToken cancellationToken)
    {
        var from = StageOrder.TryParse(applied.RegenerateStage, out var stage) ? stage : DefaultRegenerateStage;
        // Conditional on the generation decided on: a repeat does not start a third one.
        var next = await store.BumpGenerationAsync(jobId, generation, cancellationToken);
        if (next != generation + 1)
        {
            return $"refused: the job moved on to generation {next}";
        }
        await tasks.EnqueueAsync(jobId, from, next, cancellationToken);
        await sheet.SyncAsync(jobId, cancellationToken);
        return $"regenerating from {from.Wire()} (generation {next})";
    }

    private static string RejectReason(string reviewer, string? reason) => $"rejected by {reviewer}: {reason ?? "no reason given"}";
}
