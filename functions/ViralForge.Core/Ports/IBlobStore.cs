namespace ViralForge.Core.Ports;

/// <summary>What the blob store holds under a key.</summary>
public sealed record BlobInfo(string Key, long SizeBytes, string Sha256);

/// <summary>Files the stages produce: a folder locally, Cloud Storage in production. Writes are atomic.</summary>
public interface IBlobStore
{
    /// <summary>Stores the file under the key, replacing any earlier blob atomically.</summary>
    Task<BlobInfo> PutFileAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <summary>Copies the blob to a local file. Throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes one blob; a missing blob counts as deleted (compensations run twice).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes every blob whose key starts with the prefix; returns how many went.</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>A URL a person can open to read the blob: a file URL locally, a signed URL in production.</summary>
    Task<Uri> GetReadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken);
}
