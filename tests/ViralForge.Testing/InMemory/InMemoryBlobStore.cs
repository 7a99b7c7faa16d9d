using System.Collections.Concurrent;
using System.Security.Cryptography;
using ViralForge.Core.Ports;

namespace ViralForge.Testing.InMemory;

/// <summary>
/// The blob store in memory. Keeps <see cref="IBlobStore"/>'s contract: a put replaces the blob whole, a download
/// of a missing blob throws <see cref="FileNotFoundException"/>, deleting a missing blob is not an error.
/// </summary>
public sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<string, byte[]> blobs = new(StringComparer.Ordinal);

    /// <summary>Every key held now, in ordinal order.</summary>
    public IReadOnlyList<string> Keys => [.. blobs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Stores bytes under a key directly, as if a stage had put a file there.</summary>
    public BlobInfo Put(string key, byte[] content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        blobs[key] = [.. content];
        return new BlobInfo(key, content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    public async Task<BlobInfo> PutFileAsync(string key, string localPath, CancellationToken cancellationToken) =>
        Put(key, await File.ReadAllBytesAsync(localPath, cancellationToken));

    public async Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        if (!blobs.TryGetValue(key, out var content))
        {
            throw new FileNotFoundException($"Blob '{key}' does not exist.", key);
        }
        await File.WriteAllBytesAsync(localPath, content, cancellationToken);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(blobs.ContainsKey(key));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        blobs.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var key in blobs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (blobs.TryRemove(key, out _))
            {
                deleted++;
            }
        }
        return Task.FromResult(deleted);
    }

    public Task<Uri> GetReadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri($"memory://blobs/{Uri.EscapeDataString(key)}"));
}
