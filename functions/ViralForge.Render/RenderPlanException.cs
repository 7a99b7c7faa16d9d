using ViralForge.Core.Stages;

namespace ViralForge.Render;

/// <summary>A render plan that cannot be rendered; <see cref="Problems"/> names each wrong field ("scenes[2].duration: ..."). Permanent: the same plan fails the same way.</summary>
public sealed class RenderPlanException(IReadOnlyList<string> problems)
    : PermanentStageException("The render plan is invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The audio cannot be brought to the loudness target with a linear gain, so the render is refused rather than pumped. Permanent: the same audio measures the same.</summary>
public sealed class LoudnessException(string message) : PermanentStageException(message);

/// <summary>A ViralForge:Media setting that cannot work on this machine (no ffmpeg in FfmpegFolder, say). Permanent: every retry would fail the same way until the setting is fixed.</summary>
public sealed class MediaSettingException(string message, Exception? inner = null) : PermanentStageException(message, inner);
