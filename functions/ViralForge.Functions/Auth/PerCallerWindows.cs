namespace ViralForge.Functions.Auth;

/// <summary>
/// Each caller's requests per minute, counted in a fixed one-minute window that starts with their first request, on the
/// injected clock. ASP.NET Core's limiters read the stopwatch and run on timers, and the partition (an email, an API key)
/// is only known once the credential is checked, inside an endpoint filter; this small counter does the same job where
/// the caller is known and is testable on a fake clock. Windows are per process: with several instances a caller gets
/// the limit on each. The add-on's and the Jobs API's limiters are this counter with their own setting and partitions.
/// </summary>
public sealed class PerCallerWindows(TimeProvider time, IEqualityComparer<string> callers)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Ended windows are swept once the table grows past this, so a stream of callers cannot grow it without end.
    private const int SweepAbove = 10_000;

    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> windows = new(callers);
    private readonly Lock gate = new();

    /// <summary>Takes one request from the caller's allowance of <paramref name="limit"/>; when none is left, how long until the window ends.</summary>
    public bool TryAcquire(string caller, int limit, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (windows.Count > SweepAbove)
            {
                foreach (var ended in windows.Where(w => now - w.Value.Start >= Window).Select(w => w.Key).ToList())
                {
                    windows.Remove(ended);
                }
            }
            if (!windows.TryGetValue(caller, out var window) || now - window.Start >= Window)
            {
                window = (now, 0);
            }
            if (window.Count >= limit)
            {
                retryAfter = window.Start + Window - now;
                return false;
            }
            windows[caller] = (window.Start, window.Count + 1);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
