using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FFMpegCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Render;

namespace ViralForge.Cli;

/// <summary>
/// `vf bench render`: what a 30 s 1080x1920 short costs to render, and what quality it keeps. Two compositions, each
/// with karaoke captions, a watermark, a ducked music bed and espeak-ng narration (loudness passes, thumbnail and
/// preview included): one over a grainy clip encoded the way stock footage is delivered (H.264 High, 12 Mbit/s), with
/// a bare encode of that clip alongside; one over the offline visuals `vf demo` makes (one card clip per beat,
/// cross-faded). Each render is compared with a slow reference encode of the same composition (x264 slow, crf 16;
/// made once, cached, not timed) by SSIM, and reports its video bitrate, wall time, the CPU time of every ffmpeg it
/// ran and ffmpeg's peak memory. With --peer remotion, Remotion renders the stock composition in the same run.
/// </summary>
public static class RenderBenchmark
{
    /// <summary>Slow and near-transparent: what the fast render is compared with.</summary>
    private const string ReferencePreset = "slow";

    private const int ReferenceCrf = 16;

    /// <summary>What stock sites deliver a 1080x1920 clip at; decoding it costs what decoding real stock footage costs.</summary>
    private const string StockBitrate = "12M";

    private const string Script =
        "Stop scrolling. Here are three things nobody tells you about sleeping cats. First, they dream just like we do, "
        + "twitching whiskers and all. Second, a house cat sleeps up to sixteen hours a day, saving energy for short bursts of play. "
        + "Third, the purr is not only happiness: cats also purr to calm themselves and to heal. Follow for more facts like these.";

    private static readonly string[] Cards = ["Sleeping cats", "Three facts", "They dream", "16 hours a day", "The purr heals", "Follow for more"];

    public static async Task<int> RunAsync(double seconds, int runs, string? peer, string composition, string? preset, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var withStock = composition is "stock" or "both";
        var withOffline = composition is "offline" or "both";
        if (peer is not null && !withStock)
        {
            console.MarkupLine("[red]--peer renders over the stock clip; use --composition stock or both.[/]");
            return 1;
        }

        var workFolder = Environment.GetEnvironmentVariable("ViralForge__WorkFolder") ?? ".vf";
        var folder = Path.GetFullPath(Path.Combine(workFolder, "bench", "render"));
        Directory.CreateDirectory(folder);
        var options = Options.Create(new ViralForgeOptions());
        var media = options.Value.Media;
        media.Preset = preset ?? media.Preset;
        var runner = new FfmpegRunner(options, TimeProvider.System, NullLogger<FfmpegRunner>.Instance);
        var renderer = new FfmpegRenderer(options, runner, TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);
        var referenceOptions = Options.Create(new ViralForgeOptions());
        referenceOptions.Value.Media.Preset = ReferencePreset;
        referenceOptions.Value.Media.Crf = ReferenceCrf;
        var referenceRenderer = new FfmpegRenderer(referenceOptions, runner, TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture);

        console.MarkupLineInterpolated($"Preparing inputs in [blue]{folder}[/] (not timed)...");
        var stock = Path.Combine(folder, $"background-stock-{media.Width}x{media.Height}-{secondsText}s.mp4");
        if (withStock && !File.Exists(stock))
        {
            // A moving gradient with fine grain that changes every frame, encoded as stock footage is delivered: it
            // decodes and compresses like a real clip, not like a flat colour (and not like a 400 Mbit/s intermediate).
            var partial = AtomicFile.TemporaryPathFor(stock, ".partial.mp4");
            await runner.RunAsync(
                [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i",
                    $"gradients=s={media.Width}x{media.Height}:r={media.FramesPerSecond}:d={secondsText}:speed=0.01:c0=0x1d3557:c1=0xe63946:c2=0x457b9d:nb_colors=3,noise=alls=12:allf=t",
                    "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-b:v", StockBitrate, "-maxrate", "16M", "-bufsize", "24M",
                    "-pix_fmt", "yuv420p", "-f", "mp4", "-y", partial],
                cancellationToken);
            File.Move(partial, stock, overwrite: true);
        }

        var voice = new EspeakVoiceProvider(options, NullLogger<EspeakVoiceProvider>.Instance);
        var narration = await voice.SynthesizeAsync(new VoiceRequest(Script, "default", "en", Path.Combine(folder, "narration.wav")), cancellationToken);
        if (narration.DurationSeconds > seconds)
        {
            console.MarkupLineInterpolated($"[red]The narration lasts {narration.DurationSeconds:0.0} s, longer than the {seconds} s video; use --seconds {Math.Ceiling(narration.DurationSeconds)} or more.[/]");
            return 1;
        }

        var music = await MusicBeds.EnsureAsync(runner, Core.Jobs.VideoChoices.DefaultMusic, folder, cancellationToken);

        // The offline visuals, made the way the visuals stage makes them for `vf demo`; timed on their own.
        var visualsFolder = Path.Combine(folder, $"offline-{media.Width}x{media.Height}-{secondsText}s");
        var beatSeconds = Cards.Select(_ => seconds / Cards.Length).ToList();
        var visualsCpu = ChildCpu.Now();
        var visualsStarted = Stopwatch.GetTimestamp();
        var clips = !withOffline ? Array.Empty<VisualClip>() : await new FfmpegVisualsProvider(options, runner).CreateAsync(
            new VisualsRequest(
                Guid.Parse("5f0c2a52-4f33-4e5c-9a55-0c8b1d1b7a10"),
                new VideoScript("Sleeping cats", Cards[0], [.. Cards.Select(c => new ScriptBeat(c, c))], Cards[^1], "", [], media.WordsPerMinute, seconds),
                beatSeconds,
                "clean",
                visualsFolder),
            cancellationToken);
        var visualsTime = Stopwatch.GetElapsedTime(visualsStarted);
        var visualsCpuSeconds = ChildCpu.Now() - visualsCpu;

        var assets = new Dictionary<string, PlanAsset>
        {
            ["narration"] = new(PlanAssetKind.Audio, narration.LocalPath),
            ["music"] = new(PlanAssetKind.Audio, music),
        };
        if (withStock)
        {
            assets["stock"] = new PlanAsset(PlanAssetKind.Video, stock);
        }

        foreach (var clip in clips)
        {
            assets[$"beat-{clip.BeatIndex + 1}"] = new PlanAsset(PlanAssetKind.Video, clip.LocalPath);
        }

        var basePlan = new RenderPlan
        {
            Assets = assets,
            Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "stock" }, Duration = seconds }],
            Captions = new PlanCaptions(narration.Words, options.Value.Defaults.CaptionStyle),
            Overlays = [new PlanOverlay { Text = "@viralforge", Position = OverlayPosition.TopRight }],
            Audio = new PlanAudio { Narration = "narration", Music = new PlanMusic("music", media.MusicVolume) },
            Output = OutputProfile.YouTubeShorts with { Width = media.Width, Height = media.Height, FramesPerSecond = media.FramesPerSecond },
        };
        var compositions = new (string Name, RenderPlan Plan)[]
        {
            ("stock", basePlan),
            ("offline", basePlan with { Scenes = RenderStage.Scenes(beatSeconds, seconds) }),
        }.Where(c => composition == "both" || c.Name == composition).ToArray();

        var output = basePlan.Output;
        string[] bare =
        [
            .. FfmpegRunner.CommonArguments,
            "-protocol_whitelist", "file", "-i", stock, "-map", "0:v",
            "-c:v", "libx264", "-profile:v", "high", "-preset", media.Preset, "-crf", media.Crf.ToString(CultureInfo.InvariantCulture),
            "-maxrate", $"{output.MaxVideoKbps}k", "-bufsize", $"{output.MaxVideoKbps * 2}k",
            "-pix_fmt", "yuv420p", "-r", output.FramesPerSecond.ToString(CultureInfo.InvariantCulture),
            "-movflags", "+faststart", "-t", secondsText, "-f", "mp4", "-y", Path.Combine(folder, "bare.mp4"),
        ];

        foreach (var (name, plan) in compositions)
        {
            var reference = ReferencePath(folder, name, plan);
            if (!File.Exists(reference))
            {
                console.MarkupLineInterpolated($"Making the {name} reference (x264 {ReferencePreset}, crf {ReferenceCrf}; once, not timed)...");
                await referenceRenderer.RenderAsync(plan, new RenderTargets(reference, null, null), cancellationToken);
            }
        }

        console.MarkupLineInterpolated($"Narration {narration.DurationSeconds:0.0} s, {narration.Words.Count} words; x264 {media.Preset} crf {media.Crf}; {runs} run(s) of each, alternating.");
        if (withOffline)
        {
            console.WriteLine($"offline visuals ({clips.Count} beat clips, the visuals stage, not part of the render): {visualsTime.TotalSeconds:0.00} s wall, {visualsCpuSeconds:0.0} s CPU");
        }

        var table = new Table().AddColumns(["run", .. withStock ? new[] { "bare encode (stock)" } : [], .. compositions.Select(c => $"render {c.Name}"), "ffmpeg peak RSS"]);
        var bareTimes = new List<Measured>();
        var renderTimes = compositions.ToDictionary(c => c.Name, _ => new List<Measured>());
        long barePeak = 0;
        var renderPeaks = compositions.ToDictionary(c => c.Name, _ => 0L);
        var results = new Dictionary<string, RenderResult>();
        for (var i = 1; i <= runs; i++)
        {
            if (withStock)
            {
                var bareCpu = ChildCpu.Now();
                var bareRun = await runner.RunAsync(bare, cancellationToken);
                bareTimes.Add(new Measured(bareRun.Elapsed, ChildCpu.Now() - bareCpu));
                barePeak = Math.Max(barePeak, bareRun.PeakMemoryBytes);
            }

            foreach (var (name, plan) in compositions)
            {
                var cpu = ChildCpu.Now();
                var started = Stopwatch.GetTimestamp();
                results[name] = await renderer.RenderAsync(
                    plan,
                    new RenderTargets(Path.Combine(folder, $"render-{name}.mp4"), Path.Combine(folder, $"render-{name}.jpg"), Path.Combine(folder, $"render-{name}-preview.mp4")),
                    cancellationToken);
                renderTimes[name].Add(new Measured(Stopwatch.GetElapsedTime(started), ChildCpu.Now() - cpu));
                renderPeaks[name] = Math.Max(renderPeaks[name], renderer.LastRun?.PeakMemoryBytes ?? 0);
            }

            table.AddRow([
                i.ToString(CultureInfo.InvariantCulture),
                .. withStock ? new[] { bareTimes[^1].ToString() } : [],
                .. compositions.Select(c => renderTimes[c.Name][^1].ToString()),
                string.Join(" / ", compositions.Select(c => Megabytes(renderPeaks[c.Name]))),
            ]);
            console.WriteLine($"run {i}: " + string.Join(", ", compositions.Select(c => $"{c.Name} {renderTimes[c.Name][^1]}")));
        }

        console.Write(table);
        foreach (var (name, _) in compositions)
        {
            var result = results[name];
            var best = renderTimes[name].MinBy(m => m.Wall)!;
            var reference = ReferencePath(folder, name, compositions.Single(c => c.Name == name).Plan);
            var ssim = await SsimAsync(runner, result.VideoPath, reference, cancellationToken);
            var bitrate = await VideoKbpsAsync(media, result.VideoPath, cancellationToken);
            var referenceBitrate = await VideoKbpsAsync(media, reference, cancellationToken);
            var (lufs, truePeak) = await Ebur128.MeasureAsync(runner, result.VideoPath, cancellationToken);
            console.WriteLine($"{name}: render {best} (fastest of {runs}), ffmpeg peak memory {Megabytes(renderPeaks[name])}, loudness passes {result.Loudness?.MeasurementPasses ?? 0}");
            console.WriteLine($"{name}: {result.Width}x{result.Height}, {result.DurationSeconds:0.00} s, video {bitrate:0} kbit/s (reference {referenceBitrate:0} kbit/s), SSIM {ssim:0.0000} against x264 {ReferencePreset} crf {ReferenceCrf}; {lufs:0.0} LUFS, {truePeak:0.0} dBTP; preview {new FileInfo(result.PreviewPath!).Length / 1024.0:0} kB, thumbnail {new FileInfo(result.ThumbnailPath!).Length / 1024.0:0} kB");
        }

        console.WriteLine($"vf process peak {Megabytes(Process.GetCurrentProcess().PeakWorkingSet64)} working set; load average {LoadAverage()}");
        if (!withStock)
        {
            return 0;
        }

        var bestBare = bareTimes.MinBy(m => m.Wall)!;
        var bestStock = renderTimes["stock"].MinBy(m => m.Wall)!;
        console.WriteLine($"bare encode of the stock clip: {bestBare} (fastest of {runs}), peak memory {Megabytes(barePeak)}");
        console.WriteLine($"render/bare ratio (stock): {bestStock.Wall.TotalSeconds / bestBare.Wall.TotalSeconds:0.00} wall, {bestStock.CpuSeconds / bestBare.CpuSeconds:0.00} CPU");
        if (string.Equals(peer, "remotion", StringComparison.OrdinalIgnoreCase))
        {
            return await RemotionPeer.RunAsync(folder, stock, narration, music, seconds, bestStock, console, cancellationToken);
        }

        return 0;
    }

    /// <summary>
    /// Where the reference of one composition is cached: named by a hash of its inputs' bytes and of the renderer's
    /// build, so a reference made from other clips (offline visuals change as they improve) or by another filter chain
    /// is never compared with today's render. A stale one made SSIM read 0.938 for a render that matched its own at 0.999.
    /// </summary>
    private static string ReferencePath(string folder, string name, RenderPlan plan)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(typeof(FfmpegRenderer).Assembly.ManifestModule.ModuleVersionId.ToByteArray());
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{ReferencePreset}|{ReferenceCrf}|{plan.Output}|{plan.Scenes.Count}"));
        foreach (var (key, asset) in plan.Assets.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(key));
            hash.AppendData(File.ReadAllBytes(asset.Path));
        }
        var inputs = Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
        return Path.Combine(folder, $"reference-{name}-{ReferencePreset}-crf{ReferenceCrf}-{plan.Output.Width}x{plan.Output.Height}-{inputs}.mp4");
    }

    private static async Task<double> SsimAsync(FfmpegRunner runner, string video, string reference, CancellationToken cancellationToken)
    {
        var run = await runner.RunAsync(
            [.. FfmpegRunner.ReportingArguments, "-protocol_whitelist", "file", "-i", video, "-protocol_whitelist", "file", "-i", reference,
                "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"],
            cancellationToken);
        var tail = run.StandardErrorTail;
        var at = tail.LastIndexOf("All:", StringComparison.Ordinal) + 4;
        return double.Parse(tail[at..].Split(' ', 2)[0], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static async Task<double> VideoKbpsAsync(MediaOptions media, string path, CancellationToken cancellationToken)
    {
        var analysis = await FFProbe.AnalyseAsync(path, new FFOptions { BinaryFolder = media.FfmpegFolder }, null, cancellationToken);
        return (analysis.PrimaryVideoStream?.BitRate ?? 0) / 1000.0;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Megabytes(long bytes) => bytes == 0 ? "n/a" : $"{bytes / 1024.0 / 1024.0:0} MB";

    /// <summary>Wall time and the CPU time the children took in it: CPU time barely moves when other work shares the machine.</summary>
    internal sealed record Measured(TimeSpan Wall, double CpuSeconds)
    {
        public override string ToString() => $"{Wall.TotalSeconds:0.00} s wall, {CpuSeconds:0.0} s CPU";
    }
}

/// <summary>
/// The CPU time (user + system) of this process's finished children, from /proc/self/stat (cutime, cstime). .NET
/// reaps every child it starts, so the difference across a run is what its ffmpeg and ffprobe processes used.
/// </summary>
internal static class ChildCpu
{
    /// <summary>/proc reports in USER_HZ, which Linux fixes at 100 for user space whatever the kernel's tick.</summary>
    private const double TicksPerSecond = 100;

    public static double Now()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name in parentheses start at field 3 (state); cutime and cstime are fields 16 and 17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

/// <summary>
/// `--peer remotion`: renders the stock composition with Remotion (eng/bench-remotion) on the same inputs in the same
/// run and prints both wall times and the ratio.
/// </summary>
internal static class RemotionPeer
{
    public static async Task<int> RunAsync(string folder, string background, Narration narration, string music, double seconds, RenderBenchmark.Measured ours, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var project = FindProject();
        if (project is null)
        {
            console.MarkupLine("[red]eng/bench-remotion was not found above the vf binary; run vf from a checkout.[/]");
            return 1;
        }

        if (!Directory.Exists(Path.Combine(project, "node_modules")))
        {
            // npm install, not npm ci: the lock names only the compositor binaries the registry here serves (linux-x64-gnu,
            // darwin-arm64), and npm ci refuses a lock that lacks @remotion/renderer's other optional platform packages.
            console.MarkupLine("Installing Remotion (npm install from the lock; once, not timed)...");
            if (await RunAsync(project, "npm", ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error"], cancellationToken) != 0)
            {
                console.MarkupLine("[red]npm install failed in eng/bench-remotion.[/]");
                return 1;
            }
        }

        var words = Path.Combine(folder, "words.json");
        await File.WriteAllTextAsync(words, JsonSerializer.Serialize(narration.Words.Select(w => new[] { w.Word, w.Start.ToString(CultureInfo.InvariantCulture), w.End.ToString(CultureInfo.InvariantCulture) })), cancellationToken);
        var output = Path.Combine(folder, "remotion.mp4");
        var cpu = ChildCpu.Now();
        var started = Stopwatch.GetTimestamp();
        var exit = await RunAsync(
            project,
            "node",
            ["render.mjs", "--background", background, "--narration", narration.LocalPath, "--music", music, "--words", words,
                "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--out", output],
            cancellationToken);
        var theirs = new RenderBenchmark.Measured(Stopwatch.GetElapsedTime(started), ChildCpu.Now() - cpu);
        if (exit != 0)
        {
            console.MarkupLineInterpolated($"[red]Remotion's render exited with {exit} after {theirs.Wall.TotalSeconds:0} s.[/]");
            return 1;
        }

        console.WriteLine($"remotion: {theirs}; viralforge (stock): {ours}; Remotion/ViralForge wall ratio {theirs.Wall.TotalSeconds / ours.Wall.TotalSeconds:0.0}x, CPU ratio {theirs.CpuSeconds / ours.CpuSeconds:0.0}x");
        return 0;
    }

    private static string? FindProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "eng", "bench-remotion");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<int> RunAsync(string folder, string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = folder, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
