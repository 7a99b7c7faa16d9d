using ViralForge.Core.Jobs;

namespace ViralForge.Core.Ports;

/// <summary>Where a review card was posted, so that it can be updated for everyone once someone decides.</summary>
/// <param name="Surface">"slack" or "teams".</param>
/// <param name="Address">
/// The surface's own address of the message, as JSON: Slack {"channel","ts"}; Teams {"serviceUrl","conversationId","activityId"}.
/// Only the poster that wrote it reads it.
/// </param>
public sealed record PostedReviewMessage(Guid JobId, int Generation, string Surface, string Address, DateTimeOffset PostedAt);

/// <summary>
/// A reviewer's decision as recorded: the first one for a (job, generation) wins, and every later click is told about it.
/// </summary>
/// <param name="ReviewerId">The Slack user id, the Teams AAD object id, "local:&lt;user&gt;" or "system".</param>
/// <param name="ReviewerName">A name people recognise, for the updated card and the sheet.</param>
/// <param name="Surface">Where it was made: slack, teams, local (the review page), terminal, or system (expiry).</param>
/// <param name="Feedback">With Regenerate: what the reviewer wants changed, given to that stage's next generation.</param>
public sealed record RecordedDecision(
    Guid JobId,
    int Generation,
    ReviewVerdict Verdict,
    string ReviewerId,
    string ReviewerName,
    string Surface,
    string? Reason,
    StageName? RegenerateStage,
    string? Feedback,
    DateTimeOffset DecidedAt);

/// <summary>The outcome of trying to decide: this decision won, or <see cref="Decision"/> is the one that came first.</summary>
public sealed record DecisionClaim(bool Won, RecordedDecision Decision);

/// <summary>
/// Review cards and decisions in PostgreSQL. A decision is claimed with one INSERT ... ON CONFLICT DO NOTHING per
/// (job, generation), so a double click or two reviewers at once yield exactly one decision.
/// </summary>
public interface IReviewLedger
{
    /// <summary>Remembers a posted card; posting the same surface for the same (job, generation) again keeps the first.</summary>
    Task RecordPostedAsync(PostedReviewMessage message, CancellationToken cancellationToken);

    Task<IReadOnlyList<PostedReviewMessage>> ListPostedAsync(Guid jobId, int generation, CancellationToken cancellationToken);

    /// <summary>Records the decision unless one exists for its (job, generation); either way returns the one that stands.</summary>
    Task<DecisionClaim> DecideAsync(RecordedDecision decision, CancellationToken cancellationToken);

    Task<RecordedDecision?> GetDecisionAsync(Guid jobId, int generation, CancellationToken cancellationToken);

    /// <summary>Notes that the decision's effects (publish, compensation or the rerun) are done; false when already noted or undecided.</summary>
    Task<bool> MarkAppliedAsync(Guid jobId, int generation, CancellationToken cancellationToken);

    /// <summary>When the decision was applied; null while it is not (or nothing was decided).</summary>
    Task<DateTimeOffset?> GetAppliedAtAsync(Guid jobId, int generation, CancellationToken cancellationToken);
}

/// <summary>
/// A chat surface that shows review cards (Slack, Teams). The bot posts through every configured poster, and after a
/// decision updates each posted message so everyone sees who decided, with the buttons gone.
/// </summary>
public interface IReviewPoster
{
    /// <summary>"slack" or "teams"; the <see cref="PostedReviewMessage.Surface"/> this poster writes and reads.</summary>
    string Surface { get; }

    /// <summary>Posts the card with Approve / Reject / Regenerate and says where it went.</summary>
    Task<PostedReviewMessage> PostAsync(ReviewRequest card, CancellationToken cancellationToken);

    /// <summary>Replaces the posted card with the decision: what, who and when, with no buttons. Safe to repeat.</summary>
    Task ShowDecisionAsync(PostedReviewMessage message, ReviewRequest card, RecordedDecision decision, CancellationToken cancellationToken);

    /// <summary>Reminds the channel that the card still waits (a reply under it).</summary>
    Task RemindAsync(PostedReviewMessage message, ReviewRequest card, CancellationToken cancellationToken);
}
