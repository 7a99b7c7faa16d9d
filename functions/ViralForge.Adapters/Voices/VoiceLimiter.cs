using System.Threading.RateLimiting;

namespace ViralForge.Adapters.Voices;

/// <summary>
/// One provider's limits, held for the whole process: at most <c>maxConcurrent</c> calls at once and
/// <c>requestsPerMinute</c> started in any minute. Vendors refuse calls over their plan's concurrency (ElevenLabs' 429
/// too_many_concurrent_requests) and per-minute rates; queueing here costs nothing where a refusal costs a retry.
/// </summary>
public sealed class VoiceLimiter : IDisposable
{
    private readonly SemaphoreSlim concurrent;
    private readonly RateLimiter perMinute;

    public VoiceLimiter(int maxConcurrent, int requestsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        concurrent = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        perMinute = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = requestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
    }

    /// <summary>Runs <paramref name="call"/> once a slot and a permit are free.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await concurrent.WaitAsync(cancellationToken);
        try
        {
            using var lease = await perMinute.AcquireAsync(1, cancellationToken);
            return await call(cancellationToken);
        }
        finally
        {
            concurrent.Release();
        }
    }

    public void Dispose()
    {
        concurrent.Dispose();
        perMinute.Dispose();
    }
}
