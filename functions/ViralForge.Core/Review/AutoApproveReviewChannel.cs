using ViralForge.Core.Ports;

namespace ViralForge.Core.Review;

/// <summary>Review mode "auto": every video is approved at once, by a named rule rather than a person.</summary>
public sealed class AutoApproveReviewChannel : IReviewChannel
{
    public const string Reviewer = "auto-approve";

    public Task<ReviewDecision?> RequestAsync(ReviewRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ReviewDecision?>(new ReviewDecision(ReviewVerdict.Approve, Reviewer, "review mode is auto"));
}

/// <summary>
/// Review mode "terminal": the review stage leaves the video waiting, and the vf command asks on the
/// console and applies the answer through ReviewDecisions (so a decision survives a restart of vf).
/// </summary>
public sealed class DeferredReviewChannel : IReviewChannel
{
    public Task<ReviewDecision?> RequestAsync(ReviewRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ReviewDecision?>(null);
}
