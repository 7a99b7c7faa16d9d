using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.RenderJob;

/// <summary>
/// Runs the render stage once through the same <see cref="StageRunner"/> the HTTP host uses (claim the
/// run, fetch inputs from the blob store, render, store the MP4, enqueue review) and turns the outcome
/// into an exit code.
/// </summary>
public sealed class RenderJobRunner(StageRunner runner, TimeProvider time, ILogger<RenderJobRunner> log)
{
    /// <summary>The longest a retry-later exit waits first; a longer lease is left to Cloud Run's own retries.</summary>
    public static readonly TimeSpan MaxWaitBeforeRetry = TimeSpan.FromMinutes(1);

    public async Task<int> RunAsync(RenderJobSettings settings, CancellationToken cancellationToken)
    {
        log.RenderStarting(settings.JobId, settings.Generation, settings.Execution, settings.TaskIndex, settings.TaskAttempt);
        StageOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(StageName.Render, new StageMessage(settings.JobId, settings.Generation), settings.Delivery, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.RenderInterrupted(settings.JobId, RenderJobExitCodes.Interrupted);
            return RenderJobExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // Not swallowed: a non-zero exit makes Cloud Run retry, as a 5xx makes the queue retry.
            log.RenderCrashed(ex, settings.JobId, RenderJobExitCodes.Unexpected);
            return RenderJobExitCodes.Unexpected;
        }

        var code = RenderJobExitCodes.For(outcome);
        log.RenderFinished(settings.JobId, outcome.GetType().Name.ToLowerInvariant(), outcome.Detail, code);
        if (outcome is StageOutcome.RetryLater { After: { } after } && after > TimeSpan.Zero)
        {
            // Cloud Run has no Retry-After and retries at once. "Busy" most often means an attempt that was
            // killed (out of memory, say) still holds the lease; waiting it out here lets the retry take over.
            var wait = after < MaxWaitBeforeRetry ? after : MaxWaitBeforeRetry;
            log.WaitingBeforeRetry(wait);
            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return RenderJobExitCodes.Interrupted;
            }
        }
        return code;
    }
}
