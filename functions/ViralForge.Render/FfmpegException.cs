namespace ViralForge.Render;

/// <summary>An ffmpeg or ffprobe run that failed, timed out or could not start; the message ends with the tail of its stderr.</summary>
public sealed class FfmpegException : Exception
{
    public FfmpegException(string message, int exitCode, string standardErrorTail, bool timedOut = false, Exception? innerException = null)
        : base(Compose(message, standardErrorTail), innerException)
    {
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
        TimedOut = timedOut;
    }

    /// <summary>The process's exit code; -1 when it never started or was killed before it could report one.</summary>
    public int ExitCode { get; }

    /// <summary>The last few kilobytes of stderr, where ffmpeg says what went wrong.</summary>
    public string StandardErrorTail { get; }

    /// <summary>True when the run was killed because it outlived MediaOptions.FfmpegTimeout.</summary>
    public bool TimedOut { get; }

    /// <summary>True when the program could not be started at all (not in MediaOptions.FfmpegFolder, not executable): a setting, not a fault of this run.</summary>
    public bool NotStarted => InnerException is System.ComponentModel.Win32Exception;

    private static string Compose(string message, string tail) =>
        string.IsNullOrWhiteSpace(tail) ? message : $"{message}{Environment.NewLine}{tail}";
}

/// <summary>A finished ffmpeg run: the tail of its stderr (where filters print reports), how long it took, and its peak resident memory (0 where /proc is not available).</summary>
public sealed record FfmpegRun(string StandardErrorTail, TimeSpan Elapsed, long PeakMemoryBytes);
