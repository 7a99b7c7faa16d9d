using Microsoft.Extensions.Logging;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.RenderJob;

/// <summary>
/// Stores the encode's output time as render-progress.json while the render runs, so the render stage's delivery that
/// watches this execution can show "render 45%" and tell a hung encode from a slow one, as an in-process render reports
/// to it directly. Written at most every <c>Stages:ProgressStoreInterval</c> and never faster than once a second (Cloud
/// Storage takes one write a second to one object), and once more at the end. A write that fails is only logged: the
/// render matters, its progress does not.
/// </summary>
internal sealed class RenderProgressBlob : IProgress<TimeSpan>, IAsyncDisposable
{
    private static readonly TimeSpan Fastest = TimeSpan.FromSeconds(1);

    private readonly IBlobStore blobs;
    private readonly Guid jobId;
    private readonly int generation;
    private readonly string scratchFolder;
    private readonly ILogger log;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long latestTicks = -1;
    private long storedTicks = -1;

    public RenderProgressBlob(IBlobStore blobs, Guid jobId, int generation, string scratchFolder, TimeSpan every, TimeProvider time, ILogger log)
    {
        this.blobs = blobs;
        this.jobId = jobId;
        this.generation = generation;
        this.scratchFolder = scratchFolder;
        this.log = log;
        loop = RunAsync(every < Fastest ? Fastest : every, time, stop.Token);
    }

    public void Report(TimeSpan value) => Interlocked.Exchange(ref latestTicks, value.Ticks);

    private async Task RunAsync(TimeSpan every, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await StoreLatestAsync(cancellationToken);
        }
    }

    private async Task StoreLatestAsync(CancellationToken cancellationToken)
    {
        var latest = Interlocked.Read(ref latestTicks);
        if (latest < 0 || latest == storedTicks)
        {
            return;
        }
        try
        {
            await RenderJobBlobs.StoreAsync(blobs, RenderJobBlobs.Progress(jobId, generation), new RenderProgress(Math.Round(TimeSpan.FromTicks(latest).TotalSeconds, 2)),
                CoreJson.Default.RenderProgress, scratchFolder, cancellationToken);
            storedTicks = latest;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the last value is written by DisposeAsync.
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            log.ProgressNotStored(e, jobId);
        }
    }

    /// <summary>Stops the writes, then stores the last value reported if it was not stored yet.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        await StoreLatestAsync(CancellationToken.None);
        stop.Dispose();
    }
}
