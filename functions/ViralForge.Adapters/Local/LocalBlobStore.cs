using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Local;

/// <summary>The blob store as files under {work folder}/blobs. Writes go to a temp file first, then a rename.</summary>
public sealed class LocalBlobStore(IOptions<ViralForgeOptions> options) : IBlobStore
{
    private readonly string root = Path.GetFullPath(Path.Combine(options.Value.WorkFolder, "blobs"));

    public async Task<BlobInfo> PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using var source = File.OpenRead(localPath);
        // Hashed while copying, so the file is read once.
        await AtomicFile.WriteAsync(PathFor(key), async (destination, ct) =>
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                size += read;
            }
        }, cancellationToken);
        return new BlobInfo(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        var source = PathFor(key);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"Blob '{key}' does not exist.", source);
        }
        return AtomicFile.CopyAsync(source, localPath, cancellationToken);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathFor(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathFor(key)); // a missing file is not an error: compensations run twice
        return Task.CompletedTask;
    }

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = PathFor(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(0);
        }
        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }

    public Task<Uri> GetReadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri(PathFor(key)));

    /// <summary>The file for a key; keys that would leave the blob folder are refused.</summary>
    public string PathFor(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('\\', StringComparison.Ordinal) || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"Blob key '{key}' is not a clean relative path.", nameof(key));
        }
        var full = Path.GetFullPath(Path.Combine(root, key));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob key '{key}' points outside the blob folder.", nameof(key));
        }
        return full;
    }
}
