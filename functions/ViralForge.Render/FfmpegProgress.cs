using System.Globalization;

namespace ViralForge.Render;

/// <summary>
/// Reads ffmpeg's <c>-progress</c> report: key=value lines, a block about every half second, each with the output time
/// reached (<c>out_time_us</c>, and the misnamed <c>out_time_ms</c>, also in microseconds).
/// </summary>
public static class FfmpegProgress
{
    /// <summary>The global options that make ffmpeg write its report to stdout, which the runner reads.</summary>
    public static IReadOnlyList<string> Arguments { get; } = ["-progress", "pipe:1"];

    /// <summary>The output time in one report line; false for any other line, N/A, or the negative value some muxers start with.</summary>
    public static bool TryReadOutTime(string? line, out TimeSpan outTime)
    {
        outTime = default;
        if (line is null)
        {
            return false;
        }
        var separator = line.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            return false;
        }
        var key = line.AsSpan(0, separator).Trim();
        if (!key.SequenceEqual("out_time_us") && !key.SequenceEqual("out_time_ms"))
        {
            return false;
        }
        if (!long.TryParse(line.AsSpan(separator + 1).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var microseconds) || microseconds < 0)
        {
            return false;
        }
        outTime = TimeSpan.FromMicroseconds(microseconds);
        return true;
    }
}
