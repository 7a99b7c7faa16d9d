using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Render;

/// <summary>
/// The renderer port on this machine: copies the work's job files from the blob store into the scratch folder, renders
/// with <see cref="FfmpegRenderer"/> there and hands back local files for the stage runner to store. The local profile
/// renders with it in-process; in production the render job runs it inside its Cloud Run execution.
/// </summary>
/// <remarks>
/// A bundled music bed (<see cref="RenderWork.MusicBeds"/>) is made here rather than fetched: <see cref="MusicBeds"/>
/// synthesises it once into ViralForge:Media:MusicFolder on this machine (or in this render job container) and each
/// render copies it in beside the fetched files.
/// </remarks>
public sealed class InProcessRenderer(FfmpegRenderer ffmpeg, IBlobStore blobs, FfmpegRunner runner, IOptions<ViralForgeOptions> options) : IRenderer
{
    public Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, CancellationToken cancellationToken) =>
        RenderAsync(work, scratchFolder, null, cancellationToken);

    public async Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var folder = Path.GetFullPath(scratchFolder);
        Directory.CreateDirectory(folder);
        foreach (var (fileName, blobKey) in work.Inputs)
        {
            await blobs.DownloadToFileAsync(blobKey, InputPath(folder, fileName), cancellationToken);
        }

        foreach (var (fileName, mood) in work.MusicBeds ?? new Dictionary<string, string>())
        {
            if (!MusicBeds.IsMood(mood))
            {
                throw new RenderPlanException([$"musicBeds['{fileName}']: '{mood}' is not a bundled music mood; use one of {string.Join(", ", Core.Jobs.VideoChoices.MusicMoods)}."]);
            }

            var bed = await MusicBeds.EnsureAsync(runner, mood, MusicBeds.FolderFor(options.Value), cancellationToken);
            File.Copy(bed, InputPath(folder, fileName), overwrite: true);
        }

        // Job files are named relative to the folder they were fetched into.
        var plan = work.Plan with
        {
            Assets = work.Plan.Assets.ToDictionary(a => a.Key, a => a.Value with { Path = Path.Combine(folder, a.Value.Path) }),
        };
        var targets = new RenderTargets(Path.Combine(folder, "video.mp4"), Path.Combine(folder, "thumbnail.jpg"), Path.Combine(folder, "preview.mp4"));
        RenderResult result;
        try
        {
            result = await ffmpeg.RenderAsync(plan, targets, progress, cancellationToken);
        }
        catch (FfmpegException e) when (e.NotStarted)
        {
            throw new MediaSettingException(e.Message, e);
        }

        var files = new List<RenderedFile> { new(RenderStage.VideoKind, work.Outputs.Video, result.VideoPath, null) };
        if (result.ThumbnailPath is not null)
        {
            files.Add(new RenderedFile(RenderStage.ThumbnailKind, work.Outputs.Thumbnail, result.ThumbnailPath, null));
        }

        if (result.PreviewPath is not null)
        {
            files.Add(new RenderedFile(RenderStage.PreviewKind, work.Outputs.Preview, result.PreviewPath, null));
        }

        return new RenderedVideo(result.DurationSeconds, result.Width, result.Height, result.Loudness?.GainDb, files);
    }

    /// <summary>Where an input goes: a plain file name inside the folder, never a path out of it (a request may come from the blob store).</summary>
    private static string InputPath(string folder, string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || Path.GetFileName(fileName) != fileName || fileName is "." or "..")
        {
            throw new RenderPlanException([$"inputs['{fileName}']: an input must be a plain file name."]);
        }

        return Path.Combine(folder, fileName);
    }
}
