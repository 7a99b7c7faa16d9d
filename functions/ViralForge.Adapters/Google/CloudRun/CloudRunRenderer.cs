using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>
/// The renderer port in production: the render runs in a Cloud Run job execution (ViralForge.RenderJob, with the CPU and
/// memory a render needs), while the render stage's claim, completion and next-stage enqueue stay in the stage runner
/// like every other stage's.
/// </summary>
/// <remarks>
/// One render of a job's generation: store the work as <c>render-request.json</c>, then find an execution for the same job
/// and generation (running or succeeded) or start one (<see cref="RenderJobLauncher"/>), then watch it for
/// Google:CloudRun:RenderWait. Succeeded: the execution stored every output and then <c>render-result.json</c>, which is
/// read and returned (the outputs are recorded, never copied through this host). Still running: the delivery hands back
/// (<see cref="WorkStillRunningException"/>) and the next one watches the same execution. Failed: the execution's
/// <c>render-failure.json</c> says whether another attempt could succeed; a permanent failure fails the job at once,
/// any other is retried by the queue with a fresh execution. A redelivery after success finds the result first and
/// starts nothing, so one render is paid for once.
/// </remarks>
public sealed class CloudRunRenderer(
    RenderJobLauncher launcher,
    CloudRunJobsClient client,
    IBlobStore blobs,
    IOptions<CloudRunOptions> options,
    ILogger<CloudRunRenderer> log) : IRenderer
{
    public Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, CancellationToken cancellationToken) =>
        RenderAsync(work, scratchFolder, null, cancellationToken);

    /// <summary>
    /// The render, with the execution's progress passed on while it is watched: the render job keeps
    /// render-progress.json current, and each look at the execution reads it into <paramref name="progress"/>, so the
    /// row shows "render 45%" and the stage's stall watch works as for a render on this machine.
    /// </summary>
    public async Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        Directory.CreateDirectory(scratchFolder);
        var resultKey = RenderJobBlobs.Result(work.JobId, work.Generation);
        if (await RenderJobBlobs.TryReadAsync(blobs, resultKey, CoreJson.Default.RenderedVideo, scratchFolder, cancellationToken) is { } finished)
        {
            log.RenderCollected(work.JobId, work.Generation);
            return finished;
        }

        // The request is stored before any execution can exist, so every execution finds it.
        await RenderJobBlobs.StoreAsync(blobs, RenderJobBlobs.Request(work.JobId, work.Generation), work, CoreJson.Default.RenderWork, scratchFolder, cancellationToken);
        // A failed execution's reason must not be read as the reason of the one about to be found or started, nor its
        // progress as this one's (a stale figure that does not move would look like a hung encode).
        var failureKey = RenderJobBlobs.Failure(work.JobId, work.Generation);
        await blobs.DeleteAsync(failureKey, cancellationToken);
        var progressKey = RenderJobBlobs.Progress(work.JobId, work.Generation);
        await blobs.DeleteAsync(progressKey, cancellationToken);

        RenderLaunch launch;
        try
        {
            launch = await launcher.LaunchAsync(work.JobId, work.Generation, cancellationToken);
        }
        catch (Exception e) when (e is GoogleApiException or HttpRequestException or TimeoutException)
        {
            throw new RenderExecutionException($"could not start the render job: {e.Message}", e);
        }

        var o = options.Value;
        var watched = await client.WaitForExecutionAsync(launch.ExecutionName, cancellationToken, o.RenderWait,
            progress is null ? null : ct => ReadProgressAsync(work, progressKey, scratchFolder, progress, ct));
        switch (watched.Outcome)
        {
            case CloudRunExecutionOutcome.Succeeded:
                return await RenderJobBlobs.TryReadAsync(blobs, resultKey, CoreJson.Default.RenderedVideo, scratchFolder, cancellationToken)
                    ?? throw new RenderExecutionException($"render execution {launch.ExecutionName} succeeded but stored no {Path.GetFileName(resultKey)}");
            case CloudRunExecutionOutcome.TimedOut:
                log.RenderStillRunning(work.JobId, work.Generation, launch.ExecutionName, o.RenderWait);
                throw new WorkStillRunningException($"render execution {launch.ExecutionName} is still running after {o.RenderWait}", o.PollInterval);
            default:
                var failure = await RenderJobBlobs.TryReadAsync(blobs, failureKey, CoreJson.Default.RenderFailure, scratchFolder, cancellationToken);
                if (failure is { Permanent: true })
                {
                    throw new PermanentStageException(failure.Reason);
                }
                throw new RenderExecutionException(
                    $"render execution {launch.ExecutionName} {watched.Outcome.ToString().ToLowerInvariant()}: {failure?.Reason ?? watched.Message ?? "no reason given"}");
        }
    }

    /// <summary>Passes on how far the execution has encoded, when it has said; a progress blob that cannot be read is skipped.</summary>
    private async Task ReadProgressAsync(RenderWork work, string progressKey, string scratchFolder, IProgress<TimeSpan> progress, CancellationToken cancellationToken)
    {
        try
        {
            if (await RenderJobBlobs.TryReadAsync(blobs, progressKey, CoreJson.Default.RenderProgress, scratchFolder, cancellationToken) is { Seconds: >= 0 } encoded)
            {
                progress.Report(TimeSpan.FromSeconds(encoded.Seconds));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or HttpRequestException or TimeoutException or GoogleApiException)
        {
            log.RenderProgressUnread(work.JobId, e.Message);
        }
    }
}

/// <summary>A render execution that could not be started or did not finish well; transient, so the queue retries with a fresh execution.</summary>
public sealed class RenderExecutionException(string message, Exception? inner = null) : Exception(message, inner);
