using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>
/// The plan's scenes in whole frames: how many frames each scene has, how many its cross-fade overlaps the
/// previous one, and where it starts in the finished video. Counting in frames (not seconds) keeps every scene,
/// fade and the total exact at the output frame rate, so xfade offsets never drift by a rounding error.
/// </summary>
public sealed record Timeline(int FramesPerSecond, IReadOnlyList<int> SceneFrames, IReadOnlyList<int> TransitionFrames, IReadOnlyList<int> StartFrames)
{
    public int TotalFrames => StartFrames.Count == 0 ? 0 : StartFrames[^1] + SceneFrames[^1];

    public double TotalSeconds => (double)TotalFrames / FramesPerSecond;

    public double SceneSeconds(int scene) => (double)SceneFrames[scene] / FramesPerSecond;

    public double StartSeconds(int scene) => (double)StartFrames[scene] / FramesPerSecond;

    public double TransitionSeconds(int scene) => (double)TransitionFrames[scene] / FramesPerSecond;

    /// <summary>Frames per scene and per fade, rounded to the frame rate; the first scene never fades in.</summary>
    public static Timeline Of(IReadOnlyList<PlanScene> scenes, int framesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var frames = new int[scenes.Count];
        var fades = new int[scenes.Count];
        var starts = new int[scenes.Count];
        for (var i = 0; i < scenes.Count; i++)
        {
            frames[i] = Math.Max(1, (int)Math.Round(scenes[i].Duration * framesPerSecond, MidpointRounding.AwayFromZero));
            fades[i] = i == 0 ? 0 : Math.Max(0, (int)Math.Round(scenes[i].Transition * framesPerSecond, MidpointRounding.AwayFromZero));
            starts[i] = i == 0 ? 0 : starts[i - 1] + frames[i - 1] - fades[i];
        }

        return new Timeline(framesPerSecond, frames, fades, starts);
    }

    /// <summary>The timeline's length in seconds without building it (for validation messages).</summary>
    public static double LengthSeconds(IReadOnlyList<PlanScene> scenes, int framesPerSecond) => Of(scenes, framesPerSecond).TotalSeconds;
}
