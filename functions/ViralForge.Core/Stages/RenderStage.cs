using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Stage 6: turns the visuals, narration and captions into a render plan and renders it in one FFmpeg pass.</summary>
/// <remarks>
/// The clock and the speed log are optional so a test can build the stage on a renderer alone; with them, a render done
/// on this host records its speed, which sizes later render tasks' deadlines (<see cref="StageTasks.RenderDeadlineAsync"/>).
/// </remarks>
public sealed class RenderStage(IRenderer renderer, IOptions<ViralForgeOptions> options, TimeProvider? time = null, IRenderSpeed? speed = null, ILogger<RenderStage>? log = null) : IStage
{
    /// <summary>Picture kept after the last word, so the video does not cut off mid-breath.</summary>
    public const double TailSeconds = 0.5;

    /// <summary>The cross-fade between beats: long enough to soften the cut, short enough not to blur a sentence.</summary>
    public const double TransitionSeconds = 0.3;

    /// <summary>The kinds of <see cref="RenderedFile"/> a renderer makes.</summary>
    public const string VideoKind = "video";

    public const string ThumbnailKind = "thumbnail";

    public const string PreviewKind = "preview";

    public StageName Name => StageName.Render;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var work = await PlanAsync(context, cancellationToken);

        // The plan is stored beside the video, so what was rendered can be read (and rendered again) later.
        var planPath = context.LocalPath("plan.json");
        await AtomicFile.WriteAllBytesAsync(planPath, JsonSerializer.SerializeToUtf8Bytes(work.Plan, CoreJson.Default.RenderPlan), cancellationToken);
        var started = time?.GetTimestamp();
        var rendered = await RenderWatchedAsync(work, context, cancellationToken);
        if (started is { } at && rendered.File(VideoKind) is { Stored: null })
        {
            // Rendered here (a remote render comes back already stored, and its wall time is the watch, not the encode).
            await RecordSpeedAsync(rendered.DurationSeconds, time!.GetElapsedTime(at));
        }

        var video = rendered.File(VideoKind) ?? throw new InvalidOperationException("The renderer made no video.");
        var thumbnail = rendered.File(ThumbnailKind);
        var preview = rendered.File(PreviewKind);
        var output = new RenderOutput(
            video.BlobKey,
            rendered.DurationSeconds,
            rendered.Width,
            rendered.Height,
            video.Stored?.SizeBytes ?? new FileInfo(video.LocalPath!).Length,
            thumbnail?.BlobKey,
            preview?.BlobKey,
            context.BlobKey("plan.json"),
            rendered.LoudnessGainDb);
        // Every file the renderer made (already stored by a remote renderer, or local for the runner to store), and the plan.
        ProducedFile[] files =
        [
            .. rendered.Files.Select(f => new ProducedFile(f.Kind, f.LocalPath, f.BlobKey, f.Kind == ThumbnailKind ? null : rendered.DurationSeconds, f.Stored)),
            new("plan", planPath, output.PlanBlobKey!, null),
        ];
        return StageResult.Completed(output, $"{rendered.Width}x{rendered.Height}, {rendered.DurationSeconds:0.0} s", files);
    }

    /// <summary>
    /// Renders with the attempt's progress watched: the renderer reports ffmpeg's output time into the context's
    /// <see cref="StageProgress"/>, and when the heartbeat finds it stalled the render is cancelled (ffmpeg killed) and the
    /// attempt fails as a transient fault, to be retried by the queue. The video's planned length turns each reported output
    /// time into a percent done, which people see as "render 45%".
    /// </summary>
    private async Task<RenderedVideo> RenderWatchedAsync(RenderWork work, StageContext context, CancellationToken cancellationToken)
    {
        // Each cross-fade overlaps two scenes, so the video is that much shorter than the scenes added up.
        context.Progress.Expect(TimeSpan.FromSeconds(work.Plan.Scenes.Sum(s => s.Duration) - work.Plan.Scenes.Sum(s => s.Transition)));
        using var watched = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.Progress.Stalled);
        try
        {
            return await renderer.RenderAsync(work, context.WorkFolder, context.Progress, watched.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && context.Progress.Stalled.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"ffmpeg made no progress for {options.Value.Stages.ProgressStall} (ViralForge:Stages:ProgressStall); it was stopped and the render will be retried.", e);
        }
        finally
        {
            context.Progress.Settle();
        }
    }

    private async Task RecordSpeedAsync(double videoSeconds, TimeSpan wallTime)
    {
        if (speed is null || videoSeconds <= 0)
        {
            return;
        }
        try
        {
            await speed.RecordAsync(videoSeconds, wallTime, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The video is made; a lost measurement only leaves the deadlines on the older figure.
            if (log is not null)
            {
                log.RenderSpeedNotRecorded(e);
            }
        }
    }

    /// <summary>
    /// The render of this job's generation: a plan over the visuals, the narration and its word timings, whose job files
    /// are named by file name and come from the blob store (the renderer fetches them where it runs, so a remote render
    /// never routes them through this host).
    /// </summary>
    public async Task<RenderWork> PlanAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var visuals = await context.GetOutputAsync<VisualsOutput>(StageName.Visuals, cancellationToken);
        var voice = await context.GetOutputAsync<VoiceOutput>(StageName.Voice, cancellationToken);

        var clips = visuals.Clips.OrderBy(c => c.BeatIndex).ToList();
        var assets = new Dictionary<string, PlanAsset>();
        var inputs = new Dictionary<string, string>();
        void AddInput(string assetId, PlanAssetKind kind, string blobKey)
        {
            // The asset id leads the file name: two stages' blobs may share a file name, never an asset id.
            var fileName = $"{assetId}{Path.GetExtension(blobKey)}";
            assets[assetId] = new PlanAsset(kind, fileName);
            inputs[fileName] = blobKey;
        }

        for (var i = 0; i < clips.Count; i++)
        {
            // A stock or generated clip is a video; a visual that is a still image file is shown as a still.
            AddInput($"beat-{i + 1}", IsStillImageFile(clips[i].BlobKey) ? PlanAssetKind.Image : PlanAssetKind.Video, clips[i].BlobKey);
        }

        AddInput("narration", PlanAssetKind.Audio, voice.BlobKey);
        var settings = options.Value;
        var media = settings.Media;
        var request = context.Request;
        var output = OutputProfile.For(request.Platforms, media, request.Format);

        // Music: none, a bundled mood the renderer makes where it runs, or the person's own file from the blob store.
        PlanMusic? music = null;
        var musicBeds = new Dictionary<string, string>();
        var musicChoice = (request.Music ?? "").Trim();
        if (VideoChoices.MusicMoods.FirstOrDefault(m => string.Equals(m, musicChoice, StringComparison.OrdinalIgnoreCase)) is { } mood)
        {
            var fileName = $"music-{mood}.wav";
            assets["music"] = new PlanAsset(PlanAssetKind.Audio, fileName);
            musicBeds[fileName] = mood;
            music = new PlanMusic("music", media.MusicVolume);
        }
        else if (musicChoice.Length > 0 && !string.Equals(musicChoice, VideoChoices.MusicNone, StringComparison.OrdinalIgnoreCase))
        {
            var key = await RequireBlobAsync(context, "Music file", musicChoice, "set the Music cell to none or a mood (" + string.Join(", ", VideoChoices.MusicMoods) + ")", cancellationToken);
            AddInput("music", PlanAssetKind.Audio, key);
            music = new PlanMusic("music", media.MusicVolume);
        }

        // Watermark: off, the configured text, or the person's image from the blob store drawn as a logo.
        IReadOnlyList<PlanOverlay> overlays = [];
        var watermark = (request.Watermark ?? "").Trim();
        if (VideoChoices.IsBlobReference(watermark))
        {
            var key = await RequireBlobAsync(context, "Watermark image", watermark, "set the Watermark cell to on or off", cancellationToken);
            AddInput("watermark", PlanAssetKind.Image, key);
            // About a fifth of the frame's short side wide in every shape, so a logo is as big on a landscape frame as on a vertical one.
            var width = Math.Round(0.2 * Math.Min(output.Width, output.Height) / output.Width, 3);
            overlays = [new PlanOverlay { Asset = "watermark", Position = OverlayPosition.TopRight, Opacity = 0.8, Width = width }];
        }
        else if (!string.IsNullOrWhiteSpace(settings.Watermark) && !string.Equals(watermark, VideoChoices.WatermarkOff, StringComparison.OrdinalIgnoreCase))
        {
            overlays = [new PlanOverlay { Text = settings.Watermark, Position = OverlayPosition.TopRight, Opacity = 0.6 }];
        }

        var plan = new RenderPlan
        {
            Assets = assets,
            Scenes = Scenes(clips.Select(c => c.DurationSeconds).ToList(), voice.DurationSeconds + TailSeconds),
            Captions = new PlanCaptions(voice.Words, request.CaptionStyle),
            Overlays = overlays,
            Audio = new PlanAudio { Narration = "narration", Music = music },
            Output = output,
        };
        return new RenderWork(context.Job.Id, context.Generation, plan, inputs,
            new RenderOutputKeys(context.BlobKey("video.mp4"), context.BlobKey("thumbnail.jpg"), context.BlobKey("preview.mp4")),
            musicBeds.Count == 0 ? null : musicBeds);
    }

    /// <summary>
    /// The blob key a Music or Watermark cell names (a key, or a gs:// URL whose path is the key), once the blob is known to
    /// be there. A missing file fails the job at once with a sentence for the row's Error cell: retrying cannot make it appear.
    /// </summary>
    private async Task<string> RequireBlobAsync(StageContext context, string what, string cell, string orElse, CancellationToken cancellationToken)
    {
        var key = BlobKeyOf(cell);
        if (await context.BlobExistsAsync(key, cancellationToken))
        {
            return key;
        }

        var settings = options.Value;
        var where = settings.Profile == ViralForgeProfile.Local
            ? $"put the file at {Path.Combine(Path.GetFullPath(settings.WorkFolder), "blobs", key)}"
            : "upload it to the deployment's Cloud Storage bucket under that key";
        throw new PermanentStageException($"{what} '{cell}' is not in the blob store (key {key}): {where}, or {orElse}.");
    }

    /// <summary>The blob key a cell names: a key as it is, or the object path of a gs://bucket/path URL.</summary>
    public static string BlobKeyOf(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var text = cell.Trim();
        if (text.StartsWith("gs://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = text.IndexOf('/', "gs://".Length);
            text = slash < 0 ? "" : text[(slash + 1)..];
        }

        return text.TrimStart('/');
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

    /// <summary>A visual stored as a picture file (by its extension); the renderer also recognises a picture by its content.</summary>
    private static bool IsStillImageFile(string blobKey) =>
        Path.GetExtension(blobKey).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".webp" or ".bmp";
}
