using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>
/// What review mode bot's queued tasks do (on whichever host serves /review/apply, /review/remind and /review/expire): apply a recorded decision and show it on every posted card, remind, and expire.
/// Each is safe to run twice; a chat surface that cannot be reached makes the task answer "retry later".
/// </summary>
public sealed class ReviewTasks(
    IJobStore store,
    IReviewLedger ledger,
    ReviewDecisions decisions,
    ReviewDesk desk,
    ReviewCards cards,
    IEnumerable<IReviewPoster> posters,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<ReviewTasks> log)
{
    /// <summary>Who decides when a card waited longer than Review:ExpireAfter.</summary>
    public const string SystemReviewerId = "system";

    public const string SystemReviewerName = "ViralForge";

    /// <summary>The <see cref="RecordedDecision.Surface"/> of a decision the product made itself (expiry).</summary>
    public const string SystemSurface = "system";

    public const string ExpiredReason = "review expired";

    /// <summary>
    /// Applies the decision recorded for the (job, generation) through <see cref="ReviewDecisions"/> (publish, the
    /// compensation, or the regenerated stage with the feedback), shows it on every posted card, and marks it applied.
    /// </summary>
    public async Task<StageOutcome> ApplyAsync(StageMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var decision = await ledger.GetDecisionAsync(message.JobId, message.Generation, cancellationToken);
        if (decision is null)
        {
            return new StageOutcome.Skipped($"no decision is recorded for job {message.JobId} generation {message.Generation}");
        }
        if (await ledger.GetAppliedAtAsync(message.JobId, message.Generation, cancellationToken) is { } appliedAt)
        {
            return new StageOutcome.Skipped($"the decision was applied at {appliedAt:u}");
        }
        var job = await store.GetAsync(message.JobId, cancellationToken);
        if (job is null)
        {
            return new StageOutcome.Skipped($"job {message.JobId} does not exist");
        }

        var result = await decisions.ApplyAsync(job.Id, message.Generation, ToReviewDecision(decision), cancellationToken);
        log.Applied(job.Id, message.Generation, result);

        var failed = await OnEveryCardAsync(job, message.Generation, "update",
            (poster, posted, card) => poster.ShowDecisionAsync(posted, card, decision, cancellationToken), cancellationToken);
        if (failed is not null)
        {
            // Applying again changes nothing, and showing a decision is safe to repeat: the retry finishes the cards.
            return new StageOutcome.RetryLater($"{result}; could not show the decision on {failed}");
        }
        await ledger.MarkAppliedAsync(job.Id, message.Generation, cancellationToken);
        return new StageOutcome.Completed(result);
    }

    /// <summary>Reminds every posted card's channel, when the card still waits and nobody decided yet.</summary>
    public async Task<StageOutcome> RemindAsync(StageMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await WaitingJobAsync(message, cancellationToken) is not { } job)
        {
            return new StageOutcome.Skipped("the review is no longer waiting");
        }
        if (await ledger.GetDecisionAsync(job.Id, message.Generation, cancellationToken) is not null)
        {
            return new StageOutcome.Skipped("the review was decided");
        }

        var failed = await OnEveryCardAsync(job, message.Generation, "remind about",
            (poster, posted, card) => poster.RemindAsync(posted, card, cancellationToken), cancellationToken);
        if (failed is not null)
        {
            return new StageOutcome.RetryLater($"could not remind on {failed}");
        }
        var count = (await ledger.ListPostedAsync(job.Id, message.Generation, cancellationToken)).Count;
        log.Reminded(job.Id, message.Generation, count);
        return new StageOutcome.Completed($"reminded on {count} surface(s)");
    }

    /// <summary>
    /// Rejects a card still waiting after Review:ExpireAfter ("review expired", decided by ViralForge through the desk,
    /// so it cannot overtake a person's decision); the desk queues its application like any other decision.
    /// </summary>
    public async Task<StageOutcome> ExpireAsync(StageMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await WaitingJobAsync(message, cancellationToken) is null)
        {
            return new StageOutcome.Skipped("the review is no longer waiting");
        }

        var expiry = new RecordedDecision(message.JobId, message.Generation, ReviewVerdict.Reject, SystemReviewerId, SystemReviewerName, SystemSurface,
            ExpiredReason, null, null, time.GetUtcNow());
        var desked = await desk.DecideAsync(expiry, cancellationToken);
        log.Expired(message.JobId, message.Generation, desked.Outcome.ToString());
        return desked.Outcome switch
        {
            // The desk queued its application; applying here too would race that task and update every card twice.
            DeskOutcome.Decided => new StageOutcome.Completed($"expired; {desked.Message}"),
            // A person decided first, but the job still waits: that decision's task has not finished (or gave up), so
            // apply it now rather than leave the job waiting for ever.
            DeskOutcome.AlreadyDecided => await ApplyAsync(message, cancellationToken),
            _ => new StageOutcome.Skipped(desked.Message),
        };
    }

    /// <summary>The decision as <see cref="ReviewDecisions"/> takes it; the job's history names the reviewer people know.</summary>
    public static ReviewDecision ToReviewDecision(RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new ReviewDecision(decision.Verdict, decision.ReviewerName, decision.Reason, decision.RegenerateStage, decision.Feedback);
    }

    private async Task<Job?> WaitingJobAsync(StageMessage message, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(message.JobId, cancellationToken);
        return job is not null && job.Generation == message.Generation && await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken) ? job : null;
    }

    /// <summary>
    /// Runs the action on every posted card, each surface tried even when another fails; names the ones that failed.
    /// The card is rebuilt (as the channel posted it) only when something was posted.
    /// </summary>
    private async Task<string?> OnEveryCardAsync(Job job, int generation, string action, Func<IReviewPoster, PostedReviewMessage, ReviewRequest, Task> act,
        CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        ReviewRequest? card = null;
        foreach (var posted in await ledger.ListPostedAsync(job.Id, generation, cancellationToken))
        {
            var poster = posters.FirstOrDefault(p => p.Surface == posted.Surface);
            if (poster is null)
            {
                log.NoPoster(job.Id, generation, posted.Surface);
                continue;
            }
            card ??= ChatReviewChannel.ForChat(await cards.BuildAsync(job, generation, cancellationToken), options.Value.Review);
            try
            {
                await act(poster, posted, card);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.PosterFailed(ex, action, job.Id, generation, posted.Surface);
                failed.Add(posted.Surface);
            }
        }
        return failed.Count == 0 ? null : string.Join(", ", failed);
    }
}
