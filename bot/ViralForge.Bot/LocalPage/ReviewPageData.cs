using ViralForge.Core.Costs;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Bot.LocalPage;

/// <summary>One video as the review page shows it: the job, what was made for its current generation, and the decisions so far.</summary>
/// <param name="Awaiting">The current generation's review stage waits for a decision (the buttons are shown).</param>
/// <param name="Decisions">Decisions recorded in the ledger, oldest generation first (a Regenerate leaves one per generation).</param>
/// <param name="Applied">What the review stage recorded when it finished without a ledger decision (auto-approve, the terminal).</param>
/// <param name="CostSoFarUsd">What the job's paid calls have cost so far, every generation included.</param>
public sealed record ReviewItem(
    Job Job,
    VideoScript? Script,
    RenderOutput? Video,
    bool Awaiting,
    IReadOnlyList<RecordedDecision> Decisions,
    ReviewOutput? Applied,
    decimal CostSoFarUsd = 0)
{
    /// <summary>The decision for the current generation, when one was recorded (it may not be applied yet).</summary>
    public RecordedDecision? Current => Decisions.LastOrDefault(d => d.Generation == Job.Generation);
}

/// <summary>A job still being made, as the review page's list shows it: its Stage cell ("render 45%") and percent done.</summary>
public sealed record JobInProgress(Job Job, string Stage, int? Percent);

/// <summary>
/// Reads what the review page shows. Reads only: a GET of the page changes nothing (chat link previewers open links).
/// </summary>
/// <param name="costs">The cost ledger the page's cost so far sums; none shows 0.</param>
public sealed class ReviewPageData(IJobStore store, IReviewLedger ledger, SheetStatusWriter sheet, ICostLedger? costs = null)
{
    /// <summary>How many decided videos the list shows under the waiting ones.</summary>
    public const int RecentlyDecidedCount = 20;

    /// <summary>Videos whose current generation waits for a review, oldest first.</summary>
    public async Task<IReadOnlyList<ReviewItem>> ListAwaitingAsync(CancellationToken cancellationToken) =>
        await ItemsAsync(await store.ListAtStageAsync(StageName.Review, cancellationToken), awaiting: true, cancellationToken);

    /// <summary>Videos whose review finished, most recent decision first, each with its status as of now (scheduled turns published).</summary>
    public async Task<IReadOnlyList<ReviewItem>> ListRecentlyDecidedAsync(CancellationToken cancellationToken) =>
        [.. (await ItemsAsync(await store.ListRecentlyCompletedAsync(StageName.Review, RecentlyDecidedCount, cancellationToken), awaiting: false, cancellationToken))
            .Select(item => item with { Job = item.Job with { Status = JobStatus.AsOf(item.Job, sheet.Now) } })];

    /// <summary>Jobs being made (every stage but review), earliest stage first, with their Stage cell and percent done.</summary>
    public async Task<IReadOnlyList<JobInProgress>> ListInProgressAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<JobInProgress>();
        foreach (var stage in StageOrder.InOrder.Where(s => s != StageName.Review))
        {
            foreach (var job in await store.ListAtStageAsync(stage, cancellationToken))
            {
                // Between two stages (this one finished, the next not started) the status names the next one: show that.
                if (job.Status != JobStatus.ForStage(stage))
                {
                    jobs.Add(new JobInProgress(job, job.Status, null));
                    continue;
                }
                var percent = await store.GetStageProgressAsync(job.Id, stage, job.Generation, cancellationToken);
                jobs.Add(new JobInProgress(job, SheetStatusWriter.StageText(job, percent, sheet.Now), percent));
            }
        }
        return jobs;
    }

    private async Task<IReadOnlyList<ReviewItem>> ItemsAsync(IReadOnlyList<Job> jobs, bool awaiting, CancellationToken cancellationToken)
    {
        var items = new List<ReviewItem>();
        foreach (var job in jobs)
        {
            if (await GetAsync(job.Id, cancellationToken) is { } item && item.Awaiting == awaiting)
            {
                items.Add(item);
            }
        }
        return items;
    }

    /// <summary>One job as the page shows it, or null when there is no such job.</summary>
    public async Task<ReviewItem?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return null;
        }
        var script = await OutputAsync<VideoScript>(job, StageName.Script, cancellationToken);
        var video = await VideoAsync(job, cancellationToken);
        var awaiting = await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken);
        var decisions = new List<RecordedDecision>();
        for (var generation = 1; generation <= job.Generation; generation++)
        {
            if (await ledger.GetDecisionAsync(job.Id, generation, cancellationToken) is { } decision)
            {
                decisions.Add(decision);
            }
        }
        var applied = await OutputAsync<ReviewOutput>(job, StageName.Review, cancellationToken);
        var cost = costs is null ? 0m : await costs.TotalUsdAsync(job.Id, cancellationToken);
        return new ReviewItem(job, script, video, awaiting, decisions, applied, cost);
    }

    /// <summary>The render output of the job's current generation (a Regenerate reuses an earlier one until it renders again).</summary>
    public Task<RenderOutput?> VideoAsync(Job job, CancellationToken cancellationToken) =>
        OutputAsync<RenderOutput>(job, StageName.Render, cancellationToken);

    private async Task<T?> OutputAsync<T>(Job job, StageName stage, CancellationToken cancellationToken) where T : class
    {
        var run = await store.GetLatestCompletedAsync(job.Id, stage, job.Generation, cancellationToken);
        return run?.Output is { } output ? StageJson.FromElement<T>(output) : null;
    }
}
