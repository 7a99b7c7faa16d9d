using Microsoft.Extensions.Logging;

namespace ViralForge.Core.Stages;

/// <summary>
/// Renews a lease in the background while long work runs, so a live attempt keeps its claim and a
/// dead one loses it when the lease runs out.
/// </summary>
public sealed class LeaseHeartbeat : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly PeriodicTimer timer;
    private readonly Task loop;

    /// <param name="time">The clock the interval is measured on (a fake one in tests).</param>
    public LeaseHeartbeat(Func<CancellationToken, Task> renew, TimeSpan interval, TimeProvider time, ILogger log)
    {
        // Started here, not in the loop, so the first renewal is due one interval after construction whenever the loop
        // gets a thread.
        timer = new PeriodicTimer(interval, time);
        loop = Task.Run(async () =>
        {
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    try
                    {
                        await renew(stop.Token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        log.LogWarning(ex, "Could not renew a lease; will try again");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by Dispose.
            }
        });
    }

    public void Dispose()
    {
        stop.Cancel();
        loop.GetAwaiter().GetResult();
        timer.Dispose();
        stop.Dispose();
    }
}
