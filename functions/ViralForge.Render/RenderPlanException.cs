using ViralForge.Core.Stages;

namespace ViralForge.Render;

/// <summary>A render plan that cannot be rendered; <see cref="Problems"/> names each wrong field ("scenes[2].duration: ..."). Permanent: the same plan fails the same way.</summary>
public class RenderPlanException : PermanentStageException
{
    public RenderPlanException(IReadOnlyList<string> problems)
        : this("The render plan is invalid: " + string.Join(" ", problems), problems)
    {
    }

    protected RenderPlanException(string message, IReadOnlyList<string> problems)
        : base(message)
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}

/// <summary>
/// A scene's video file that cannot be put on screen (empty, unreadable, cut short, no picture, too small), found by
/// probing before the render runs. The message is one line naming the asset, its file and why; Permanent: the same file
/// fails the same way, so the fix is another clip.
/// </summary>
public sealed class UnusableClipException(string assetId, string fileName, string reason)
    : RenderPlanException(
        $"The clip for assets.{assetId} ('{fileName}') cannot be rendered: {reason}; replace the clip (download it again or choose another).",
        [$"assets.{assetId}: '{fileName}' {reason}."])
{
    /// <summary>The plan's asset id of the clip ("beat-3").</summary>
    public string AssetId { get; } = assetId;

    /// <summary>The clip's file name, without its folder.</summary>
    public string FileName { get; } = fileName;

    /// <summary>Why it cannot be used, in a few words ("holds no video stream").</summary>
    public string Reason { get; } = reason;
}

/// <summary>The audio cannot be brought to the loudness target with a linear gain, so the render is refused rather than pumped. Permanent: the same audio measures the same.</summary>
public sealed class LoudnessException(string message) : PermanentStageException(message);

/// <summary>A ViralForge:Media setting that cannot work on this machine (no ffmpeg in FfmpegFolder, say). Permanent: every retry would fail the same way until the setting is fixed.</summary>
public sealed class MediaSettingException(string message, Exception? inner = null) : PermanentStageException(message, inner);
