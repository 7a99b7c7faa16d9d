namespace ViralForge.Adapters.Google.Sheets;

/// <summary>Keeps this process under a number of Sheets write requests per minute, on the injected clock.</summary>
/// <remarks>
/// A token bucket that holds one token and gains one every 60/N seconds: writes go out evenly spaced and no
/// 60-second window holds more than N. One instance serves every spreadsheet, because Google counts the quota per user, and a service account is
/// one user whichever sheet it writes. Other processes with the same account are not seen here; their share
/// shows up as 429 answers, which the callers back off from.
/// </remarks>
public sealed class SheetsWriteLimiter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _spacing;
    private readonly Lock _lock = new();
    private DateTimeOffset _nextToken = DateTimeOffset.MinValue;

    public SheetsWriteLimiter(TimeProvider time, int writesPerMinute)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(writesPerMinute);
        _time = time;
        // Strictly more than 60/N apart: at exactly 60/N, writes at 0 s and 60 s would put N + 1 in one closed minute.
        _spacing = (TimeSpan.FromMinutes(1) / writesPerMinute) + TimeSpan.FromMilliseconds(1);
    }

    /// <summary>Waits for a token and takes it. A caller that gives up keeps its slot: the limit errs on the safe side.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            // Reserving the slot under the lock lets each waiter sleep once, for exactly its own turn.
            var slot = _nextToken > now ? _nextToken : now;
            _nextToken = slot + _spacing;
            wait = slot - now;
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }
}
