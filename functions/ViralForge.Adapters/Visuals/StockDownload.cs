using System.Globalization;

namespace ViralForge.Adapters.Visuals;

/// <summary>
/// Downloads a stock rendition to a local file: the visuals stage then stores it in the blob store, because the stock
/// sites' links are not ours to hotlink. No key is sent (the file hosts need none, and a key must not travel to
/// another host); the file is written beside its final name and renamed when whole, and a file over the size limit stops.
/// </summary>
public static class StockDownload
{
    public static async Task DownloadAsync(HttpClient http, Uri url, string path, long maxBytes, string vendor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + $".{Guid.NewGuid():N}.partial";
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    string.Create(CultureInfo.InvariantCulture, $"{vendor} answered {(int)response.StatusCode} for a clip's file ({url.Host}{url.AbsolutePath})."),
                    null, response.StatusCode);
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{vendor}'s clip file is {response.Content.Headers.ContentLength / 1_048_576.0:0.#} MB, over Visuals:MaxDownloadMegabytes ({maxBytes / 1_048_576} MB)."));
            }
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (var target = File.Create(partial))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"{vendor}'s clip file is over Visuals:MaxDownloadMegabytes ({maxBytes / 1_048_576} MB)."));
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                if (total == 0)
                {
                    throw new InvalidDataException($"{vendor} answered an empty file for a clip ({url.Host}{url.AbsolutePath}).");
                }
            }
            File.Move(partial, full, overwrite: true);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{vendor}'s clip file did not arrive within {http.Timeout.TotalSeconds:0.###} s (Visuals:DownloadTimeout)."), e);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
