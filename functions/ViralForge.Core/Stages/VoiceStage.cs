using System.Globalization;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;

namespace ViralForge.Core.Stages;

/// <summary>Stage 5: the narration, with a timing for every word (the captions need them), fitted to the row's Duration.</summary>
/// <remarks>
/// The script is fitted to the Duration by an estimate; the narration is measured. When it is off by more than
/// <see cref="Tolerance"/> the stage speaks it again at an adjusted rate (at most <see cref="MaxRetakes"/> times, within
/// <see cref="MinSpeedFactor"/>-<see cref="MaxSpeedFactor"/> of the provider's normal rate), and fails with the measured
/// and wanted lengths when it still does not fit. Only a voice whose retakes are free (<see cref="Narration.RetakesAreFree"/>:
/// espeak-ng) is retaken; a paid one (OpenAI, ElevenLabs) is spoken once and a miss becomes a note. A reviewer's Regenerate feedback sets the voice's gender and speed.
/// </remarks>
public sealed class VoiceStage(IVoiceProvider voice) : IStage
{
    /// <summary>How far the narration (plus the render's tail) may be from the row's Duration.</summary>
    public const double Tolerance = 0.15;

    /// <summary>Slowest rate a retake or a reviewer's "slower" may use: about 120 words a minute at the usual 165.</summary>
    public const double MinSpeedFactor = 0.75;

    /// <summary>Fastest rate: about 260 words a minute at the usual 165; faster is hard to follow.</summary>
    public const double MaxSpeedFactor = 1.6;

    /// <summary>Retakes after the first take before the stage gives up.</summary>
    public const int MaxRetakes = 2;

    // A retake aims this far inside the tolerance, at the edge nearer where the take landed, so that a reviewer's
    // "slower" stays as slow as the Duration allows.
    private const double Aim = 0.10;

    public StageName Name => StageName.Voice;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, cancellationToken);
        var request = context.Request;
        var feedback = await context.GetFeedbackAsync(cancellationToken);
        var factor = Math.Clamp(await StartingSpeedAsync(context, feedback, cancellationToken), MinSpeedFactor, MaxSpeedFactor);
        // The video runs for the narration plus the render's tail.
        var target = Math.Max(1, request.DurationSeconds - RenderStage.TailSeconds);

        var path = context.LocalPath("narration.wav");
        var work = new PaidWork(context.Job.Id, StageName.Voice, context.Generation, "tts");
        var take = new VoiceRequest(script.NarrationText, request.Voice, request.Language, path, factor, feedback?.Gender, target, work, request.Style);
        var narration = await voice.SynthesizeAsync(take, cancellationToken);
        var retakes = 0;
        var notes = narration.Notes?.ToList() ?? [];
        if (!narration.RetakesAreFree && !Fits(narration.DurationSeconds, target))
        {
            // A paid voice charges for every take, so a miss is told to the row rather than bought again; the video
            // runs for the narration, a little off the Duration, which is better than paying two or three times.
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"The narration lasts {narration.DurationSeconds:0.0} s where Duration {request.DurationSeconds} s wants about {target:0.0} s; a paid voice is not retaken, so shorten or lengthen the Notes if it matters."));
        }
        while (narration.RetakesAreFree && !Fits(narration.DurationSeconds, target) && retakes < MaxRetakes)
        {
            var aim = Math.Clamp(narration.DurationSeconds, target * (1 - Aim), target * (1 + Aim));
            var next = Math.Clamp(factor * narration.DurationSeconds / aim, MinSpeedFactor, MaxSpeedFactor);
            if (Math.Abs(next - factor) < 0.005)
            {
                break;
            }
            factor = next;
            narration = await voice.SynthesizeAsync(take with { SpeedFactor = factor }, cancellationToken);
            notes = narration.Notes?.ToList() ?? [];
            retakes++;
        }
        if (narration.RetakesAreFree && !Fits(narration.DurationSeconds, target))
        {
            throw new PermanentStageException(string.Create(
                CultureInfo.InvariantCulture,
                $"the narration lasts {narration.DurationSeconds:0.0} s but Duration {request.DurationSeconds} s wants about {target:0.0} s (within {Tolerance:P0}), even spoken at {factor:0.00}x speed; shorten or lengthen the Notes, or change Duration"));
        }
        if (narration.Words.Count == 0)
        {
            throw new PermanentStageException("The voice produced no word timings, so captions cannot be timed.");
        }
        await context.NoteAsync(notes, cancellationToken);
        var key = context.BlobKey("narration.wav");
        var used = narration.Voice ?? request.Voice;
        var output = new VoiceOutput(key, narration.DurationSeconds, used, request.Language, narration.Words, factor);
        var speed = Math.Abs(factor - 1) < 0.005 ? "" : string.Create(CultureInfo.InvariantCulture, $" at {factor:0.00}x speed");
        var summary = string.Create(CultureInfo.InvariantCulture, $"{narration.DurationSeconds:0.0} s narration, {narration.Words.Count} words, {used}{speed}");
        if (retakes > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $" ({retakes} retake{(retakes == 1 ? "" : "s")} to fit {target:0.0} s)");
        }
        return StageResult.Completed(output, summary, new ProducedFile("narration", narration.LocalPath, key, narration.DurationSeconds));
    }

    /// <summary>Whether a narration of <paramref name="seconds"/> fits <paramref name="target"/> within <see cref="Tolerance"/>.</summary>
    public static bool Fits(double seconds, double target) => Math.Abs(seconds - target) <= target * Tolerance;

    /// <summary>
    /// 1, or for a reviewer who asked for a slower or faster voice, the previous generation's rate times what they asked:
    /// "a bit slower" means slower than what they heard.
    /// </summary>
    private static async Task<double> StartingSpeedAsync(StageContext context, ReviewerFeedback? feedback, CancellationToken cancellationToken)
    {
        if (feedback is null || Math.Abs(feedback.SpeedFactor - 1) < 0.001)
        {
            return 1;
        }
        try
        {
            var previous = await context.GetOutputAsync<VoiceOutput>(StageName.Voice, cancellationToken);
            return previous.SpeedFactor * feedback.SpeedFactor;
        }
        catch (InvalidOperationException)
        {
            // No earlier narration (the regenerate started before the voice stage ever ran): the normal rate.
            return feedback.SpeedFactor;
        }
    }
}
