using Microsoft.Extensions.Logging;

namespace ViralForge.Core.Stages;

/// <summary>
/// Takes a stage attempt's percent done (<see cref="StageProgress"/>) to where people read it: the job store, at most once
/// per <c>storeEvery</c> (the CLI table and the review page poll it), and the row's Stage cell through a sheet sync, at most
/// once per <c>sheetEvery</c> (Stages:ProgressSheetInterval, 10 s). Reports in between are dropped, not queued: the next
/// one carries a newer figure. Writes run off the reporting thread (ffmpeg's reader) one at a time, and a failed write is
/// logged and forgotten, since progress is advice and the stage's own commit writes the row's real state.
/// </summary>
/// <remarks>
/// Dispose before the stage's completion is committed: it waits for the write in flight, so a slow progress sync can not
/// land after the completion's sync and put "render 80%" back over the next status.
/// </remarks>
public sealed class ProgressReporter(
    Guid jobId,
    Func<int, CancellationToken, Task> record,
    Func<CancellationToken, Task> showInSheet,
    TimeProvider time,
    TimeSpan storeEvery,
    TimeSpan sheetEvery,
    ILogger log) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private Task writing = Task.CompletedTask;
    private long? lastStored;
    private long? lastShown;
    private bool disposed;

    /// <summary>The work is <paramref name="percent"/> done; written now when the intervals allow, otherwise dropped.</summary>
    public void Report(int percent)
    {
        lock (gate)
        {
            if (disposed || !writing.IsCompleted || (lastStored is { } stored && time.GetElapsedTime(stored) < storeEvery))
            {
                return;
            }
            var now = time.GetTimestamp();
            var show = lastShown is not { } shown || time.GetElapsedTime(shown) >= sheetEvery;
            lastStored = now;
            if (show)
            {
                lastShown = now;
            }
            var token = stop.Token;
            writing = Task.Run(() => WriteAsync(percent, show, token), CancellationToken.None);
        }
    }

    /// <summary>Completes when no write is in flight (tests wait on it between reports).</summary>
    public Task WhenIdleAsync()
    {
        lock (gate)
        {
            return writing;
        }
    }

    private async Task WriteAsync(int percent, bool show, CancellationToken cancellationToken)
    {
        try
        {
            await record(percent, cancellationToken);
            if (show)
            {
                await showInSheet(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.ProgressNotRecorded(e, jobId);
        }
        catch (OperationCanceledException)
        {
            // Disposed mid-write: the stage is over and its own writes follow.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task last;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            last = writing;
        }
        // A write that is nearly done is let finish (the ordering above); one that hangs is cancelled after a moment.
        try
        {
            await last.WaitAsync(TimeSpan.FromSeconds(5), time);
        }
        catch (TimeoutException)
        {
            await stop.CancelAsync();
            await last;
        }
        stop.Dispose();
    }
}
