using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Core.Stages;

/// <summary>Stage 7: a person (or the auto-approve rule) looks at the video before it goes out.</summary>
public sealed class ReviewStage(IReviewChannel channel, ReviewCards cards) : IStage
{
    public StageName Name => StageName.Review;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var request = await cards.BuildAsync(context.Job, context.Generation, cancellationToken);

        var decision = await channel.RequestAsync(request, cancellationToken);
        return decision switch
        {
            null => StageResult.AwaitingApproval("posted for review"),
            { Verdict: ReviewVerdict.Approve } => StageResult.Completed(new ReviewOutput(ReviewVerdicts.Approve, decision.Reviewer, decision.Reason), $"approved by {decision.Reviewer}"),
            { Verdict: ReviewVerdict.Reject } => StageResult.Rejected(new ReviewOutput(ReviewVerdicts.Reject, decision.Reviewer, decision.Reason)),
            _ => throw new PermanentStageException("A review channel may only approve or reject at once; Regenerate arrives as a later decision."),
        };
    }
}
