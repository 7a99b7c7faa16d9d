using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>
/// The blob store in production: one Cloud Storage object per key in Google:Storage:Bucket. Uploads are resumable and
/// survive dropped connections; downloads land in a temporary file first; read URLs are V4 signed URLs.
/// </summary>
public sealed class GcsBlobStore(
    IHttpClientFactory clients,
    IUrlSigner signer,
    IOptions<CloudStorageOptions> options,
    TimeProvider time,
    ILogger<GcsBlobStore> log) : IBlobStore
{
    /// <summary>JSON API calls, retried on 408, 429, 5xx, dropped connections and timeouts (all of them safe to repeat).</summary>
    public const string HttpClientName = "google-cloud-storage";

    /// <summary>Upload chunks: never retried as such, because a failed chunk is resumed from what the server kept.</summary>
    public const string UploadHttpClientName = "google-cloud-storage-upload";

    internal const string Api = "Cloud Storage";

    // Deletes of one prefix run this many at a time: a job has tens of blobs, not thousands.
    private const int DeleteParallelism = 8;

    public async Task<BlobInfo> PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        var o = options.Value;
        var (size, sha256, md5) = await HashFileAsync(localPath, cancellationToken);
        log.UploadStarting(key, size, o.Bucket, o.ChunkSize);

        var session = await StartSessionAsync(key, size, md5, o, cancellationToken);
        var upload = new ResumableUpload(clients.CreateClient(UploadHttpClientName), session, key, localPath, size, o, time, log);
        var stored = await upload.RunAsync(cancellationToken);

        // Cloud Storage checked the bytes against the md5Hash sent with the metadata; this catches a server that did not.
        if ((stored.Size is { } storedSize && storedSize != size.ToString(CultureInfo.InvariantCulture))
            || (stored.Md5Hash is { } storedMd5 && storedMd5 != Convert.ToBase64String(md5)))
        {
            throw new IOException($"gs://{o.Bucket}/{key} was stored as {stored.Size} bytes with MD5 {stored.Md5Hash}; the file has {size} bytes with MD5 {Convert.ToBase64String(md5)}.");
        }
        log.Uploaded(key, size, stored.Generation);
        return new BlobInfo(key, size, Convert.ToHexStringLower(sha256));
    }

    public async Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        var o = options.Value;
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{ObjectPath(o, key)}?alt=media"), HttpCompletionOption.ResponseHeadersRead, o, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"Blob '{key}' does not exist in gs://{o.Bucket}.", key);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
        }

        var expectedMd5 = Md5From(response);
        long size = 0;
        // Into a temporary file, renamed over the target only when every byte is in and checked: a dropped
        // connection leaves the target as it was.
        await AtomicFile.WriteAsync(localPath, async (destination, ct) =>
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using var source = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                size += read;
            }
            var actual = Convert.ToBase64String(md5.GetHashAndReset());
            if (expectedMd5 is not null && actual != expectedMd5)
            {
                throw new IOException($"Download of gs://{o.Bucket}/{key} arrived with MD5 {actual}, not the {expectedMd5} Cloud Storage sent in x-goog-hash.");
            }
        }, cancellationToken);
        log.Downloaded(key, size, localPath);
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        var o = options.Value;
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{ObjectPath(o, key)}?fields=name"), HttpCompletionOption.ResponseContentRead, o, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        return response.IsSuccessStatusCode ? true : throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        await DeleteObjectAsync(key, options.Value, cancellationToken);
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var o = options.Value;
        // A folder, as the local store reads it: "jobs/abc" must not take "jobs/abcdef/..." with it.
        var folder = prefix.TrimEnd('/') + "/";
        ValidateKey(folder.TrimEnd('/'));
        var deleted = 0;
        string? pageToken = null;
        do
        {
            var query = $"storage/v1/b/{Uri.EscapeDataString(o.Bucket)}/o?prefix={Uri.EscapeDataString(folder)}&fields={Uri.EscapeDataString("items(name),nextPageToken")}"
                + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}");
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, query), HttpCompletionOption.ResponseContentRead, o, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
            }
            var page = await GoogleResponses.ReadJsonAsync(Api, response, StorageJson.Default.StorageObjectList, cancellationToken);
            var names = (page.Items ?? []).Select(i => i.Name).OfType<string>().ToList();
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken }, async (name, ct) =>
            {
                if (await DeleteObjectAsync(name, o, ct))
                {
                    Interlocked.Increment(ref deleted);
                }
            });
            pageToken = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(pageToken));
        log.PrefixDeleted(deleted, folder, o.Bucket);
        return deleted;
    }

    /// <summary>A V4 signed GET URL, valid for <paramref name="validFor"/> (at most 7 days, V4's limit).</summary>
    public Task<Uri> GetReadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        if (validFor <= TimeSpan.Zero || validFor > V4SignedUrl.MaxValidity)
        {
            throw new ArgumentOutOfRangeException(nameof(validFor), validFor, "A V4 signed URL is valid for more than 0 and at most 7 days (604800 s).");
        }
        var o = options.Value;
        return V4SignedUrl.SignAsync(new V4SigningRequest("GET", o.BaseAddress, o.Bucket, key, signer.ServiceAccountEmail, time.GetUtcNow(), validFor), signer, cancellationToken);
    }

    /// <summary>Keys are clean relative paths, as for the local store, so a key that works locally works here.</summary>
    public static void ValidateKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('\\', StringComparison.Ordinal) || key.Any(char.IsControl)
            || key.Split('/').Any(part => part is "" or "." or "..") || Encoding.UTF8.GetByteCount(key) > 1024)
        {
            throw new ArgumentException($"Blob key '{key}' is not a clean relative path of at most 1024 bytes.", nameof(key));
        }
    }

    /// <summary>The type the object is served with, so a signed URL plays in a browser instead of downloading.</summary>
    public static string ContentTypeFor(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".mp4" => "video/mp4",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".json" => "application/json",
        ".wav" => "audio/wav",
        ".mp3" => "audio/mpeg",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };

    /// <summary>storage/v1/b/{bucket}/o/{object}, the object name fully percent-encoded ("/" as %2F), as the JSON API requires.</summary>
    private static string ObjectPath(CloudStorageOptions o, string key) =>
        $"storage/v1/b/{Uri.EscapeDataString(o.Bucket)}/o/{Uri.EscapeDataString(key)}";

    private async Task<Uri> StartSessionAsync(string key, long size, byte[] md5, CloudStorageOptions o, CancellationToken cancellationToken)
    {
        var contentType = ContentTypeFor(key);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(new UploadMetadata(key, contentType, Convert.ToBase64String(md5)), StorageJson.Default.UploadMetadata);
        var content = new ByteArrayContent(metadata);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, $"upload/storage/v1/b/{Uri.EscapeDataString(o.Bucket)}/o?uploadType=resumable&name={Uri.EscapeDataString(key)}")
        {
            Content = content,
        };
        request.Headers.Add("X-Upload-Content-Type", contentType);
        request.Headers.Add("X-Upload-Content-Length", size.ToString(CultureInfo.InvariantCulture));
        // Safe to retry: a session whose answer was lost stores nothing and expires on its own.
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, o, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
        }
        return response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(o.BaseAddress, location)
            : throw new GoogleApiException(Api, (int)response.StatusCode, "started a resumable upload without a Location header (the session URI)");
    }

    /// <summary>True when this call deleted the object; false when it was already gone (compensations run twice).</summary>
    private async Task<bool> DeleteObjectAsync(string key, CloudStorageOptions o, CancellationToken cancellationToken)
    {
        // Repeating a delete is safe here: keys carry the stage's generation, so no newer object can take the name meanwhile.
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, ObjectPath(o, key)), HttpCompletionOption.ResponseContentRead, o, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        return response.IsSuccessStatusCode ? true : throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CloudStorageOptions o, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await clients.CreateClient(HttpClientName).SendAsync(request, completion, cancellationToken);
            }
            catch (TimeoutRejectedException ex)
            {
                throw new TimeoutException(
                    $"{Api} did not answer {request.Method} within Google:Storage:AttemptTimeout ({o.AttemptTimeout}) in {o.MaxRetryAttempts + 1} attempts.", ex);
            }
        }
    }

    /// <summary>The MD5 in "x-goog-hash: crc32c=...,md5=...", when Cloud Storage sent one (composite objects have none).</summary>
    private static string? Md5From(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("x-goog-hash", out var values))
        {
            return null;
        }
        return values.SelectMany(v => v.Split(','))
            .Select(part => part.Trim())
            .Where(part => part.StartsWith("md5=", StringComparison.Ordinal))
            .Select(part => part[4..])
            .FirstOrDefault();
    }

    private static async Task<(long Size, byte[] Sha256, byte[] Md5)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // MD5 only because Cloud Storage checks uploads against it; SHA-256 is what BlobInfo reports.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            size += read;
        }
        return (size, sha256.GetHashAndReset(), md5.GetHashAndReset());
    }
}
