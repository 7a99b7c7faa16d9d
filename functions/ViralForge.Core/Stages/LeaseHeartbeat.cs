using Microsoft.Extensions.Logging;

namespace ViralForge.Core.Stages;

/// <summary>
/// Renews a lease in the background while long work runs, so a live attempt keeps its claim and a
/// dead one loses it when the lease runs out.
/// </summary>
public sealed class LeaseHeartbeat : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LeaseHeartbeat(Func<CancellationToken, Task> renew, TimeSpan interval, ILogger log)
    {
        loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
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
        stop.Dispose();
    }
}
