namespace ViralForge.Render;

/// <summary>
/// Decides whether a scene's video file can be put on screen, from its probe: the reasons a stock site's or a video
/// model's file is refused before the render spends anything on it.
/// </summary>
/// <remarks>
/// Accepted as they are: any size from <see cref="MinimumSide"/> px up, any rotation, frame rate, bit depth, HDR or SDR,
/// with or without sound. A still image with a video's extension (a PNG named .mp4) is accepted and shown as a still:
/// the picture is what the beat asked for, only its name is wrong. A clip smaller than <see cref="MinimumSide"/> px a
/// side (a 1x1 tracking pixel, a placeholder) is refused: scaled to the frame it would be one flat colour, which is a
/// broken download rather than footage.
/// </remarks>
public static class ClipCheck
{
    /// <summary>The smallest width and height (as shown) a clip may have: below this, scaling to the frame leaves no picture.</summary>
    public const int MinimumSide = 16;

    /// <summary>Why the probed file cannot be shown, in a few words; null when it can.</summary>
    public static string? Problem(MediaProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (!probe.HasVideo)
        {
            return probe.HasAudio ? "holds only audio, no video stream" : "holds no video stream";
        }

        var (width, height) = probe.DisplaySize;
        if (width < MinimumSide || height < MinimumSide)
        {
            return $"is {width}x{height} px, smaller than the {MinimumSide}x{MinimumSide} px a clip needs to be scaled to the frame";
        }

        if (probe.FirstFramesDecoded == 0)
        {
            return "has no picture that decodes (the file is cut short or corrupt)";
        }

        if (!probe.IsStillImage && probe.DurationSeconds <= 0)
        {
            return "has no duration (the file does not say how long it is)";
        }

        return null;
    }

    /// <summary>
    /// Probes the clip (one ffprobe run, which also decodes its first packets; a second one when those were all sound)
    /// and returns the probe, or throws
    /// <see cref="UnusableClipException"/> naming the asset and the reason. A probe that times out or an ffprobe that
    /// cannot start stays an <see cref="FfmpegException"/>: that is the machine, not the clip.
    /// </summary>
    public static async Task<MediaProbe> ProbeAsync(FfmpegRunner runner, string assetId, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var fileName = Path.GetFileName(path);
        if (new FileInfo(path).Length == 0)
        {
            throw new UnusableClipException(assetId, fileName, "is empty (0 bytes)");
        }

        MediaProbe probe;
        try
        {
            probe = await runner.ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FfmpegException e) when (!e.TimedOut && e.ExitCode != -1)
        {
            throw new UnusableClipException(assetId, fileName, $"is not media ffprobe can read ({Complaint(e.StandardErrorTail, path)})");
        }

        if (probe is { HasVideo: true, FirstFramesDecoded: 0 })
        {
            // The probe's first packets may all have been sound; only the picture's own packets settle it.
            try
            {
                probe = probe with { FirstFramesDecoded = await runner.CountFirstVideoFramesAsync(path, cancellationToken).ConfigureAwait(false) };
            }
            catch (FfmpegException e) when (!e.TimedOut && e.ExitCode != -1)
            {
                // A decoder that gives up on the picture's first packets is the same verdict as one that decodes nothing.
            }
        }

        return Problem(probe) is { } reason ? throw new UnusableClipException(assetId, fileName, reason) : probe;
    }

    /// <summary>ffprobe's last words on one line, without the file's path or the "[mov,mp4 @ 0x...]" prefixes.</summary>
    public static string Complaint(string standardErrorTail, string path)
    {
        ArgumentNullException.ThrowIfNull(standardErrorTail);
        var fullPath = Path.GetFullPath(path);
        var lines = standardErrorTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end ? line[(end + 2)..] : line)
            .Select(line => line.Replace(fullPath + ": ", "", StringComparison.Ordinal).Replace(path + ": ", "", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .TakeLast(2)
            .ToList();
        var text = lines.Count == 0 ? "no reason given" : string.Join("; ", lines);
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
