using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Local;

/// <summary>What the local publisher writes next to each video.</summary>
public sealed record PublishManifest(Guid JobId, string Title, string Description, IReadOnlyList<string> Tags, IReadOnlyList<string> Platforms,
    DateTimeOffset? PublishAt, DateTimeOffset PublishedAt, string Video, long SizeBytes);

/// <summary>JSON for the manifest.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PublishManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

/// <summary>
/// Publishing offline: the MP4 is copied into {work folder}/published/{job}/ with a manifest.json that
/// says what would have gone to each platform. Both files are written atomically; publishing the same
/// job again finds them and does nothing.
/// </summary>
public sealed class LocalFolderPublisher(IOptions<ViralForgeOptions> options, TimeProvider time) : IPublisher
{
    private readonly string root = Path.GetFullPath(Path.Combine(options.Value.WorkFolder, "published"));

    public async Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var folder = FolderFor(request.JobId);
        Directory.CreateDirectory(folder);
        var video = Path.Combine(folder, $"{Slug(request.Title)}.mp4");
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            await AtomicFile.CopyAsync(request.VideoPath, video, cancellationToken);
            var platforms = Enum.GetValues<Platforms>()
                .Where(p => p is Platforms.YouTube or Platforms.TikTok && request.Platforms.HasFlag(p))
                .Select(p => p.ToString().ToLowerInvariant())
                .ToList();
            var manifest = new PublishManifest(request.JobId, request.Title, request.Description, request.Tags, platforms,
                request.PublishAt, time.GetUtcNow(), Path.GetFileName(video), new FileInfo(video).Length);
            await AtomicFile.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, ManifestJson.Default.PublishManifest), cancellationToken);
        }
        var written = JsonSerializer.Deserialize(await File.ReadAllTextAsync(manifestPath, cancellationToken), ManifestJson.Default.PublishManifest)!;
        var path = Path.Combine(folder, written.Video);
        return [new PublishedVideo("local", new Uri(path).AbsoluteUri, written.JobId.ToString())];
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
