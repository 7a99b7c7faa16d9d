using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Stage 6: turns the visuals, narration and captions into a render plan and renders it in one FFmpeg pass.</summary>
public sealed class RenderStage(IRenderer renderer, IOptions<ViralForgeOptions> options) : IStage
{
    /// <summary>Picture kept after the last word, so the video does not cut off mid-breath.</summary>
    public const double TailSeconds = 0.5;

    /// <summary>The cross-fade between beats: long enough to soften the cut, short enough not to blur a sentence.</summary>
    public const double TransitionSeconds = 0.3;

    public StageName Name => StageName.Render;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var visuals = await context.GetOutputAsync<VisualsOutput>(StageName.Visuals, cancellationToken);
        var voice = await context.GetOutputAsync<VoiceOutput>(StageName.Voice, cancellationToken);

        var clips = visuals.Clips.OrderBy(c => c.BeatIndex).ToList();
        var assets = new Dictionary<string, PlanAsset>();
        for (var i = 0; i < clips.Count; i++)
        {
            assets[$"beat-{i + 1}"] = new PlanAsset(PlanAssetKind.Video, await context.FetchAsync(clips[i].BlobKey, cancellationToken));
        }

        assets["narration"] = new PlanAsset(PlanAssetKind.Audio, await context.FetchAsync(voice.BlobKey, cancellationToken));
        var media = options.Value.Media;
        PlanMusic? music = null;
        if (!string.IsNullOrWhiteSpace(media.MusicFile))
        {
            assets["music"] = new PlanAsset(PlanAssetKind.Audio, media.MusicFile);
            music = new PlanMusic("music", media.MusicVolume);
        }

        var plan = new RenderPlan
        {
            Assets = assets,
            Scenes = Scenes(clips.Select(c => c.DurationSeconds).ToList(), voice.DurationSeconds + TailSeconds),
            Captions = new PlanCaptions(voice.Words, media.CaptionStyle),
            Overlays = string.IsNullOrWhiteSpace(options.Value.Watermark)
                ? []
                : [new PlanOverlay { Text = options.Value.Watermark, Position = OverlayPosition.TopRight, Opacity = 0.6 }],
            Audio = new PlanAudio { Narration = "narration", Music = music },
            Output = OutputProfile.For(context.Request.Platforms, media),
        };

        var planPath = context.LocalPath("plan.json");
        await AtomicFile.WriteAllBytesAsync(planPath, JsonSerializer.SerializeToUtf8Bytes(plan, CoreJson.Default.RenderPlan), cancellationToken);
        var result = await renderer.RenderAsync(
            plan,
            new RenderTargets(context.LocalPath("video.mp4"), context.LocalPath("thumbnail.jpg"), context.LocalPath("preview.mp4")),
            cancellationToken);

        var output = new RenderOutput(
            context.BlobKey("video.mp4"),
            result.DurationSeconds,
            result.Width,
            result.Height,
            new FileInfo(result.VideoPath).Length,
            result.ThumbnailPath is null ? null : context.BlobKey("thumbnail.jpg"),
            result.PreviewPath is null ? null : context.BlobKey("preview.mp4"),
            context.BlobKey("plan.json"),
            result.Loudness?.GainDb);
        var files = new List<ProducedFile>
        {
            new("video", result.VideoPath, output.VideoBlobKey, result.DurationSeconds),
            new("plan", planPath, output.PlanBlobKey!, null),
        };
        if (result.ThumbnailPath is not null)
        {
            files.Add(new ProducedFile("thumbnail", result.ThumbnailPath, output.ThumbnailBlobKey!, null));
        }

        if (result.PreviewPath is not null)
        {
            files.Add(new ProducedFile("preview", result.PreviewPath, output.PreviewBlobKey!, result.DurationSeconds));
        }

        return StageResult.Completed(output, $"{result.Width}x{result.Height}, {result.DurationSeconds:0.0} s", [.. files]);
    }

    /// <summary>
    /// One scene per beat, cross-faded, stretched together so the video lasts exactly <paramref name="videoSeconds"/>:
    /// the beats were timed from the script's estimate, the narration is what was actually spoken.
    /// </summary>
    public static IReadOnlyList<PlanScene> Scenes(IReadOnlyList<double> plannedSeconds, double videoSeconds)
    {
        ArgumentNullException.ThrowIfNull(plannedSeconds);
        var fades = plannedSeconds.Count - 1;
        // Each fade overlaps two scenes, so the scenes together run that much longer than the video.
        var scale = (videoSeconds + (fades * TransitionSeconds)) / plannedSeconds.Sum();
        var scenes = new List<PlanScene>();
        for (var i = 0; i < plannedSeconds.Count; i++)
        {
            var seconds = Math.Round(plannedSeconds[i] * scale, 3);
            var fade = i > 0 && seconds >= 2 * TransitionSeconds && scenes[^1].Duration >= 2 * TransitionSeconds ? TransitionSeconds : 0;
            scenes.Add(new PlanScene { Visual = new PlanVisual { Asset = $"beat-{i + 1}" }, Duration = seconds, Transition = fade });
        }

        // A scene too short to fade into became a cut, which made the timeline longer than planned; the last scene gives the time back.
        var cuts = scenes.Skip(1).Count(s => s.Transition == 0);
        if (cuts > 0)
        {
            scenes[^1] = scenes[^1] with { Duration = Math.Round(scenes[^1].Duration - (cuts * TransitionSeconds), 3) };
        }

        return scenes;
    }
}
