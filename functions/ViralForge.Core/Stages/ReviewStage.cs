using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;

namespace ViralForge.Core.Stages;

/// <summary>Stage 7: a person (or the auto-approve rule) looks at the video before it goes out.</summary>
public sealed class ReviewStage(IReviewChannel channel, IBlobStore blobs) : IStage
{
    public StageName Name => StageName.Review;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var video = await context.GetOutputAsync<RenderOutput>(StageName.Render, cancellationToken);
        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, cancellationToken);
        var url = await blobs.GetReadUrlAsync(video.VideoBlobKey, TimeSpan.FromDays(7), cancellationToken);
        var request = new ReviewRequest(context.Job.Id, context.Generation, context.Request.Topic, script.Title, script.Hook, url,
            video.DurationSeconds, context.Request.Platforms, context.Request.PublishAt);

        var decision = await channel.RequestAsync(request, cancellationToken);
        return decision switch
        {
            null => StageResult.AwaitingApproval("posted for review"),
            { Verdict: ReviewVerdict.Approve } => StageResult.Completed(new ReviewOutput("approved", decision.Reviewer, decision.Reason), $"approved by {decision.Reviewer}"),
            { Verdict: ReviewVerdict.Reject } => StageResult.Rejected(new ReviewOutput("rejected", decision.Reviewer, decision.Reason)),
            _ => throw new PermanentStageException("A review channel may only approve or reject at once; Regenerate arrives as a later decision."),
        };
    }
}
