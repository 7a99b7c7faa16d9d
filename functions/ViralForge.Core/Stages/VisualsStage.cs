using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;

namespace ViralForge.Core.Stages;

/// <summary>Stage 4: the visuals of each beat (one clip, or two shots of stock footage), in the row's frame shape and as the reviewer's regenerate feedback asks.</summary>
public sealed class VisualsStage(IVisualsProvider visuals) : IStage
{
    public StageName Name => StageName.Visuals;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, cancellationToken);
        var seconds = BeatSeconds(script);
        // A regenerate's feedback ("darker", "show the beach") goes to the provider, so the new generation looks as asked.
        var feedback = await context.GetFeedbackAsync(cancellationToken);
        var request = context.Request;
        var clips = await visuals.CreateAsync(
            new VisualsRequest(
                context.Job.Id, script, seconds, request.Style, context.WorkFolder, request.Format, feedback,
                request.Visuals, context.Job.SheetId, request.Language, context.Generation, request.Topic),
            cancellationToken);
        // A beat that could not have what the row asked (an AI clip refused, no stock match) says so on the row.
        await context.NoteAsync(clips.Where(c => c.Note is not null).Select(c => c.Note!).ToList(), cancellationToken);

        var files = clips
            .Select(c => new ProducedFile("visual", c.LocalPath, context.BlobKey(Path.GetFileName(c.LocalPath)), c.DurationSeconds))
            .ToArray();
        var output = new VisualsOutput(clips.Zip(files, (c, f) => new StoredClip(c.BeatIndex, f.BlobKey, c.DurationSeconds, c.Kind, c.Credit)).ToList());
        return StageResult.Completed(output, $"{clips.Count} visuals", files);
    }

    /// <summary>
    /// How long each beat's visual shows: the script's estimated length shared out by words, with the
    /// hook spoken over the first beat's visual and the call to action over the last one's.
    /// </summary>
    public static IReadOnlyList<double> BeatSeconds(VideoScript script)
    {
        // Spoken length rather than whitespace words: a Japanese sentence has no spaces.
        var words = script.Beats.Select(b => SpokenLength.Words(b.Narration)).ToArray();
        words[0] += SpokenLength.Words(script.Hook);
        words[^1] += SpokenLength.Words(script.CallToAction);
        var total = words.Sum();
        return words.Select(w => Math.Max(1.0, Math.Round(script.EstimatedSeconds * w / total, 2))).ToList();
    }
}
