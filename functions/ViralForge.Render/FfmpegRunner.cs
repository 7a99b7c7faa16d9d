using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core;

namespace ViralForge.Render;

/// <summary>
/// The one place that runs ffmpeg and ffprobe: a timeout that kills, cancellation that kills, and failures as
/// <see cref="FfmpegException"/> with the tail of stderr.
/// </summary>
/// <remarks>
/// ffmpeg runs through a plain <see cref="Process"/> with <see cref="ProcessStartInfo.ArgumentList"/>, not FFMpegCore's
/// FFMpegArguments: FFMpegCore 6 joins every argument into one command-line string and wraps paths in double quotes
/// without escaping them, so a path or filtergraph holding a quote is split into different arguments than were meant.
/// An argument list reaches ffmpeg exactly as built, which is also what lets tests assert the exact arguments.
/// ffprobe runs the same way and answers in JSON, read into <see cref="MediaProbe"/>.
/// </remarks>
public sealed class FfmpegRunner
{
    /// <summary>How much of stderr a failure keeps: enough for ffmpeg's error and the lines leading to it.</summary>
    public const int StandardErrorTailChars = 4096;

    private readonly MediaOptions media;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<FfmpegRunner> logger;

    public FfmpegRunner(IOptions<ViralForgeOptions> options, TimeProvider timeProvider, ILogger<FfmpegRunner> logger)
    {
        media = options.Value.Media;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>
    /// Options every run starts with: no banner, never read stdin (a prompt would hang a worker), and only warnings,
    /// so stderr's tail is about the problem rather than stream listings.
    /// </summary>
    public static IReadOnlyList<string> CommonArguments { get; } = ["-hide_banner", "-nostdin", "-loglevel", "warning"];

    /// <summary>
    /// Options for runs whose filters report at info level (loudnorm prints its measurements there); -nostats keeps
    /// the progress line out of stderr so the report is not pushed out of the kept tail.
    /// </summary>
    public static IReadOnlyList<string> ReportingArguments { get; } = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info"];

    /// <summary>Full path of the ffmpeg binary in MediaOptions.FfmpegFolder.</summary>
    public string FfmpegPath => Path.Combine(media.FfmpegFolder, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg");

    /// <summary>Runs ffmpeg with exactly these arguments; throws <see cref="FfmpegException"/> unless it exits with 0.</summary>
    public Task<FfmpegRun> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(arguments, null, cancellationToken);

    /// <summary>
    /// The same, and when <paramref name="progress"/> is given, ffmpeg also runs with <see cref="FfmpegProgress.Arguments"/>
    /// in front of the arguments: the output time is reported once at zero when ffmpeg starts, then each time ffmpeg's
    /// report shows it (the watcher decides what counts as advancing).
    /// </summary>
    public Task<FfmpegRun> RunAsync(IReadOnlyList<string> arguments, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (progress is not null)
        {
            arguments = [.. FfmpegProgress.Arguments, .. arguments];
        }

        return RunProgramAsync(FfmpegPath, "ffmpeg", arguments, progress, null, cancellationToken);
    }

    /// <summary>Full path of the ffprobe binary in MediaOptions.FfmpegFolder.</summary>
    public string FfprobePath => Path.Combine(media.FfmpegFolder, OperatingSystem.IsWindows() ? "ffprobe.exe" : "ffprobe");

    /// <summary>
    /// Duration, size, codecs, rotation, frame rates, bit depth and colour tags of a local file, and how many frames its
    /// first packets decode to, from one ffprobe run (JSON) with the configured binaries and the same timeout. Decoding
    /// the first few packets costs about as little as reading the header and shows a file whose header is whole but
    /// whose picture is missing or broken.
    /// </summary>
    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = ExistingPath(path);
        var json = await RunFfprobeAsync(
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-count_frames", "-read_intervals", $"%+#{FirstPacketsDecoded}", "-i", fullPath],
            fullPath,
            cancellationToken).ConfigureAwait(false);
        try
        {
            return MediaProbe.FromFfprobeJson(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new FfmpegException($"ffprobe's answer for '{fullPath}' could not be read: {e.Message}", 0, string.Empty, innerException: e);
        }
    }

    /// <summary>
    /// How many packets (of all streams, in file order) <see cref="ProbeAsync"/> decodes: enough that a video interleaved
    /// with sound still has a few among them, and a decoder that holds frames back still shows one.
    /// </summary>
    public const int FirstPacketsDecoded = 8;

    /// <summary>
    /// How many frames the first video stream's first packets decode to, reading that stream's packets only: the second
    /// look for a file whose first packets were all sound (its picture starts later, or its muxer wrote sound first).
    /// </summary>
    public async Task<int> CountFirstVideoFramesAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = ExistingPath(path);
        var json = await RunFfprobeAsync(
            ["-v", "error", "-print_format", "json", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-count_frames", "-read_intervals", $"%+#{FirstPacketsDecoded}", "-i", fullPath],
            fullPath,
            cancellationToken).ConfigureAwait(false);
        try
        {
            return MediaProbe.ReadFrameCount(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FfmpegException($"ffprobe's answer for '{fullPath}' could not be read: {e.Message}", 0, string.Empty, innerException: e);
        }
    }

    private static string ExistingPath(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Cannot probe '{fullPath}': the file does not exist.", fullPath);
        }

        return fullPath;
    }

    private async Task<string> RunFfprobeAsync(IReadOnlyList<string> arguments, string fullPath, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        try
        {
            await RunProgramAsync(FfprobePath, "ffprobe", arguments, null, stdout, cancellationToken).ConfigureAwait(false);
        }
        catch (FfmpegException e) when (!e.NotStarted)
        {
            // Rethrown naming the file, which ffprobe's own message only does in the tail.
            throw new FfmpegException(
                e.TimedOut ? $"ffprobe of '{fullPath}' ran longer than {media.FfmpegTimeout} (MediaOptions.FfmpegTimeout)." : $"ffprobe exited with code {e.ExitCode} for '{fullPath}'.",
                e.ExitCode,
                e.StandardErrorTail,
                e.TimedOut,
                e);
        }

        return stdout.ToString();
    }

    private async Task<FfmpegRun> RunProgramAsync(
        string programPath, string program, IReadOnlyList<string> arguments, IProgress<TimeSpan>? progress, StringBuilder? stdout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(programPath)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var stderr = new TailBuffer(StandardErrorTailChars);
        var stdoutGate = new Lock();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        // ffmpeg's outputs are files, so its stdout holds only the progress report, if asked for; ffprobe's holds its
        // answer. It is always drained so a full pipe can never block the program.
        process.OutputDataReceived += (_, e) =>
        {
            if (stdout is not null && e.Data is not null)
            {
                lock (stdoutGate)
                {
                    stdout.Append(e.Data).Append('\n');
                }
            }

            if (progress is not null && FfmpegProgress.TryReadOutTime(e.Data, out var outTime))
            {
                progress.Report(outTime);
            }
        };

        var started = timeProvider.GetTimestamp();
        var peakMemory = new PeakMemorySampler(timeProvider);
        try
        {
            // Started so that it dies with this process even on SIGKILL (see ChildProcessLauncher).
            await ChildProcessLauncher.StartAsync(process).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new FfmpegException($"{program} could not be started from '{programPath}' (MediaOptions.FfmpegFolder): {e.Message}", -1, string.Empty, innerException: e);
        }

        // Started is progress too: a watch begins now, so an ffmpeg that never gets to its first frame is also caught.
        progress?.Report(TimeSpan.Zero);
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        using var timeout = new CancellationTokenSource(media.FfmpegTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await peakMemory.WatchUntilExitAsync(process, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            // Reaps the process and lets the stderr reader finish, so the tail below is complete.
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            Log.FfmpegTimedOut(logger, media.FfmpegTimeout);
            throw new FfmpegException($"{program} was killed after running longer than {media.FfmpegTimeout} (MediaOptions.FfmpegTimeout).", -1, stderr.ToString(), timedOut: true);
        }

        // WaitForExitAsync returns once the redirected streams are read to their end, so stdout is complete here.
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.FfmpegFinished(logger, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds, string.Join(' ', arguments));
        }

        if (process.ExitCode != 0)
        {
            throw new FfmpegException($"{program} exited with code {process.ExitCode}.", process.ExitCode, stderr.ToString());
        }

        return new FfmpegRun(stderr.ToString(), timeProvider.GetElapsedTime(started), peakMemory.PeakBytes);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the cancellation and the kill: nothing left to stop.
        }
    }

    /// <summary>
    /// Samples the process's resident-set high-water mark (VmHWM in /proc/pid/status) while it runs. The kernel
    /// keeps the maximum itself, so a sample every 50 ms misses only growth in the very last moments.
    /// </summary>
    private sealed class PeakMemorySampler(TimeProvider timeProvider)
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

        public long PeakBytes { get; private set; }

        public async Task WatchUntilExitAsync(Process process, CancellationToken cancellationToken)
        {
            var exited = process.WaitForExitAsync(cancellationToken);
            var statusPath = $"/proc/{process.Id}/status";
            while (!exited.IsCompleted)
            {
                Sample(statusPath);
                await Task.WhenAny(exited, Task.Delay(Interval, timeProvider, CancellationToken.None)).ConfigureAwait(false);
            }

            await exited.ConfigureAwait(false);
        }

        private void Sample(string statusPath)
        {
            try
            {
                foreach (var line in File.ReadLines(statusPath))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kilobytes = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        PeakBytes = Math.Max(PeakBytes, kilobytes * 1024);
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not Linux, or the process just exited: the last good sample stands.
            }
        }
    }

    /// <summary>Keeps only the last characters of a stream of lines, so a long render's stderr cannot grow without bound.</summary>
    private sealed class TailBuffer(int capacity)
    {
        private readonly StringBuilder text = new();
        private readonly Lock gate = new();

        public void AppendLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                text.Append(line).Append('\n');
                if (text.Length > capacity * 2)
                {
                    text.Remove(0, text.Length - capacity);
                }
            }
        }

        public override string ToString()
        {
            lock (gate)
            {
                var start = Math.Max(0, text.Length - capacity);
                return text.ToString(start, text.Length - start).TrimEnd('\n');
            }
        }
    }
}
