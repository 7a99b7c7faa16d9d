using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>
/// The card a reviewer sees for one generation of a job, built from its render and script outputs. The review stage
/// posts it; the review bot rebuilds it to update, remind about or show the decision on a posted card.
/// </summary>
/// <param name="costs">The cost ledger the card's cost so far sums; none (tests that do not look at cost) shows 0.</param>
public sealed class ReviewCards(IJobStore store, IBlobStore blobs, ICostLedger? costs = null)
{
    /// <summary>How long the card's video and thumbnail links stay valid (a signed URL's lifetime in production).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(7);

    public async Task<ReviewRequest> BuildAsync(Job job, int generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var video = await OutputAsync<RenderOutput>(job.Id, StageName.Render, generation, cancellationToken);
        var script = await OutputAsync<VideoScript>(job.Id, StageName.Script, generation, cancellationToken);
        var url = await blobs.GetReadUrlAsync(video.VideoBlobKey, LinkLifetime, cancellationToken);
        var thumbnail = video.ThumbnailBlobKey is { } key ? await blobs.GetReadUrlAsync(key, LinkLifetime, cancellationToken) : null;
        // Every generation's calls: the reviewer weighs what the job has spent, regenerations included.
        var costSoFarUsd = costs is null ? 0m : await costs.TotalUsdAsync(job.Id, cancellationToken);
        return new ReviewRequest(job.Id, generation, job.Request.Topic, script.Title, script.Hook, url, video.DurationSeconds,
            job.Request.Platforms, job.Request.PublishAt, thumbnail, costSoFarUsd);
    }

    private async Task<T> OutputAsync<T>(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        var run = await store.GetLatestCompletedAsync(jobId, stage, generation, cancellationToken)
            ?? throw new InvalidOperationException($"Stage {stage.Wire()} has no completed output for job {jobId} at generation {generation}.");
        return StageJson.FromElement<T>(run.Output ?? throw new InvalidDataException($"Stage {stage.Wire()} stored no output."));
    }
}
