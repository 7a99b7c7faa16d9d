using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Bench;

/// <summary>`vf bench visuals` in this process with short clips: every beat's figures and the largest are printed, and the frames written.</summary>
public sealed class VisualsBenchmarkTests
{
    [Fact]
    public async Task A_short_run_prints_each_clips_cpu_and_wall_seconds_and_the_largest_and_writes_the_frames()
    {
        using var scratch = new TempFolder();
        var output = new StringWriter();

        var exit = await VisualsBenchmark.RunAsync(0.5, 1, scratch.File("frames"), Console(output), CancellationToken.None, scratch.File("work"));

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("6 clips of 0.5 s at 1080x1920, 15 fps", text, StringComparison.Ordinal);
        var rows = Regex.Matches(text, @"│ (\d) +│ U\+[0-9A-F]{4,5} +│ (Above|Behind|Below) +│ \w+ +│ \w+ U\+[0-9A-F]{4} +│ ([\d.]+) +│ ([\d.]+) +│");
        Assert.Equal(["1", "2", "3", "4", "5", "6"], rows.Select(r => r.Groups[1].Value));
        var cpu = rows.Select(r => double.Parse(r.Groups[4].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(cpu, c => Assert.True(c > 0, text));
        var max = Regex.Match(text, @"max per clip \(median of 1 run\(s\)\): ([\d.]+) s wall, ([\d.]+) s CPU\s+per 5 s clip: ([\d.]+) s CPU, budget 1.0 s \((within|OVER)\)");
        Assert.True(max.Success, text);
        Assert.Equal(max.Groups[2].Value, rows.Select(r => r.Groups[4].Value).MaxBy(v => double.Parse(v, CultureInfo.InvariantCulture)));
        // 0.5 s clips: the 5 s figure is ten times the largest (each printed to two decimals, so within 0.06).
        Assert.InRange(double.Parse(max.Groups[3].Value, CultureInfo.InvariantCulture), (cpu.Max() * 10) - 0.06, (cpu.Max() * 10) + 0.06);
        for (var beat = 1; beat <= 6; beat++)
        {
            var png = scratch.File(Path.Combine("frames", $"beat-{beat:00}.png"));
            Assert.Contains(png, text, StringComparison.Ordinal);
            var header = new byte[8];
            await using (var file = File.OpenRead(png))
            {
                await file.ReadExactlyAsync(header);
            }

            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], header.Take(4));
        }
    }

    [Fact]
    public async Task Seconds_and_runs_must_be_positive()
    {
        var output = new StringWriter();

        Assert.Equal(1, await VisualsBenchmark.RunAsync(0, 1, null, Console(output), CancellationToken.None, "/nonexistent"));
        Assert.Equal(1, await VisualsBenchmark.RunAsync(5, 0, null, Console(output), CancellationToken.None, "/nonexistent"));
        Assert.Contains("--seconds must be a positive number", output.ToString(), StringComparison.Ordinal);
    }

    private static IAnsiConsole Console(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
