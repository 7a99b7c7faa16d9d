using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>A render request that cannot be rendered; <see cref="Problems"/> names each thing wrong with it.</summary>
public sealed class RenderRequestException(IReadOnlyList<string> problems)
    : ArgumentException("The render request is invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The files one render writes besides its output: the captions, the watermark text, and the partial MP4.</summary>
public sealed record RenderFiles(string CaptionsPath, string WatermarkTextPath, string PartialOutputPath);

/// <summary>
/// Composes the finished vertical video in exactly one ffmpeg run: every scene filled to the frame and cut to its
/// time, karaoke captions and the watermark burned in, the narration under it, H.264/AAC with the index up front.
/// </summary>
public sealed class FfmpegRenderer : IRenderer
{
    /// <summary>Seconds of picture after the narration ends, so the last word is not cut off by the player looping.</summary>
    public const double TailSeconds = 0.5;

    private static readonly string[] StillExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];

    private readonly MediaOptions media;
    private readonly FfmpegRunner runner;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<FfmpegRenderer> logger;

    public FfmpegRenderer(IOptions<ViralForgeOptions> options, FfmpegRunner runner, TimeProvider timeProvider, ILogger<FfmpegRenderer> logger)
    {
        media = options.Value.Media;
        this.runner = runner;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        var problems = FindProblems(request);
        if (problems.Count > 0)
        {
            throw new RenderRequestException(problems);
        }

        var started = timeProvider.GetTimestamp();
        var outputPath = Path.GetFullPath(request.OutputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var workFolder = AtomicFile.TemporaryPathFor(outputPath, ".work");
        var files = new RenderFiles(
            Path.Combine(workFolder, "captions.ass"),
            Path.Combine(workFolder, "watermark.txt"),
            AtomicFile.TemporaryPathFor(outputPath, ".partial.mp4"));
        Directory.CreateDirectory(workFolder);
        try
        {
            await CaptionTrack.WriteAsync(files.CaptionsPath, request.Words, CaptionLayout.FromOptions(media), cancellationToken).ConfigureAwait(false);
            // The watermark reaches drawtext through a file, so no user text is ever parsed as filtergraph syntax.
            await AtomicFile.WriteAllTextAsync(files.WatermarkTextPath, WatermarkLine(request.WatermarkText), cancellationToken).ConfigureAwait(false);

            await runner.RunAsync(BuildArguments(request, files), cancellationToken).ConfigureAwait(false);

            var probe = await runner.ProbeAsync(files.PartialOutputPath, cancellationToken).ConfigureAwait(false);
            File.Move(files.PartialOutputPath, outputPath, overwrite: true);
            Log.Rendered(logger, outputPath, request.Scenes.Count, probe.DurationSeconds, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
            return new RenderResult(outputPath, probe.DurationSeconds, probe.Width, probe.Height);
        }
        finally
        {
            AtomicFile.TryDelete(files.PartialOutputPath);
            TryDeleteFolder(workFolder);
        }
    }

    /// <summary>Everything wrong with a request, each as a sentence naming the problem; empty when it can be rendered.</summary>
    public static IReadOnlyList<string> FindProblems(RenderRequest request)
    {
        var problems = new List<string>(FindShapeProblems(request));
        for (var i = 0; i < request.Scenes.Count; i++)
        {
            var path = request.Scenes[i].LocalPath;
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                problems.Add($"Scene {i + 1}'s file '{path}' does not exist.");
            }
        }

        if (!string.IsNullOrWhiteSpace(request.NarrationPath) && !File.Exists(request.NarrationPath))
        {
            problems.Add($"The narration file '{request.NarrationPath}' does not exist.");
        }

        return problems;
    }

    /// <summary>The video's length: the narration plus <see cref="TailSeconds"/>, or the scenes if they run longer.</summary>
    public static double TotalSeconds(RenderRequest request) =>
        Math.Max(request.NarrationSeconds + TailSeconds, request.Scenes.Sum(s => s.DurationSeconds));

    /// <summary>How long each scene is shown: as asked, except the last one stretches to cover the narration.</summary>
    public static IReadOnlyList<double> SceneSeconds(RenderRequest request)
    {
        var seconds = request.Scenes.Select(s => s.DurationSeconds).ToArray();
        var shortfall = TotalSeconds(request) - seconds.Sum();
        if (shortfall > 0)
        {
            seconds[^1] += shortfall;
        }

        return seconds;
    }

    /// <summary>
    /// The complete ffmpeg argument list for a request, given where its captions, watermark text and partial output
    /// live. Pure: reads no files, so tests can assert it exactly.
    /// </summary>
    public IReadOnlyList<string> BuildArguments(RenderRequest request, RenderFiles files)
    {
        var problems = FindShapeProblems(request);
        if (problems.Count > 0)
        {
            throw new RenderRequestException(problems);
        }

        var total = TotalSeconds(request);
        var sceneSeconds = SceneSeconds(request);
        var arguments = new List<string>(FfmpegRunner.CommonArguments);

        for (var i = 0; i < request.Scenes.Count; i++)
        {
            var path = Path.GetFullPath(request.Scenes[i].LocalPath);
            // Only local files may be opened: a crafted path cannot make ffmpeg fetch a URL or read through another protocol.
            arguments.AddRange(["-protocol_whitelist", "file"]);
            if (IsStill(path))
            {
                // image2 without a pattern, so a % in the file name is a character rather than a frame-number pattern.
                arguments.AddRange(["-f", "image2", "-pattern_type", "none", "-loop", "1", "-framerate", FilterGraph.Number(media.FramesPerSecond)]);
            }

            // Reading stops at the scene's length: a long stock clip is not decoded to its end.
            arguments.AddRange(["-t", FilterGraph.Number(sceneSeconds[i]), "-i", path]);
        }

        arguments.AddRange(["-protocol_whitelist", "file", "-i", Path.GetFullPath(request.NarrationPath)]);

        arguments.AddRange([
            "-filter_complex", BuildFilterGraph(request, files, sceneSeconds, total),
            "-map", "[vout]",
            "-map", "[aout]",
            "-c:v", "libx264",
            "-profile:v", "high",
            "-preset", media.Preset,
            "-crf", FilterGraph.Number(media.Crf),
            "-pix_fmt", "yuv420p",
            "-c:a", "aac",
            "-b:a", "160k",
            "-ar", "48000",
            "-ac", "2",
            "-movflags", "+faststart",
            "-t", FilterGraph.Number(total),
            "-f", "mp4",
            "-y", Path.GetFullPath(files.PartialOutputPath),
        ]);
        return arguments;
    }

    private string BuildFilterGraph(RenderRequest request, RenderFiles files, IReadOnlyList<double> sceneSeconds, double total)
    {
        var w = FilterGraph.Number(media.Width);
        var h = FilterGraph.Number(media.Height);
        var fps = FilterGraph.Number(media.FramesPerSecond);
        var graph = new StringBuilder();

        for (var i = 0; i < sceneSeconds.Count; i++)
        {
            var d = FilterGraph.Number(sceneSeconds[i]);
            // Fill the frame (scale up, crop the overflow), square pixels, one frame rate; tpad holds the last frame
            // when a clip is shorter than its scene, and trim cuts it to exactly its time.
            graph.Append($"[{i}:v]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1,fps={fps},")
                .Append($"tpad=stop_mode=clone:stop_duration={d},trim=duration={d},setpts=PTS-STARTPTS[v{i}];");
        }

        for (var i = 0; i < sceneSeconds.Count; i++)
        {
            graph.Append($"[v{i}]");
        }

        graph.Append($"concat=n={sceneSeconds.Count}:v=1:a=0[scenes];");

        var fontFolder = Path.GetDirectoryName(Path.GetFullPath(media.FontFile)) ?? "/";
        graph.Append($"[scenes]ass=filename={FilterGraph.Value(Path.GetFullPath(files.CaptionsPath))}:fontsdir={FilterGraph.Value(fontFolder)},");
        if (WatermarkLine(request.WatermarkText).Length > 0)
        {
            var margin = FilterGraph.Number((int)Math.Round(Math.Min(media.Width, media.Height) * 0.04));
            var fontSize = FilterGraph.Number((int)Math.Round(media.Height * 0.026));
            // expansion=none: a % in the text is printed, not read as a %{...} expression.
            graph.Append($"drawtext=fontfile={FilterGraph.Value(Path.GetFullPath(media.FontFile))}:textfile={FilterGraph.Value(Path.GetFullPath(files.WatermarkTextPath))}:")
                .Append($"expansion=none:fontsize={fontSize}:fontcolor=white@0.6:borderw=2:bordercolor=black@0.35:x=w-tw-{margin}:y={margin},");
        }

        graph.Append("format=yuv420p[vout];");

        var narrationInput = sceneSeconds.Count;
        var t = FilterGraph.Number(total);
        graph.Append($"[{narrationInput}:a]apad,atrim=duration={t},asetpts=PTS-STARTPTS,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout]");
        return graph.ToString();
    }

    private static List<string> FindShapeProblems(RenderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (request.Scenes is null || request.Scenes.Count == 0)
        {
            problems.Add("It has no scenes; at least one is needed.");
        }
        else
        {
            for (var i = 0; i < request.Scenes.Count; i++)
            {
                var scene = request.Scenes[i];
                if (string.IsNullOrWhiteSpace(scene.LocalPath))
                {
                    problems.Add($"Scene {i + 1} has no file.");
                }

                if (!(scene.DurationSeconds > 0) || !double.IsFinite(scene.DurationSeconds))
                {
                    problems.Add($"Scene {i + 1}'s duration is {FilterGraph.Number(scene.DurationSeconds)} s; it must be a positive number of seconds.");
                }
            }
        }

        if (string.IsNullOrWhiteSpace(request.NarrationPath))
        {
            problems.Add("It has no narration file.");
        }

        if (!(request.NarrationSeconds > 0) || !double.IsFinite(request.NarrationSeconds))
        {
            problems.Add($"The narration's duration is {FilterGraph.Number(request.NarrationSeconds)} s; it must be a positive number of seconds.");
        }

        if (string.IsNullOrWhiteSpace(request.OutputPath))
        {
            problems.Add("It has no output path.");
        }

        return problems;
    }

    private static bool IsStill(string path) =>
        StillExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    // One line: drawtext would draw a newline as a second line and a trailing one as an empty box.
    private static string WatermarkLine(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

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
