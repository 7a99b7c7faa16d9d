using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>The visuals stage's output: one stored clip per beat.</summary>
public sealed record VisualsOutput(IReadOnlyList<StoredClip> Clips)
{
    /// <summary>The credits of the clips others made, one per clip, in beat order: for the description and the manifest.</summary>
    public IReadOnlyList<ClipCredit> Credits() => Clips.Where(c => c.Credit is not null).Select(c => c.Credit!).DistinctBy(c => (c.Provider, c.ClipId)).ToList();
}

/// <summary>A visual in the blob store, with who made it when it is stock footage or a generated clip.</summary>
/// <param name="Kind">generated, stock or ai (older outputs read back without it).</param>
public sealed record StoredClip(int BeatIndex, string BlobKey, double DurationSeconds, string Kind = "generated", ClipCredit? Credit = null);

/// <summary>The voice stage's output: the narration in the blob store and when each word is spoken.</summary>
/// <param name="Voice">The voice used (provider:voice as the provider names it, e.g. espeak:en+f3), or the row's Voice when the provider does not say.</param>
/// <param name="SpeedFactor">The speaking rate against the provider's normal one, so a regenerated voice's "slower" starts from it.</param>
public sealed record VoiceOutput(string BlobKey, double DurationSeconds, string Voice, string Language, IReadOnlyList<WordTiming> Words, double SpeedFactor = 1);

/// <summary>The render stage's output: the finished MP4, its thumbnail and preview, the plan it was rendered from, and the loudness gain applied.</summary>
public sealed record RenderOutput(
    string VideoBlobKey,
    double DurationSeconds,
    int Width,
    int Height,
    long SizeBytes,
    string? ThumbnailBlobKey = null,
    string? PreviewBlobKey = null,
    string? PlanBlobKey = null,
    double? LoudnessGainDb = null);

/// <summary>The review stage's output: who decided what.</summary>
/// <param name="Verdict">
/// pending while it waits, then the decision's verdict word (approve, reject, regenerate; see ReviewVerdicts, which
/// also reads the approved and rejected of outputs written before).
/// </param>
/// <param name="RegenerateStage">With regenerate: the stage that reruns (its wire name).</param>
/// <param name="Feedback">With regenerate: what the reviewer wants changed; the next generation's stages read it.</param>
public sealed record ReviewOutput(string Verdict, string Reviewer, string? Reason, string? Feedback = null, string? RegenerateStage = null);

/// <summary>The publish stage's output: where the video went.</summary>
public sealed record PublishOutput(IReadOnlyList<PublishedVideo> Videos);
