using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Render;

namespace ViralForge.Cli;

/// <summary>
/// `vf bench render`: how much the whole composition costs over encoding alone. Renders a 1080x1920 plan of a moving
/// background clip with karaoke captions, a watermark, a ducked music bed and espeak-ng narration (loudness passes,
/// thumbnail and preview included), and in the same run encodes the same background bare with the same x264
/// settings. Runs alternate so both see the same machine; the ratio compares each side's fastest run.
/// </summary>
public static class RenderBenchmark
{
    private const string Script =
        "Stop scrolling. Here are three things nobody tells you about sleeping cats. First, they dream just like we do, "
        + "twitching whiskers and all. Second, a house cat sleeps up to sixteen hours a day, saving energy for short bursts of play. "
        + "Third, the purr is not only happiness: cats also purr to calm themselves and to heal. Follow for more facts like these.";

    public static async Task<int> RunAsync(double seconds, int runs, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var workFolder = Environment.GetEnvironmentVariable("ViralForge__WorkFolder") ?? ".vf";
        var folder = Path.GetFullPath(Path.Combine(workFolder, "bench", "render"));
        Directory.CreateDirectory(folder);
        var options = Options.Create(new ViralForgeOptions());
        var media = options.Value.Media;
        var runner = new FfmpegRunner(options, TimeProvider.System, NullLogger<FfmpegRunner>.Instance);
        var renderer = new FfmpegRenderer(options, runner, TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture);

        console.MarkupLineInterpolated($"Preparing inputs in [blue]{folder}[/] (not timed)...");
        var background = Path.Combine(folder, $"background-{media.Width}x{media.Height}-{secondsText}s.mp4");
        if (!File.Exists(background))
        {
            // A moving gradient with fine noise, encoded near-losslessly: it decodes and compresses like stock footage, not like a flat colour.
            var partial = AtomicFile.TemporaryPathFor(background, ".partial.mp4");
            await runner.RunAsync(
                [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i",
                    $"gradients=s={media.Width}x{media.Height}:r={media.FramesPerSecond}:d={secondsText}:speed=0.01:c0=0x1d3557:c1=0xe63946:c2=0x457b9d:nb_colors=3,noise=alls=12:allf=t",
                    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "14", "-pix_fmt", "yuv420p", "-f", "mp4", "-y", partial],
                cancellationToken);
            File.Move(partial, background, overwrite: true);
        }

        var voice = new EspeakVoiceProvider(options, NullLogger<EspeakVoiceProvider>.Instance);
        var narration = await voice.SynthesizeAsync(Script, "en", "en", Path.Combine(folder, "narration.wav"), cancellationToken);
        if (narration.DurationSeconds > seconds)
        {
            console.MarkupLineInterpolated($"[red]The narration lasts {narration.DurationSeconds:0.0} s, longer than the {seconds} s video; use --seconds {Math.Ceiling(narration.DurationSeconds)} or more.[/]");
            return 1;
        }

        var music = await GeneratedMusicBed.EnsureAsync(runner, Path.Combine(folder, "music.wav"), cancellationToken);
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset>
            {
                ["background"] = new(PlanAssetKind.Video, background),
                ["narration"] = new(PlanAssetKind.Audio, narration.LocalPath),
                ["music"] = new(PlanAssetKind.Audio, music),
            },
            Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "background" }, Duration = seconds }],
            Captions = new PlanCaptions(narration.Words, media.CaptionStyle),
            Overlays = [new PlanOverlay { Text = "@viralforge", Position = OverlayPosition.TopRight }],
            Audio = new PlanAudio { Narration = "narration", Music = new PlanMusic("music", media.MusicVolume) },
            Output = OutputProfile.YouTubeShorts with { Width = media.Width, Height = media.Height, FramesPerSecond = media.FramesPerSecond },
        };
        var output = plan.Output;
        string[] bare =
        [
            .. FfmpegRunner.CommonArguments,
            "-protocol_whitelist", "file", "-i", background, "-map", "0:v",
            "-c:v", "libx264", "-profile:v", "high", "-preset", media.Preset, "-crf", media.Crf.ToString(CultureInfo.InvariantCulture),
            "-maxrate", $"{output.MaxVideoKbps}k", "-bufsize", $"{output.MaxVideoKbps * 2}k",
            "-pix_fmt", "yuv420p", "-r", output.FramesPerSecond.ToString(CultureInfo.InvariantCulture),
            "-movflags", "+faststart", "-t", secondsText, "-f", "mp4", "-y", Path.Combine(folder, "bare.mp4"),
        ];

        console.MarkupLineInterpolated($"Narration {narration.DurationSeconds:0.0} s, {narration.Words.Count} words; {runs} run(s) of each, alternating.");
        var table = new Table().AddColumns("run", "bare encode", "bare peak RSS", "full render", "render ffmpeg peak RSS", "loudness passes");
        var bareTimes = new List<TimeSpan>();
        var renderTimes = new List<TimeSpan>();
        long barePeak = 0, renderPeak = 0;
        RenderResult? last = null;
        for (var i = 1; i <= runs; i++)
        {
            var bareRun = await runner.RunAsync(bare, cancellationToken);
            bareTimes.Add(bareRun.Elapsed);
            barePeak = Math.Max(barePeak, bareRun.PeakMemoryBytes);

            var started = Stopwatch.GetTimestamp();
            last = await renderer.RenderAsync(
                plan,
                new RenderTargets(Path.Combine(folder, "render.mp4"), Path.Combine(folder, "render.jpg"), Path.Combine(folder, "render-preview.mp4")),
                cancellationToken);
            var renderTime = Stopwatch.GetElapsedTime(started);
            renderTimes.Add(renderTime);
            var peak = renderer.LastRun?.PeakMemoryBytes ?? 0;
            renderPeak = Math.Max(renderPeak, peak);
            table.AddRow(
                i.ToString(CultureInfo.InvariantCulture),
                $"{bareRun.Elapsed.TotalSeconds:0.00} s",
                Megabytes(bareRun.PeakMemoryBytes),
                $"{renderTime.TotalSeconds:0.00} s",
                Megabytes(peak),
                (last.Loudness?.MeasurementPasses ?? 0).ToString(CultureInfo.InvariantCulture));
            console.MarkupLineInterpolated($"run {i}: bare {bareRun.Elapsed.TotalSeconds:0.00} s, render {renderTime.TotalSeconds:0.00} s");
        }

        console.Write(table);
        var bestBare = bareTimes.Min();
        var bestRender = renderTimes.Min();
        var (lufs, truePeak) = await Ebur128.MeasureAsync(runner, last!.VideoPath, cancellationToken);
        console.WriteLine($"output: {last.Width}x{last.Height}, {last.DurationSeconds:0.00} s, {new FileInfo(last.VideoPath).Length / 1024.0 / 1024.0:0.0} MB; preview {new FileInfo(last.PreviewPath!).Length / 1024.0:0} kB; thumbnail {new FileInfo(last.ThumbnailPath!).Length / 1024.0:0} kB");
        console.WriteLine($"loudness (ebur128 on the MP4): {lufs:0.0} LUFS integrated, {truePeak:0.0} dBTP true peak");
        console.WriteLine($"bare encode: {bestBare.TotalSeconds:0.00} s wall (fastest of {runs}), peak memory {Megabytes(barePeak)}");
        console.WriteLine($"full render: {bestRender.TotalSeconds:0.00} s wall (fastest of {runs}), ffmpeg peak memory {Megabytes(renderPeak)}, vf process peak {Megabytes(System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64)} working set");
        console.WriteLine($"render/bare ratio: {bestRender.TotalSeconds / bestBare.TotalSeconds:0.00}");
        return 0;
    }

    private static string Megabytes(long bytes) => bytes == 0 ? "n/a" : $"{bytes / 1024.0 / 1024.0:0} MB";
}
