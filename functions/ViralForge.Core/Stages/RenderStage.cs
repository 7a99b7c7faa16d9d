using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Stage 6: one FFmpeg pass composing visuals, captions, watermark and narration into the MP4.</summary>
public sealed class RenderStage(IRenderer renderer, IOptions<ViralForgeOptions> options) : IStage
{
    /// <summary>Picture kept after the last word, so the video does not cut off mid-breath.</summary>
    public const double TailSeconds = 0.5;

    public StageName Name => StageName.Render;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var visuals = await context.GetOutputAsync<VisualsOutput>(StageName.Visuals, cancellationToken);
        var voice = await context.GetOutputAsync<VoiceOutput>(StageName.Voice, cancellationToken);

        // The visuals were timed from the script's estimate; stretch them to the real narration.
        var planned = visuals.Clips.Sum(c => c.DurationSeconds);
        var scale = (voice.DurationSeconds + TailSeconds) / planned;
        var scenes = new List<RenderScene>();
        foreach (var clip in visuals.Clips.OrderBy(c => c.BeatIndex))
        {
            scenes.Add(new RenderScene(await context.FetchAsync(clip.BlobKey, cancellationToken), Math.Round(clip.DurationSeconds * scale, 3)));
        }
        var narration = await context.FetchAsync(voice.BlobKey, cancellationToken);

        var output = context.LocalPath("video.mp4");
        var result = await renderer.RenderAsync(
            new RenderRequest(scenes, narration, voice.DurationSeconds, voice.Words, options.Value.Watermark, output), cancellationToken);

        var key = context.BlobKey("video.mp4");
        var size = new FileInfo(result.OutputPath).Length;
        return StageResult.Completed(
            new RenderOutput(key, result.DurationSeconds, result.Width, result.Height, size),
            $"{result.Width}x{result.Height}, {result.DurationSeconds:0.0} s",
            new ProducedFile("video", result.OutputPath, key, result.DurationSeconds));
    }
}
