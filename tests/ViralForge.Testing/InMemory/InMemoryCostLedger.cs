using ViralForge.Core.Ports;

namespace ViralForge.Testing.InMemory;

/// <summary>
/// The cost ledger in memory, with the contract of <see cref="ICostLedger"/>: one call per <see cref="PaidWork"/>, the
/// first write's units and cost kept, a later write only adding a result (or vendor id) to a call stored without one.
/// One lock makes every call atomic, as the SQL ledger's single statements are. Times come from the injected clock.
/// </summary>
public sealed class InMemoryCostLedger(TimeProvider? time = null) : ICostLedger
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly List<PaidCall> calls = [];

    /// <summary>Every recorded call, by call name, for tests that check what was paid.</summary>
    public IReadOnlyList<PaidCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls.OrderBy(c => c.Work.Call, StringComparer.Ordinal)];
            }
        }
    }

    public Task<PaidCall?> FindAsync(PaidWork work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(calls.FirstOrDefault(c => c.Work == work));
        }
    }

    public Task RecordAsync(PaidCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var index = calls.FindIndex(c => c.Work == call.Work);
            if (index < 0)
            {
                calls.Add(call with { At = call.At ?? clock.GetUtcNow() });
            }
            else
            {
                var stored = calls[index];
                calls[index] = stored with { VendorId = stored.VendorId ?? call.VendorId, Result = stored.Result ?? call.Result };
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PaidCall>> ListAsync(Guid jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<PaidCall>>([.. calls.Where(c => c.Work.JobId == jobId)]);
        }
    }

    public Task<decimal> UnitsSinceAsync(string provider, string unitKind, DateTimeOffset from, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(calls.Where(c => c.Provider == provider && c.UnitKind == unitKind && c.At >= from).Sum(c => c.Units));
        }
    }
}
