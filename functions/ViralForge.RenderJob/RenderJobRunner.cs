using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Render;

namespace ViralForge.RenderJob;

/// <summary>
/// Renders the request the render stage stored for one job and generation (render-request.json), stores every output
/// under the keys the request names, and then render-result.json, whose presence tells the stage the render is done.
/// While it renders it keeps render-progress.json current (<see cref="RenderProgressBlob"/>).
/// The job does no stage bookkeeping: the render stage's delivery, watching this execution, claims and completes the
/// run as every stage does. A render that cannot succeed leaves render-failure.json saying so, so the stage fails the
/// job at once instead of retrying.
/// </summary>
public sealed class RenderJobRunner(InProcessRenderer renderer, IBlobStore blobs, IOptions<ViralForgeOptions> options, TimeProvider time, ILogger<RenderJobRunner> log)
{
    public async Task<int> RunAsync(RenderJobSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        log.RenderStarting(settings.JobId, settings.Generation, settings.Execution, settings.TaskIndex, settings.TaskAttempt);
        var scratch = Path.Combine(StageRunner.ScratchRoot(options.Value), $"{settings.JobId:N}-render-job-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var resultKey = RenderJobBlobs.Result(settings.JobId, settings.Generation);
            if (await blobs.ExistsAsync(resultKey, cancellationToken))
            {
                // jobs:run is not idempotent: a duplicate execution finds the render done and renders nothing.
                return Finished(settings, "already rendered", RenderJobExitCodes.Done);
            }

            var work = await RenderJobBlobs.TryReadAsync(blobs, RenderJobBlobs.Request(settings.JobId, settings.Generation), CoreJson.Default.RenderWork, scratch, cancellationToken);
            if (work is null)
            {
                // Only the render stage starts this job, after storing the request; a stray run has nothing to do.
                return Finished(settings, "no render request is stored for it; nothing to do", RenderJobExitCodes.Done);
            }
            if (work.JobId != settings.JobId || work.Generation != settings.Generation)
            {
                throw new PermanentStageException($"the stored render request is for job {work.JobId} generation {work.Generation}");
            }

            RenderedVideo rendered;
            await using (var progress = new RenderProgressBlob(blobs, settings.JobId, settings.Generation, scratch, options.Value.Stages.ProgressStoreInterval, time, log))
            {
                rendered = await renderer.RenderAsync(work, scratch, progress, cancellationToken);
            }
            var stored = new List<RenderedFile>();
            foreach (var file in rendered.Files)
            {
                var info = await blobs.PutFileAsync(file.BlobKey, file.LocalPath!, cancellationToken);
                stored.Add(file with { LocalPath = null, Stored = info });
            }

            // Last: the result means every output above is in the blob store.
            await RenderJobBlobs.StoreAsync(blobs, resultKey, rendered with { Files = stored }, CoreJson.Default.RenderedVideo, scratch, cancellationToken);
            return Finished(settings, $"{rendered.Width}x{rendered.Height}, {rendered.DurationSeconds:0.0} s", RenderJobExitCodes.Done);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.RenderInterrupted(settings.JobId, RenderJobExitCodes.Interrupted);
            return RenderJobExitCodes.Interrupted;
        }
        catch (PermanentStageException e)
        {
            await TryReportAsync(settings, new RenderFailure(true, e.Message), scratch);
            return Finished(settings, $"refused: {e.Message}", RenderJobExitCodes.Refused);
        }
        catch (Exception e)
        {
            // Not swallowed: a non-zero exit fails the execution, and the render stage's retry starts a new one.
            log.RenderCrashed(e, settings.JobId, RenderJobExitCodes.RetryLater);
            await TryReportAsync(settings, new RenderFailure(false, e.Message), scratch);
            return RenderJobExitCodes.RetryLater;
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private int Finished(RenderJobSettings settings, string detail, int code)
    {
        log.RenderFinished(settings.JobId, detail, code);
        return code;
    }

    /// <summary>Leaves the reason for the render stage; if even that fails, the execution's own failure still says something went wrong.</summary>
    private async Task TryReportAsync(RenderJobSettings settings, RenderFailure failure, string scratch)
    {
        try
        {
            await RenderJobBlobs.StoreAsync(blobs, RenderJobBlobs.Failure(settings.JobId, settings.Generation), failure, CoreJson.Default.RenderFailure, scratch, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            log.FailureNotStored(e, settings.JobId);
        }
    }

    private void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            log.ScratchNotDeleted(e, folder);
        }
    }
}
