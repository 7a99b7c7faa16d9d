using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Runway;

/// <summary>What <see cref="GeneratedClips.GenerateOnceAsync"/> needs of a generator: its name, its ledger, its blob store and its log.</summary>
public sealed record GeneratorParts(string Provider, ICostLedger Ledger, IBlobStore Blobs, Microsoft.Extensions.Logging.ILogger Log);

/// <summary>What the ledger keeps of a finished generation: where its clip is stored and how long it is.</summary>
public sealed record StoredGeneratedClip(string Blob, double Seconds);

[JsonSerializable(typeof(StoredGeneratedClip))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class GeneratedClipJson : JsonSerializerContext;

/// <summary>
/// What the AI video generators (Runway, Veo) share about paying once: a generation whose clip is stored is answered from
/// the blob store with no call at all; a finished one is stored under the job's stage generation and its blob recorded
/// as the paid call's result; and the waits between polls are jittered.
/// </summary>
public static class GeneratedClips
{
    /// <summary>
    /// The one way a generator makes a clip, in the order that never pays twice: a stored clip is downloaded from the blob
    /// store with no vendor call; a stored vendor id (task, operation) is waited on again; otherwise
    /// <paramref name="startAsync"/> starts the paid work and the call it returns (its VendorId set) is recorded before the
    /// first poll, uncancellably, since the vendor is already charging. <paramref name="fetchAsync"/> then waits for the
    /// vendor id's clip and writes it to <paramref name="outputPath"/>, and the clip is stored and recorded as the call's
    /// result.
    /// </summary>
    public static async Task<GeneratedVideo> GenerateOnceAsync(
        PaidWork work,
        string outputPath,
        int seconds,
        GeneratorParts parts,
        Func<CancellationToken, Task<PaidCall>> startAsync,
        Func<string, CancellationToken, Task> fetchAsync,
        Func<string, ClipCredit> credit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(startAsync);
        ArgumentNullException.ThrowIfNull(fetchAsync);
        ArgumentNullException.ThrowIfNull(credit);
        var (provider, ledger, blobs, log) = parts;
        var stored = await ledger.FindAsync(work, cancellationToken);
        if (await TryReuseAsync(stored, blobs, outputPath, cancellationToken) is { } reused)
        {
            log.ClipReused(provider, work.Call, work.JobId, work.Generation, reused.Blob);
            return new GeneratedVideo(outputPath, reused.Seconds, credit(stored!.VendorId ?? ""));
        }
        PaidCall paid;
        if (stored is { VendorId: { Length: > 0 } resumed })
        {
            paid = stored;
            log.GenerationResumed(provider, resumed, work.Call, work.JobId);
        }
        else
        {
            paid = await startAsync(cancellationToken);
            await ledger.RecordAsync(paid, CancellationToken.None);
            log.GenerationStarted(provider, paid.VendorId!, work.Call, work.JobId, seconds, paid.Units, paid.UnitKind, paid.Usd, paid.PricesOf);
        }
        var vendorId = paid.VendorId!;
        await fetchAsync(vendorId, cancellationToken);
        await StoreAsync(ledger, blobs, paid, outputPath, seconds, cancellationToken);
        log.ClipStored(provider, vendorId, BlobKey(work));
        return new GeneratedVideo(outputPath, seconds, credit(vendorId));
    }

    /// <summary>jobs/{job}/{stage}/g{generation}/{call}.mp4: one clip per paid work.</summary>
    public static string BlobKey(PaidWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return BlobKeys.For(work.JobId, work.Stage, work.Generation, work.Call + ".mp4");
    }

    /// <summary>
    /// The stored clip of <paramref name="call"/> downloaded to <paramref name="outputPath"/>, or null when the call has no
    /// stored clip yet (or its blob is gone: a generation cleaned up), so the generator resumes or starts the work.
    /// </summary>
    public static async Task<StoredGeneratedClip?> TryReuseAsync(PaidCall? call, IBlobStore blobs, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        if (call?.Result is not { ValueKind: JsonValueKind.Object } result)
        {
            return null;
        }
        StoredGeneratedClip? stored;
        try
        {
            stored = result.Deserialize(GeneratedClipJson.Default.StoredGeneratedClip);
        }
        catch (JsonException)
        {
            // A result some other code wrote: not ours to reuse; the stored vendor id still resumes the generation.
            return null;
        }
        if (stored is null || string.IsNullOrEmpty(stored.Blob))
        {
            return null;
        }
        try
        {
            await blobs.DownloadToFileAsync(stored.Blob, outputPath, cancellationToken);
            return stored;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores the downloaded clip and records it as the result of <paramref name="paid"/> (the call recorded when the
    /// vendor took the work), so a redelivery reuses the file instead of calling the vendor again.
    /// </summary>
    public static async Task StoreAsync(ICostLedger ledger, IBlobStore blobs, PaidCall paid, string localPath, double seconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(paid);
        var key = BlobKey(paid.Work);
        await blobs.PutFileAsync(key, localPath, cancellationToken);
        var result = JsonSerializer.SerializeToElement(new StoredGeneratedClip(key, seconds), GeneratedClipJson.Default.StoredGeneratedClip);
        await ledger.RecordAsync(paid with { Result = result }, cancellationToken);
    }

    /// <summary>The allowed duration nearest <paramref name="seconds"/>; a tie takes the longer one, which the renderer cuts rather than loops.</summary>
    public static int NearestDuration(IReadOnlyList<int> allowed, double seconds)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return allowed.OrderBy(d => Math.Abs(d - seconds)).ThenByDescending(d => d).First();
    }

    /// <summary><paramref name="interval"/> give or take up to <paramref name="jitter"/>, never below a millisecond.</summary>
    public static TimeSpan Jittered(TimeSpan interval, TimeSpan jitter)
    {
        var offset = jitter <= TimeSpan.Zero ? TimeSpan.Zero : jitter * (Random.Shared.NextDouble() * 2 - 1);
        var wait = interval + offset;
        return wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
    }

    /// <summary>The wait after the <paramref name="failures"/>th poll in a row that got no usable answer: doubling, capped, jittered.</summary>
    public static TimeSpan Backoff(TimeSpan interval, TimeSpan max, TimeSpan jitter, int failures)
    {
        var doubled = interval * Math.Pow(2, Math.Min(failures, 16));
        return Jittered(doubled > max ? max : doubled, jitter);
    }

    /// <summary>
    /// Downloads a finished clip into <paramref name="path"/> (atomically). 403, 404 and 410 mean a signed URL that
    /// expired or an object that is gone: the clip cannot be had any more, so the beat falls back to stock.
    /// </summary>
    public static async Task DownloadAsync(HttpClient http, HttpRequestMessage request, string path, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Transient: the next delivery finds the vendor id stored and fetches the clip again.
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{provider} clip did not download within {http.Timeout.TotalSeconds:0.###} s."), e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                throw new VideoGenerationFailedException(provider, $"the clip expired before it was fetched ({(int)response.StatusCode} from its download URL)");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{provider} clip download answered {(int)response.StatusCode}.", null, response.StatusCode);
            }
            long size = 0;
            await AtomicFile.WriteAsync(path, async (destination, ct) =>
            {
                await using var source = await response.Content.ReadAsStreamAsync(ct);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
            }, cancellationToken);
            if (size == 0)
            {
                File.Delete(path);
                throw new InvalidDataException($"{provider} clip downloaded empty.");
            }
        }
    }

    /// <summary><paramref name="text"/> with <paramref name="secret"/> replaced, for a vendor's message that might echo it.</summary>
    public static string Redact(string text, string? secret)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "[redacted]", StringComparison.Ordinal);
    }

    /// <summary>A vendor's text cut to a length fit for a row's Error cell.</summary>
    public static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
