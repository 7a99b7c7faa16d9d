using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;

namespace ViralForge.Core.Stages;

/// <summary>Stage 5: the narration, with a timing for every word (the captions need them).</summary>
public sealed class VoiceStage(IVoiceProvider voice) : IStage
{
    public StageName Name => StageName.Voice;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, cancellationToken);
        var request = context.Request;
        var narration = await voice.SynthesizeAsync(script.NarrationText, request.Voice, request.Language, context.LocalPath("narration.wav"), cancellationToken);
        if (narration.Words.Count == 0)
        {
            throw new PermanentStageException("The voice produced no word timings, so captions cannot be timed.");
        }
        await context.NoteAsync(narration.Notes, cancellationToken);
        var key = context.BlobKey("narration.wav");
        var output = new VoiceOutput(key, narration.DurationSeconds, request.Voice, request.Language, narration.Words);
        return StageResult.Completed(output, $"{narration.DurationSeconds:0.0} s narration, {narration.Words.Count} words",
            new ProducedFile("narration", narration.LocalPath, key, narration.DurationSeconds));
    }
}
