using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Stages;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

/// <summary>ffmpeg's -progress report feeds the render's lease: advancing output time renews it, a stuck ffmpeg is stopped.</summary>
public sealed class FfmpegProgressTests
{
    [Theory]
    [InlineData("out_time_us=40000", 40_000)]
    [InlineData("out_time_ms=1500000", 1_500_000)] // misnamed by ffmpeg: microseconds too
    [InlineData(" out_time_us = 7 ", 7)]
    public void The_output_time_is_read_in_microseconds(string line, long microseconds)
    {
        Assert.True(FfmpegProgress.TryReadOutTime(line, out var outTime));
        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), outTime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("frame=25")]
    [InlineData("out_time=00:00:01.000000")]
    [InlineData("out_time_us=N/A")]
    [InlineData("out_time_us=-9223372036854775807")]
    [InlineData("progress=continue")]
    public void Other_lines_and_unknown_times_are_not_progress(string? line)
    {
        Assert.False(FfmpegProgress.TryReadOutTime(line, out _));
    }

    [Fact]
    public async Task A_run_with_a_progress_sink_reports_zero_at_start_then_the_output_time_as_it_advances()
    {
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        var reports = new Recorder();

        await runner.RunAsync([.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "testsrc=d=2:s=160x120:r=25", "-f", "null", "-"], reports, CancellationToken.None);

        var seen = reports.Snapshot();
        Assert.Equal(TimeSpan.Zero, seen[0]);
        Assert.True(seen.Count >= 2, $"only {seen.Count} reports");
        Assert.InRange(seen[^1], TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2.1));
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task An_ffmpeg_that_never_advances_stops_its_lease_and_is_killed()
    {
        // ffmpeg opening a named pipe that nobody writes blocks for good: a real hung ffmpeg.
        var folder = Directory.CreateTempSubdirectory("vf-stuck-").FullName;
        var fifo = Path.Combine(folder, "never.wav");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        try
        {
            var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
            var renewals = 0;
            using var progress = new StageProgress(TimeProvider.System);
            using var heartbeat = new LeaseHeartbeat(
                _ => { Interlocked.Increment(ref renewals); return Task.CompletedTask; },
                TimeSpan.FromMilliseconds(200), TimeProvider.System, NullLogger.Instance, progress, stallAfter: TimeSpan.FromSeconds(1));
            var stopwatch = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                runner.RunAsync([.. FfmpegRunner.CommonArguments, "-i", fifo, "-f", "null", "-"], progress, progress.Stalled));

            Assert.True(progress.Stalled.IsCancellationRequested);
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
            var renewed = Volatile.Read(ref renewals);
            await Task.Delay(600);
            Assert.Equal(renewed, Volatile.Read(ref renewals));
            Assert.DoesNotContain(Process.GetProcessesByName("ffmpeg"), p => CommandLine(p).Contains(fifo, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private sealed class Recorder : IProgress<TimeSpan>
    {
        private readonly Lock gate = new();
        private readonly List<TimeSpan> seen = [];

        public void Report(TimeSpan value)
        {
            lock (gate)
            {
                seen.Add(value);
            }
        }

        public List<TimeSpan> Snapshot()
        {
            lock (gate)
            {
                return [.. seen];
            }
        }
    }
}
