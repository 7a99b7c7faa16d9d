using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>What became of a click.</summary>
public enum DeskOutcome
{
    /// <summary>This decision stands; applying it is queued.</summary>
    Decided,

    /// <summary>Someone decided first; <see cref="DeskResult.Decision"/> says who and what.</summary>
    AlreadyDecided,

    /// <summary>The job is not waiting for this review (ended, moved on, or a card from an older generation).</summary>
    NotAwaiting,

    /// <summary>The clicker is not on Review:Reviewers.</summary>
    NotAReviewer,
}

/// <summary>The outcome, the decision that stands (when there is one) and a sentence to show the clicker.</summary>
public sealed record DeskResult(DeskOutcome Outcome, RecordedDecision? Decision, string Message);

/// <summary>
/// The one door every review surface decides through (Slack, Teams, the local page, expiry): checks the reviewer and
/// that the card's generation still waits, claims the decision once in the ledger, and queues its application, so a
/// chat request is answered at once and the work happens on the task queue.
/// </summary>
public sealed class ReviewDesk(IJobStore store, IReviewLedger ledger, ITaskQueue queue, IOptions<ViralForgeOptions> options)
{
    /// <summary>The queue that applies decisions (publish, compensation, or the regenerated stage).</summary>
    public const string DecisionQueue = "vf-review-decisions";

    /// <summary>The endpoint the decision task calls; its body is a <see cref="StageMessage"/>.</summary>
    public const string ApplyPath = "/review/apply";

    /// <summary>True for a chat user on Review:Reviewers; an empty list lets nobody decide.</summary>
    public bool IsReviewer(string userId) =>
        !string.IsNullOrEmpty(userId) && options.Value.Review.Reviewers.Contains(userId, StringComparer.Ordinal);

    public async Task<DeskResult> DecideAsync(RecordedDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        // Refused before it is recorded: a recorded decision that cannot be applied would hold the job until expiry.
        ReviewDecisions.EnsureRegenerable(decision.Verdict, decision.RegenerateStage, nameof(decision));
        if (decision.Surface is "slack" or "teams" && !IsReviewer(decision.ReviewerId))
        {
            return new DeskResult(DeskOutcome.NotAReviewer, null, "You are not on the reviewers list for these videos, so your click changed nothing.");
        }

        // A decision already made for this generation wins over everything else, so a late click learns who decided.
        if (await ledger.GetDecisionAsync(decision.JobId, decision.Generation, cancellationToken) is { } first)
        {
            return new DeskResult(DeskOutcome.AlreadyDecided, first, AlreadyDecidedMessage(first));
        }

        var job = await store.GetAsync(decision.JobId, cancellationToken);
        if (job is null || job.Generation != decision.Generation || !await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken))
        {
            // A racing click may have decided, and its application begun, since the ledger was read above: say who.
            if (await ledger.GetDecisionAsync(decision.JobId, decision.Generation, cancellationToken) is { } racer)
            {
                return new DeskResult(DeskOutcome.AlreadyDecided, racer, AlreadyDecidedMessage(racer));
            }
            var state = job is null ? "no longer exists" : job.Generation != decision.Generation ? "has a newer version" : $"is {job.Status}";
            return new DeskResult(DeskOutcome.NotAwaiting, null, $"This video is not waiting for review: the job {state}.");
        }

        var claim = await ledger.DecideAsync(decision, cancellationToken);
        if (!claim.Won)
        {
            return new DeskResult(DeskOutcome.AlreadyDecided, claim.Decision, AlreadyDecidedMessage(claim.Decision));
        }

        await EnqueueApplyAsync(decision.JobId, decision.Generation, cancellationToken);
        return new DeskResult(DeskOutcome.Decided, claim.Decision, $"{Describe(claim.Decision)}.");
    }

    /// <summary>Queues the application of the recorded decision; the name makes a second enqueue a no-op.</summary>
    public Task<EnqueueResult> EnqueueApplyAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new StageMessage(jobId, generation), CoreJson.Default.StageMessage);
        return queue.EnqueueAsync(new QueueTask(DecisionQueue, TaskName(jobId, generation, "decision"), ApplyPath, body), cancellationToken);
    }

    /// <summary>A hashed, evenly spread task name for one review task of one (job, generation).</summary>
    public static string TaskName(Guid jobId, int generation, string kind) => StageTasks.TaskName(jobId, $"review-{kind}", generation);

    /// <summary>"Approved by Ana at 2026-11-29 10:02 UTC", and the reason or the regenerated stage when there is one.</summary>
    public static string Describe(RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var when = decision.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return decision.Verdict switch
        {
            ReviewVerdict.Approve => $"Approved by {decision.ReviewerName} at {when}",
            ReviewVerdict.Reject => $"Rejected by {decision.ReviewerName} at {when}: {decision.Reason ?? "no reason given"}",
            _ => $"Regenerate {(decision.RegenerateStage ?? ReviewDecisions.DefaultRegenerateStage).Wire()} asked by {decision.ReviewerName} at {when}"
                + (string.IsNullOrWhiteSpace(decision.Feedback) ? "" : $" ({decision.Feedback})"),
        };
    }

    private static string AlreadyDecidedMessage(RecordedDecision first) => $"Already decided: {Describe(first)}.";
}
