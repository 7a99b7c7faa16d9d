namespace ViralForge.Render;

/// <summary>A render plan that cannot be rendered; <see cref="Problems"/> names each wrong field ("scenes[2].duration: ...").</summary>
public sealed class RenderPlanException(IReadOnlyList<string> problems)
    : ArgumentException("The render plan is invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The audio cannot be brought to the loudness target with a linear gain, so the render is refused rather than pumped.</summary>
public sealed class LoudnessException(string message) : InvalidOperationException(message);
