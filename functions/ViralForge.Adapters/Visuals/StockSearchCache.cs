using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Visuals;

/// <summary>
/// Stock search answers kept in the blob store for <see cref="VisualsOptions.CacheHours"/> (Pixabay's terms ask for
/// 24 h), keyed by the site and the normalised search: a video of the same topic, a retried stage, or another host
/// asks the site nothing, which keeps Pexels' 200 requests an hour for new queries. The blob store is the local
/// folder or Cloud Storage, so the cache works, and is shared, in both profiles.
/// </summary>
public sealed class StockSearchCache(IBlobStore blobs, IOptions<VisualsOptions> options, TimeProvider time)
{
    /// <summary>Where the answers live in the blob store.</summary>
    public const string Prefix = "cache/stock/";

    /// <summary>The cached answer of <paramref name="search"/> on <paramref name="provider"/>, or <paramref name="searchSite"/>'s, stored.</summary>
    public async Task<IReadOnlyList<StockClip>> GetOrSearchAsync(
        string provider, StockSearch search, Func<CancellationToken, Task<IReadOnlyList<StockClip>>> searchSite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(searchSite);
        var maxAge = TimeSpan.FromHours(options.Value.CacheHours);
        if (maxAge <= TimeSpan.Zero)
        {
            return await searchSite(cancellationToken);
        }
        var key = KeyFor(provider, search);
        if (await ReadAsync(key, cancellationToken) is { } entry && time.GetUtcNow() - entry.StoredAt < maxAge)
        {
            return entry.Clips;
        }
        var clips = await searchSite(cancellationToken);
        await WriteAsync(key, new StockCacheEntry(time.GetUtcNow(), provider, Normalise(search.Query), clips), cancellationToken);
        return clips;
    }

    /// <summary>The blob key of a search: the site, and a hash of the normalised query and what else shapes the answer.</summary>
    public static string KeyFor(string provider, StockSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var text = $"{Normalise(search.Query)}\n{search.Orientation}\n{search.Language.ToLowerInvariant()}\n{search.PerPage}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
        return $"{Prefix}{provider}/{hash}.json";
    }

    /// <summary>"  Ocean   Waves " and "ocean waves" are one search: lower case, trimmed, single spaces.</summary>
    public static string Normalise(string query) =>
        string.Join(' ', (query ?? "").ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private async Task<StockCacheEntry?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vf-stock-cache-{Guid.NewGuid():N}.json");
        try
        {
            await blobs.DownloadToFileAsync(key, path, cancellationToken);
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(stream, VisualsJsonContext.Default.StockCacheEntry, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // A damaged entry is a miss: the search is asked again and the entry replaced.
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task WriteAsync(string key, StockCacheEntry entry, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vf-stock-cache-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(entry, VisualsJsonContext.Default.StockCacheEntry), cancellationToken);
            await blobs.PutFileAsync(key, path, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>One cached search answer and when it was asked.</summary>
public sealed record StockCacheEntry(DateTimeOffset StoredAt, string Provider, string Query, IReadOnlyList<StockClip> Clips);

/// <summary>Source-generated JSON of the stock search cache.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StockCacheEntry))]
public sealed partial class VisualsJsonContext : JsonSerializerContext;
