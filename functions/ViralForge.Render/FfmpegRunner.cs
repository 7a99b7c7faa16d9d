using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using FFMpegCore;
using FFMpegCore.Exceptions;
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
/// Probing has no such text in it and goes through FFMpegCore's FFProbe with per-call FFOptions.
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
    public async Task<FfmpegRun> RunAsync(IReadOnlyList<string> arguments, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();
        if (progress is not null)
        {
            arguments = [.. FfmpegProgress.Arguments, .. arguments];
        }
        var startInfo = new ProcessStartInfo(FfmpegPath)
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
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        // Outputs are files, so stdout holds only the progress report, if asked for; it is always drained so a full pipe
        // can never block ffmpeg.
        process.OutputDataReceived += (_, e) =>
        {
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
            throw new FfmpegException($"ffmpeg could not be started from '{FfmpegPath}' (MediaOptions.FfmpegFolder): {e.Message}", -1, string.Empty, innerException: e);
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
            throw new FfmpegException($"ffmpeg was killed after running longer than {media.FfmpegTimeout} (MediaOptions.FfmpegTimeout).", -1, stderr.ToString(), timedOut: true);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.FfmpegFinished(logger, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds, string.Join(' ', arguments));
        }

        if (process.ExitCode != 0)
        {
            throw new FfmpegException($"ffmpeg exited with code {process.ExitCode}.", process.ExitCode, stderr.ToString());
        }

        return new FfmpegRun(stderr.ToString(), timeProvider.GetElapsedTime(started), peakMemory.PeakBytes);
    }

    /// <summary>Duration, size and codecs of a local file, from ffprobe with the configured binaries and the same timeout.</summary>
    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Cannot probe '{fullPath}': the file does not exist.", fullPath);
        }

        if (fullPath.Contains('"', StringComparison.Ordinal))
        {
            // FFMpegCore wraps the path in double quotes without escaping, so this one would reach ffprobe mangled.
            throw new ArgumentException($"Cannot probe '{fullPath}': FFProbe cannot pass a path containing a double quote.", nameof(path));
        }

        // Per call, never GlobalFFOptions: the binaries are whatever MediaOptions says for this host.
        var ffOptions = new FFOptions { BinaryFolder = media.FfmpegFolder };
        using var timeout = new CancellationTokenSource(media.FfmpegTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(fullPath, ffOptions, null, linked.Token).ConfigureAwait(false);
        }
        catch (FFProbeProcessException e)
        {
            var tail = new TailBuffer(StandardErrorTailChars);
            foreach (var line in e.StandardError)
            {
                tail.AppendLine(line);
            }

            throw new FfmpegException($"ffprobe exited with code {e.ExitCode} for '{fullPath}'.", e.ExitCode, tail.ToString(), innerException: e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw new FfmpegException($"ffprobe of '{fullPath}' ran longer than {media.FfmpegTimeout} (MediaOptions.FfmpegTimeout).", -1, string.Empty, timedOut: true);
        }

        var video = analysis.PrimaryVideoStream;
        var audio = analysis.PrimaryAudioStream;
        return new MediaProbe(
            analysis.Duration.TotalSeconds,
            video?.Width ?? 0,
            video?.Height ?? 0,
            video?.CodecName,
            video?.Profile,
            video?.PixelFormat,
            audio?.CodecName,
            audio?.SampleRateHz,
            audio?.Channels);
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
