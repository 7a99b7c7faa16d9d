using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json.Serialization;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Voices;

/// <summary>What the ledger keeps of one paid voice call: where its audio is stored, and its word timings if it had any.</summary>
public sealed record StoredVoicePart(string? Blob, IReadOnlyList<WordTiming>? Words);

[JsonSerializable(typeof(StoredVoicePart))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class VoicePartJson : JsonSerializerContext;

/// <summary>The price of one paid call, as the provider's price table gives it.</summary>
public sealed record VoiceCharge(string Provider, decimal Units, string UnitKind, decimal Usd, DateOnly PricesOf);

/// <summary>
/// Pays for each part of a narration at most once per paid work: a call already in the ledger (a redelivery after a
/// crash between the paid call and the stage's commit) is answered from the blob it stored; a new one is made, its audio
/// stored under the job's voice generation, and only then recorded, so a record always names audio that exists.
/// </summary>
public sealed class PaidVoiceParts(string provider, IBlobStore blobs, ICostLedger? ledger = null, ILogger? log = null)
{
    /// <summary>A made call's audio (written to the local path) with its timings, and what it cost.</summary>
    public sealed record Bought(IReadOnlyList<WordTiming>? Words, VoiceCharge Charge);

    /// <summary>
    /// The part's audio at <paramref name="localPath"/> and its timings: the stored ones when <paramref name="work"/> was
    /// paid for already, else <paramref name="buy"/>'s.
    /// </summary>
    public async Task<IReadOnlyList<WordTiming>?> GetOrBuyAsync(PaidWork? work, string localPath, Func<CancellationToken, Task<Bought>> buy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buy);
        if (work is not null && ledger is not null && await ledger.FindAsync(work, cancellationToken) is { Result: { } result })
        {
            var stored = result.Deserialize(VoicePartJson.Default.StoredVoicePart);
            if (stored?.Blob is { } blob)
            {
                try
                {
                    await blobs.DownloadToFileAsync(blob, localPath, cancellationToken);
                    Log.PaidVoicePartReused(provider, work.Call, work.JobId, work.Generation, blob);
                    return stored.Words;
                }
                catch (FileNotFoundException)
                {
                    // The record outlived its blob (a generation cleaned up): pay again rather than fail the row.
                }
            }
            else if (stored is not null)
            {
                return stored.Words;
            }
        }
        var bought = await buy(cancellationToken);
        Log.PaidVoicePartBought(provider, work?.Call ?? "unrecorded", bought.Charge.Units, bought.Charge.UnitKind, bought.Charge.Usd, bought.Charge.PricesOf);
        if (work is not null)
        {
            var key = BlobKeys.For(work.JobId, work.Stage, work.Generation, work.Call + Path.GetExtension(localPath));
            await blobs.PutFileAsync(key, localPath, cancellationToken);
            await RecordAsync(work, bought.Charge, new StoredVoicePart(key, bought.Words), cancellationToken);
        }
        return bought.Words;
    }

    /// <summary>The stored answer of a call that made no audio (a transcription), or null when it was not made yet.</summary>
    public async Task<IReadOnlyList<WordTiming>?> FindWordsAsync(PaidWork? work, CancellationToken cancellationToken) =>
        work is not null && ledger is not null && await ledger.FindAsync(work, cancellationToken) is { Result: { } result }
            ? result.Deserialize(VoicePartJson.Default.StoredVoicePart)?.Words
            : null;

    /// <summary>Records a call that made no audio (a transcription) with what it answered.</summary>
    public Task RecordAsync(PaidWork? work, VoiceCharge charge, IReadOnlyList<WordTiming> words, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charge);
        Log.PaidVoicePartBought(provider, work?.Call ?? "unrecorded", charge.Units, charge.UnitKind, charge.Usd, charge.PricesOf);
        return work is null ? Task.CompletedTask : RecordAsync(work, charge, new StoredVoicePart(null, words), cancellationToken);
    }

    private ILogger Log => log ?? NullLogger.Instance;

    private async Task RecordAsync(PaidWork work, VoiceCharge charge, StoredVoicePart part, CancellationToken cancellationToken)
    {
        if (ledger is null)
        {
            return;
        }
        var result = JsonSerializer.SerializeToElement(part, VoicePartJson.Default.StoredVoicePart);
        await ledger.RecordAsync(new PaidCall(work, charge.Provider, charge.Units, charge.UnitKind, charge.Usd, charge.PricesOf, Result: result), cancellationToken);
    }
}
