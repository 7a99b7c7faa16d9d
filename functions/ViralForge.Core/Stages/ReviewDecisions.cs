using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Stages;

/// <summary>
/// Applies a reviewer's decision that arrived after the review stage posted the video (a terminal
/// prompt now; Slack and Teams buttons later). Applying the same decision twice changes nothing.
/// </summary>
public sealed class ReviewDecisions(IJobStore store, StageTasks tasks, Compensator compensator, SheetStatusWriter sheet)
{
    /// <summary>True when the job's current generation has posted its video and waits for a decision.</summary>
    public static async Task<bool> IsAwaitingAsync(IJobStore store, Job job, CancellationToken cancellationToken)
    {
        if (job.Stage != StageName.Review || job.IsTerminal)
        {
            return false;
        }
        var runs = await store.ListStageRunsAsync(job.Id, cancellationToken);
        return runs.Any(r => r.Stage == StageName.Review && r.Generation == job.Generation && r.Status == StageRunStatus.AwaitingApproval);
    }

    public async Task<string> ApplyAsync(Guid jobId, ReviewDecision decision, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job {jobId}.");
        if (job.IsTerminal)
        {
            return $"job is already {job.Status}";
        }
        if (!await IsAwaitingAsync(store, job, cancellationToken))
        {
            return "no review is waiting for this job";
        }

        var output = new ReviewOutput(decision.Verdict.ToString().ToLowerInvariant(), decision.Reviewer, decision.Reason);
        switch (decision.Verdict)
        {
            case ReviewVerdict.Approve:
                await store.CompleteStageAsync(new StageCompletion(jobId, StageName.Review, job.Generation, StageJson.ToElement(output), [],
                    JobStatus.Approved, $"approved by {decision.Reviewer}"), cancellationToken);
                await tasks.EnqueueAsync(jobId, StageName.Publish, job.Generation, cancellationToken);
                await sheet.SyncAsync(jobId, cancellationToken);
                return "approved; publishing";
            case ReviewVerdict.Reject:
                var reason = $"rejected by {decision.Reviewer}: {decision.Reason ?? "no reason given"}";
                // The status stays "review" here: the compensator makes the job rejected and records the reason.
                await store.CompleteStageAsync(new StageCompletion(jobId, StageName.Review, job.Generation, StageJson.ToElement(output), [],
                    JobStatus.ForStage(StageName.Review), reason), cancellationToken);
                await compensator.RunAsync(jobId, JobStatus.Rejected, reason, cancellationToken);
                return reason;
            default:
                var from = decision.RegenerateStage ?? StageName.Script;
                if (from >= StageName.Review)
                {
                    throw new ArgumentException($"Only stages before review can be regenerated, not {from.Wire()}.", nameof(decision));
                }
                await store.CompleteStageAsync(new StageCompletion(jobId, StageName.Review, job.Generation, StageJson.ToElement(output), [],
                    JobStatus.ForStage(from), $"regenerate from {from.Wire()} asked by {decision.Reviewer}"), cancellationToken);
                var generation = await store.BumpGenerationAsync(jobId, cancellationToken);
                await tasks.EnqueueAsync(jobId, from, generation, cancellationToken);
                await sheet.SyncAsync(jobId, cancellationToken);
                return $"regenerating from {from.Wire()} (generation {generation})";
        }
    }
}
