using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Local;

/// <summary>What the local publisher writes next to each video.</summary>
/// <param name="PublishedAt">When the video was copied here (uploaded).</param>
/// <param name="Status">"scheduled" when the row's Publish At was still ahead at upload, else "published" (JobStatus words).</param>
/// <param name="LiveAt">When the video goes (or went) live: the Publish At when scheduled, else the upload time.</param>
/// <param name="Credits">Who made the stock or generated clips (provider, id, author, page, licence); empty for generated visuals.</param>
public sealed record PublishManifest(Guid JobId, string Title, string Description, IReadOnlyList<string> Tags, IReadOnlyList<string> Platforms,
    DateTimeOffset? PublishAt, DateTimeOffset PublishedAt, string Video, long SizeBytes, string Status = JobStatus.Published, DateTimeOffset? LiveAt = null,
    IReadOnlyList<ClipCredit>? Credits = null);

/// <summary>JSON for the manifest.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PublishManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

/// <summary>
/// Publishing offline: the MP4 is copied into {work folder}/published/{job}/ with a manifest.json that
/// says what would have gone to each platform, and when it goes live: a row with a Publish At still ahead is
/// "scheduled" with that time as liveAt, as a platform would hold it until then. Both files are written atomically;
/// publishing the same job again finds them and does nothing. The copy goes in chunks and reports the share copied,
/// as an upload does.
/// </summary>
public sealed class LocalFolderPublisher(IOptions<ViralForgeOptions> options, TimeProvider time) : IPublisher
{
    private readonly string root = Path.GetFullPath(Path.Combine(options.Value.WorkFolder, "published"));

    /// <summary>The copy's chunk: small enough that a 30 s video reports a few dozen times, large enough to copy at disk speed.</summary>
    public const int ChunkBytes = 256 * 1024;

    public async Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken, IProgress<double>? progress = null)
    {
        var folder = FolderFor(request.JobId);
        Directory.CreateDirectory(folder);
        var video = Path.Combine(folder, $"{Slug(request.Title)}.mp4");
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            await CopyReportingAsync(request.VideoPath, video, progress, cancellationToken);
            var platforms = Enum.GetValues<Platforms>()
                .Where(p => p is Platforms.YouTube or Platforms.TikTok && request.Platforms.HasFlag(p))
                .Select(p => p.ToString().ToLowerInvariant())
                .ToList();
            var now = time.GetUtcNow();
            var status = JobStatus.AfterPublish(request.PublishAt, now);
            var manifest = new PublishManifest(request.JobId, request.Title, request.Description, request.Tags, platforms,
                request.PublishAt, now, Path.GetFileName(video), new FileInfo(video).Length, status,
                status == JobStatus.Scheduled ? request.PublishAt : now, request.Credits ?? []);
            await AtomicFile.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, ManifestJson.Default.PublishManifest), cancellationToken);
        }
        var written = JsonSerializer.Deserialize(await File.ReadAllTextAsync(manifestPath, cancellationToken), ManifestJson.Default.PublishManifest)!;
        var path = Path.Combine(folder, written.Video);
        return [new PublishedVideo("local", new Uri(path).AbsoluteUri, written.JobId.ToString())];
    }

    /// <summary>Copies the video in chunks, atomically (AtomicFile), reporting the share copied after each chunk.</summary>
    private static async Task CopyReportingAsync(string sourcePath, string path, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, useAsync: true);
        var total = source.Length;
        await AtomicFile.WriteAsync(path, async (target, ct) =>
        {
            var buffer = new byte[ChunkBytes];
            long copied = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                copied += read;
                progress?.Report(total == 0 ? 1 : (double)copied / total);
            }
        }, cancellationToken);
        progress?.Report(1);
    }

    public Task UnpublishAsync(Guid jobId, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken)
    {
        var folder = FolderFor(jobId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        return Task.CompletedTask;
    }

    private string FolderFor(Guid jobId) => Path.Combine(root, jobId.ToString("N"));

    /// <summary>A file name from the title: letters and digits of any script, dashes between words.</summary>
    public static string Slug(string title)
    {
        var builder = new StringBuilder();
        foreach (var c in title.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
            if (builder.Length >= 60)
            {
                break;
            }
        }
        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "video" : slug;
    }
}
