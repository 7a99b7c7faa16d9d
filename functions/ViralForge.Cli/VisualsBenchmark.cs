using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Render;

namespace ViralForge.Cli;

/// <summary>
/// `vf bench visuals`: what the offline visuals cost per clip. Makes a 6-beat 1080x1920 script's clips the way the
/// visuals stage does for `vf demo` (palette from the topic, shapes, glyph, kinetic card) and prints each clip's wall
/// time and the CPU time (user + system) of its ffmpeg, read from this process's accounting of its finished children,
/// with the largest of each (the median of --runs runs); the budget is 1 s of CPU for a 5 s clip. With --frames it also writes each beat's middle
/// frame as a PNG into that folder, to look at.
/// </summary>
public static class VisualsBenchmark
{
    /// <summary>The budget from issue 13: a generated 5 s clip under 1 s of CPU.</summary>
    public const double CpuBudgetSeconds = 1.0;

    private const string Topic = "5-minute morning workout you can do anywhere";

    /// <summary>A demo-like script: card text and narration as the template writer makes them, one beat per theme word.</summary>
    private static readonly ScriptBeat[] Beats =
    [
        new("Start with two minutes of jumping jacks to wake your body up.", "Jumping jacks"),
        new("Drink a glass of water first: you wake up thirsty.", "Water first"),
        new("Thirty seconds of plank builds a strong core.", "Hold the plank"),
        new("Take it outside: a short run in the morning sun.", "Run outside"),
        new("Eat a banana after for quick energy.", "Refuel"),
        new("Do it every day and it becomes a habit.", "Every day"),
    ];

    /// <param name="workFolder">Where the clips go (under bench/visuals); ViralForge__WorkFolder or .vf when null.</param>
    public static async Task<int> RunAsync(double seconds, int runs, string? framesFolder, IAnsiConsole console, CancellationToken cancellationToken, string? workFolder = null)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds) || runs < 1)
        {
            console.MarkupLine("[red]--seconds must be a positive number of seconds per clip and --runs at least 1.[/]");
            return 1;
        }

        workFolder ??= Environment.GetEnvironmentVariable("ViralForge__WorkFolder") ?? ".vf";
        var folder = Path.GetFullPath(Path.Combine(workFolder, "bench", "visuals"));
        Directory.CreateDirectory(folder);
        var options = Options.Create(new ViralForgeOptions());
        var media = options.Value.Media;
        var runner = new FfmpegRunner(options, TimeProvider.System, NullLogger<FfmpegRunner>.Instance);
        var provider = new FfmpegVisualsProvider(options, runner);
        var script = new VideoScript(Topic, "Stop scrolling", Beats, "Follow for more", "", [], media.WordsPerMinute, seconds * Beats.Length);
        var request = new VisualsRequest(Guid.Parse("0c6f2b1e-7d1a-4a5e-9f3c-2b8d6e4a1c90"), script, [.. Beats.Select(_ => seconds)], "energetic", folder, Topic: Topic);

        console.MarkupLineInterpolated($"{Beats.Length} clips of {seconds:0.##} s at {media.Width}x{media.Height}, {provider.ClipFramesPerSecond} fps, into [blue]{folder}[/]");
        var looks = FfmpegVisualsProvider.PlanLooks(request);
        var measured = looks.Select(_ => new List<(double Wall, double Cpu)>()).ToList();
        IReadOnlyList<VisualClip> clips = [];
        for (var run = 0; run < runs; run++)
        {
            var cpu = ChildCpu.Now();
            var started = Stopwatch.GetTimestamp();
            clips = await provider.CreateAsync(
                request,
                clip =>
                {
                    // Called as each clip is in place: the CPU and time since the last one are this clip's (one ffmpeg each).
                    var (nowCpu, now) = (ChildCpu.Now(), Stopwatch.GetTimestamp());
                    measured[clip.BeatIndex].Add((Stopwatch.GetElapsedTime(started, now).TotalSeconds, nowCpu - cpu));
                    (cpu, started) = (nowCpu, now);
                },
                cancellationToken);
        }

        // The median of the runs: other work on a shared machine inflates a run's CPU time too (cache, memory bandwidth).
        var medians = measured.Select(m => (Wall: Median(m.Select(x => x.Wall)), Cpu: Median(m.Select(x => x.Cpu)))).ToList();
        var table = new Table().AddColumns("beat", "glyph", "layout", "card", "shapes", "wall s", "CPU s");
        for (var i = 0; i < looks.Count; i++)
        {
            var look = looks[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                BeatGlyphs.CodePoints(look.Glyph),
                look.Layout.ToString(),
                look.Entrance.ToString(),
                $"{look.Drift} {BeatGlyphs.CodePoints(look.Shape)}",
                medians[i].Wall.ToString("0.00", CultureInfo.InvariantCulture),
                medians[i].Cpu.ToString("0.00", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var maxCpu = medians.Max(m => m.Cpu);
        var maxWall = medians.Max(m => m.Wall);
        var perFiveSeconds = maxCpu * 5 / seconds;
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"max per clip (median of {runs} run(s)): {maxWall:0.00} s wall, {maxCpu:0.00} s CPU"));
        // Short lines: the console wraps long ones, and scripts read these.
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"per 5 s clip: {perFiveSeconds:0.00} s CPU, budget {CpuBudgetSeconds:0.0} s ({(perFiveSeconds < CpuBudgetSeconds ? "within" : "OVER")})"));
        console.WriteLine($"load average {LoadAverage()}");

        if (framesFolder is not null)
        {
            var frames = Path.GetFullPath(framesFolder);
            Directory.CreateDirectory(frames);
            foreach (var clip in clips)
            {
                var png = Path.Combine(frames, $"beat-{clip.BeatIndex + 1:00}.png");
                await runner.RunAsync(
                    [.. FfmpegRunner.CommonArguments, "-ss", FilterGraph.Number(clip.DurationSeconds / 2), "-protocol_whitelist", "file", "-i", clip.LocalPath, "-frames:v", "1", "-y", png],
                    cancellationToken);
                console.WriteLine(png);
            }
        }

        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
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
}
