using Microsoft.Extensions.Logging;

namespace ViralForge.Core.Stages;

/// <summary>
/// Renews a lease in the background while long work runs, so a live attempt keeps its claim and a
/// dead one loses it when the lease runs out.
/// </summary>
public sealed class LeaseHeartbeat : IDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly PeriodicTimer timer;
    private Task renewing = Task.CompletedTask;
    private bool stopped;

    /// <param name="time">The clock the interval is measured on (a fake one in tests).</param>
    /// <param name="progress">
    /// When given, a renewal is due only while the work's reported progress advances: once it has been still for longer
    /// than <paramref name="stallAfter"/>, renewals stop for good and <see cref="StageProgress.Stall"/> stops the work.
    /// </param>
    public LeaseHeartbeat(Func<CancellationToken, Task> renew, TimeSpan interval, TimeProvider time, ILogger log, StageProgress? progress = null, TimeSpan stallAfter = default)
    {
        // Started here, not in the loop, so the first renewal is due one interval after construction whenever the loop
        // gets a thread.
        timer = new PeriodicTimer(interval, time);
        var token = stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                while (await timer.WaitForNextTickAsync(token))
                {
                    var done = new TaskCompletionSource();
                    lock (gate)
                    {
                        if (stopped)
                        {
                            return;
                        }
                        renewing = done.Task;
                    }
                    try
                    {
                        if (progress is not null && progress.IsStalled(stallAfter))
                        {
                            // A hung tool must not hold its claim until a deadline: let the lease run out and stop the work.
                            log.ProgressStalled(stallAfter);
                            progress.Stall();
                            return;
                        }
                        await renew(token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        log.LeaseNotRenewed(ex);
                    }
                    finally
                    {
                        done.SetResult();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by Dispose.
            }
        });
    }

    /// <summary>Stops the renewals; returns once none is running, so none starts or finishes after this.</summary>
    public void Dispose()
    {
        Task running;
        lock (gate)
        {
            stopped = true;
            running = renewing;
        }
        stop.Cancel();
        timer.Dispose();
        // Only a renewal in flight is waited for, not the loop's exit: blocking on that needed a second pool thread
        // for every attempt that ended, and under load the pool ran out of them.
        running.GetAwaiter().GetResult();
        stop.Dispose();
    }
}
