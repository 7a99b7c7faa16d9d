using System.Text.Json;
using ViralForge.Core.Jobs;

namespace ViralForge.Core.Ports;

/// <summary>
/// The piece of work a paid call does: one call of one stage attempt's generation, named by what it is for
/// ("script", "script-repair", "moderation", "tts-part-2"). The same key on a redelivery is the same work, so the
/// stored call is reused instead of paying again.
/// </summary>
public sealed record PaidWork(Guid JobId, StageName Stage, int Generation, string Call)
{
    public PaidWork For(string call) => this with { Call = call };
}

/// <summary>
/// One paid call as the ledger keeps it: what it was for, who was paid, how much of what (tokens, characters, seconds,
/// credits, quota units) and what that cost at the price table of <paramref name="PricesOf"/>.
/// </summary>
/// <param name="VendorId">The vendor's task, session or operation id, stored before the stage waits on it.</param>
/// <param name="Result">What the call returned (or where it is stored), so a redelivery reuses it; null until it answered.</param>
public sealed record PaidCall(
    PaidWork Work,
    string Provider,
    decimal Units,
    string UnitKind,
    decimal Usd,
    DateOnly PricesOf,
    string? VendorId = null,
    JsonElement? Result = null,
    DateTimeOffset? At = null);

/// <summary>
/// Every paid call, recorded where it is made. A provider looks its work up first and reuses a stored result; it
/// records the vendor's id before it waits on a long call and the units and result when the call answers. Records are
/// idempotent by <see cref="PaidWork"/>: a repeat changes nothing once a result is stored.
/// </summary>
public interface ICostLedger
{
    /// <summary>The call made earlier for this work (a redelivery of the same attempt), or null.</summary>
    Task<PaidCall?> FindAsync(PaidWork work, CancellationToken cancellationToken);

    /// <summary>Records the call: first write wins for units and cost; a later write may add the result to a call stored without one.</summary>
    Task RecordAsync(PaidCall call, CancellationToken cancellationToken);

    /// <summary>Every call of one job, oldest first.</summary>
    Task<IReadOnlyList<PaidCall>> ListAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The units of one kind a provider was charged from <paramref name="from"/> on, across every job: the quota
    /// windows read it (YouTube quota units since the last Pacific midnight, TikTok posts of an account today).
    /// </summary>
    Task<decimal> UnitsSinceAsync(string provider, string unitKind, DateTimeOffset from, CancellationToken cancellationToken);
}
