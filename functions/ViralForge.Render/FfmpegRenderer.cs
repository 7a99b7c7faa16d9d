using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>
/// Renders a <see cref="RenderPlan"/>: validates it, measures the mixed audio's loudness in an audio-only pass, then
/// composes the finished video in exactly one ffmpeg run (scenes, cross-fades, karaoke captions, overlays, ducked
/// music, loudness-normalised narration) writing the MP4, the thumbnail and the preview from the same filtergraph.
/// </summary>
public sealed class FfmpegRenderer
{
    /// <summary>Most measurement passes before the render is refused: each pass corrects the gain by what limiting took away.</summary>
    public const int MaxMeasurementPasses = 4;

    private readonly MediaOptions media;
    private readonly FfmpegRunner runner;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<FfmpegRenderer> logger;

    // The family is read from the font file once: it is the same for every render of this host.
    private readonly Lazy<string> fontFamily;

    public FfmpegRenderer(IOptions<ViralForgeOptions> options, FfmpegRunner runner, TimeProvider timeProvider, ILogger<FfmpegRenderer> logger)
    {
        media = options.Value.Media;
        this.runner = runner;
        this.timeProvider = timeProvider;
        this.logger = logger;
        fontFamily = new Lazy<string>(() => FontFamily.Read(media.FontFile));
    }

    /// <summary>The last render's ffmpeg run (wall time, peak memory), for the benchmark.</summary>
    public FfmpegRun? LastRun { get; private set; }

    public Task<RenderResult> RenderAsync(RenderPlan plan, RenderTargets targets, CancellationToken cancellationToken) =>
        RenderAsync(plan, targets, null, cancellationToken);

    /// <summary>The same, reporting the composing run's output time to <paramref name="progress"/> (the loudness passes are short and report nothing).</summary>
    public async Task<RenderResult> RenderAsync(RenderPlan plan, RenderTargets targets, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        RenderPlanValidator.ThrowIfInvalid(plan);
        var missing = RenderPlanValidator.FindMissingFiles(plan);
        if (missing.Count > 0)
        {
            throw new RenderPlanException(missing);
        }

        if (plan.Audio.Narration is { } narrationId)
        {
            var narration = await runner.ProbeAsync(plan.Assets[narrationId].Path, cancellationToken).ConfigureAwait(false);
            if (RenderPlanValidator.NarrationProblem(plan, narration.DurationSeconds) is { } problem)
            {
                throw new RenderPlanException([problem]);
            }
        }

        // Before anything is encoded: a clip that cannot be used fails here, in a second, naming itself.
        var clips = await ProbeClipsAsync(plan, cancellationToken).ConfigureAwait(false);
        var started = timeProvider.GetTimestamp();
        var videoPath = Path.GetFullPath(targets.VideoPath);
        Directory.CreateDirectory(Path.GetDirectoryName(videoPath)!);
        var workFolder = AtomicFile.TemporaryPathFor(videoPath, ".work");
        Directory.CreateDirectory(workFolder);
        var files = new RenderFiles(
            plan.Captions is null ? null : Path.Combine(workFolder, "captions.ass"),
            plan.Overlays.Any(o => o.Text is not null) ? Path.Combine(workFolder, "overlays.ass") : null,
            AtomicFile.TemporaryPathFor(videoPath, ".partial.mp4"),
            targets.ThumbnailPath is null ? null : AtomicFile.TemporaryPathFor(Path.GetFullPath(targets.ThumbnailPath), ".partial.jpg"),
            targets.PreviewPath is null ? null : AtomicFile.TemporaryPathFor(Path.GetFullPath(targets.PreviewPath), ".partial.mp4"));
        try
        {
            var layout = new CaptionLayout(plan.Output.Width, plan.Output.Height, fontFamily.Value);
            if (files.CaptionsPath is not null)
            {
                CaptionStyle.TryGet(plan.Captions!.Style, out var style);
                await CaptionTrack.WriteAsync(files.CaptionsPath, plan.Captions.Words, layout, style!, cancellationToken).ConfigureAwait(false);
            }

            if (files.OverlaysPath is not null)
            {
                await AtomicFile.WriteAllTextAsync(files.OverlaysPath, OverlayTrack.BuildAss(plan, layout.FontFamily)!, cancellationToken).ConfigureAwait(false);
            }

            var (levelling, passes) = await MeasureLoudnessAsync(plan, cancellationToken).ConfigureAwait(false);
            var fontsFolder = Path.GetDirectoryName(Path.GetFullPath(media.FontFile)) ?? "/";
            var run = await runner.RunAsync(RenderCommand.RenderArguments(plan, levelling, files, fontsFolder, media.Preset, media.Crf, clips), progress, cancellationToken).ConfigureAwait(false);
            LastRun = run;
            if (levelling.UsesLoudnorm)
            {
                var report = LoudnessMeasurement.Parse(run.StandardErrorTail);
                if (report is null || !string.Equals(report.NormalizationType, "linear", StringComparison.Ordinal))
                {
                    throw new LoudnessException(
                        $"ffmpeg normalised the audio in '{report?.NormalizationType ?? "an unreported"}' mode instead of linear, which would pump the levels; the render was discarded.");
                }
            }

            var probe = await runner.ProbeAsync(files.PartialVideoPath, cancellationToken).ConfigureAwait(false);
            File.Move(files.PartialVideoPath, videoPath, overwrite: true);
            var thumbnail = Publish(files.PartialThumbnailPath, targets.ThumbnailPath);
            var preview = Publish(files.PartialPreviewPath, targets.PreviewPath);
            Log.Rendered(logger, videoPath, plan.Scenes.Count, probe.DurationSeconds, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
            var measured = levelling.Measured;
            return new RenderResult(
                videoPath,
                probe.DurationSeconds,
                probe.Width,
                probe.Height,
                thumbnail,
                preview,
                measured is null || measured.IsSilent ? null : new LoudnessReport(measured.InputIntegrated, measured.InputTruePeak, levelling.PreGainDb + measured.GainDb, passes));
        }
        finally
        {
            AtomicFile.TryDelete(files.PartialVideoPath);
            if (files.PartialThumbnailPath is not null)
            {
                AtomicFile.TryDelete(files.PartialThumbnailPath);
            }

            if (files.PartialPreviewPath is not null)
            {
                AtomicFile.TryDelete(files.PartialPreviewPath);
            }

            TryDeleteFolder(workFolder);
        }
    }

    /// <summary>
    /// Probes each video asset a scene shows, once: what it is (from which its filter chain is chosen) and whether its
    /// first packets decode. A clip that cannot be shown throws <see cref="UnusableClipException"/> naming it.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, MediaProbe>> ProbeClipsAsync(RenderPlan plan, CancellationToken cancellationToken)
    {
        var clips = new Dictionary<string, MediaProbe>(StringComparer.Ordinal);
        foreach (var id in plan.Scenes.Select(s => s.Visual.Asset).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var asset = plan.Assets[id];
            if (asset.Kind != PlanAssetKind.Video)
            {
                continue;
            }

            var probe = await ClipCheck.ProbeAsync(runner, id, asset.Path, cancellationToken).ConfigureAwait(false);
            if (probe.IsStillImage)
            {
                Log.ClipIsStill(logger, id, Path.GetFileName(asset.Path), probe.FormatName ?? probe.VideoCodec ?? "image");
            }
            else
            {
                Log.ClipProbed(
                    logger, id, probe.VideoCodec ?? "?", probe.DisplaySize.Width, probe.DisplaySize.Height, probe.Rotation, probe.AverageFrameRate, probe.IsVariableFrameRate,
                    probe.BitDepth, probe.ColorTransfer ?? "untagged", probe.DurationSeconds, probe.HasAudio);
            }

            clips[id] = probe;
        }

        return clips;
    }

    /// <summary>
    /// Finds the levelling that lets loudnorm stay linear. The first pass hears the plain mix; when its peaks sit too
    /// far above its loudness for a plain gain, the next pass adds that gain and a peak limiter and measures again,
    /// correcting the gain by what the limiter took away, until the peaks fit.
    /// </summary>
    private async Task<(Levelling Levelling, int Passes)> MeasureLoudnessAsync(RenderPlan plan, CancellationToken cancellationToken)
    {
        var levelling = Levelling.None;
        for (var pass = 1; pass <= MaxMeasurementPasses; pass++)
        {
            var run = await runner.RunAsync(RenderCommand.MeasureArguments(plan, levelling), cancellationToken).ConfigureAwait(false);
            var measured = LoudnessMeasurement.Parse(run.StandardErrorTail)
                ?? throw new LoudnessException("ffmpeg's loudness measurement printed no report.");
            var peaksFit = measured.InputTruePeak + measured.GainDb <= LoudnessTarget.TruePeak;
            if (measured.IsSilent || peaksFit)
            {
                Log.LoudnessMeasured(logger, pass, measured.InputIntegrated, measured.InputTruePeak, levelling.PreGainDb);
                return (levelling with { Measured = measured }, pass);
            }

            levelling = new Levelling(levelling.PreGainDb + measured.GainDb, Limit: true, Measured: null);
        }

        throw new LoudnessException(
            $"The audio's peaks stay too high for a linear gain to reach {LoudnessTarget.Integrated} LUFS with true peak at or under {LoudnessTarget.TruePeak} dBTP after {MaxMeasurementPasses} passes.");
    }

    private static string? Publish(string? partialPath, string? finalPath)
    {
        if (partialPath is null || finalPath is null)
        {
            return null;
        }

        var full = Path.GetFullPath(finalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.Move(partialPath, full, overwrite: true);
        return full;
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
