namespace ViralForge.Functions.Auth;

/// <summary>
/// A token issuer's signing keys as every request shares them: kept until they expire, refetched first when they have
/// expired or lack the key id a token names (the issuer published a new key), with fetches at least
/// <paramref name="minRefetchInterval"/> apart whatever asks, so neither a stream of forged key ids nor an outage at the
/// issuer makes the host hammer it; a failed refetch keeps the keys fetched before. Google's keys (Cloud Tasks and the
/// add-on) and Bot Framework's keys (Teams) both go through it.
/// </summary>
/// <param name="containsKey">Whether a key set holds a key id.</param>
/// <param name="fetch">
/// Fetches the keys and how long they may be kept; answers null when the fetch failed, after logging why (it is told
/// whether keys fetched before remain in use). Throws only OperationCanceledException when the caller went away.
/// </param>
public sealed class KeySetCache<TKeys>(
    TimeProvider time,
    TimeSpan minRefetchInterval,
    Func<TKeys, string, bool> containsKey,
    Func<bool, CancellationToken, Task<(TKeys Keys, TimeSpan Lifetime)?>> fetch)
    where TKeys : class
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile KeySet? current;

    // Read and written only inside the gate.
    private DateTimeOffset lastAttempt = DateTimeOffset.MinValue;

    /// <summary>The keys, refetched first when wanted and allowed; null only when no fetch has ever succeeded.</summary>
    public async Task<TKeys?> GetAsync(string? kid, CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot is not null && !Wanted(snapshot, kid))
        {
            return snapshot.Keys;
        }

        // Through the gate even when too soon to fetch: a fetch in flight may be about to bring the keys.
        await gate.WaitAsync(cancellationToken);
        try
        {
            snapshot = current;
            if (Wanted(snapshot, kid) && time.GetUtcNow() - lastAttempt >= minRefetchInterval)
            {
                var before = lastAttempt;
                lastAttempt = time.GetUtcNow();
                try
                {
                    if (await fetch(snapshot is not null, cancellationToken) is { } fetched)
                    {
                        current = new KeySet(fetched.Keys, time.GetUtcNow() + fetched.Lifetime);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The caller went away; that says nothing about the issuer, so the next request may fetch at once.
                    lastAttempt = before;
                    throw;
                }
            }
            return current?.Keys;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Whether fresh keys are wanted: none yet, expired, or without the token's key id.</summary>
    private bool Wanted(KeySet? snapshot, string? kid) =>
        snapshot is null
        || time.GetUtcNow() >= snapshot.ExpiresAt
        || (!string.IsNullOrEmpty(kid) && !containsKey(snapshot.Keys, kid));

    private sealed record KeySet(TKeys Keys, DateTimeOffset ExpiresAt);
}
