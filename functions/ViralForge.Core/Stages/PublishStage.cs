using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;

namespace ViralForge.Core.Stages;

/// <summary>
/// Stage 8: upload to the row's platforms (a published folder locally), reporting the upload's share done as the stage's
/// progress ("publish 40%"). A Publish At still ahead leaves the job scheduled rather than published (StageRunner).
/// </summary>
public sealed class PublishStage(IPublisher publisher) : IStage
{
    public StageName Name => StageName.Publish;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var video = await context.GetOutputAsync<RenderOutput>(StageName.Render, cancellationToken);
        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, cancellationToken);
        var local = await context.FetchAsync(video.VideoBlobKey, cancellationToken);
        var request = context.Request;
        var published = await publisher.PublishAsync(
            new PublishRequest(context.Job.Id, local, script.Title, script.Description, script.Tags, request.Platforms, request.PublishAt),
            cancellationToken,
            context.Progress);
        return StageResult.Completed(new PublishOutput(published), string.Join(", ", published.Select(p => $"{p.Platform}: {p.Url}")));
    }

    public async Task CompensateAsync(CompensationContext context, CancellationToken cancellationToken)
    {
        if (context.Run.Output is { } output)
        {
            var published = StageJson.FromElement<PublishOutput>(output);
            await publisher.UnpublishAsync(context.Job.Id, published.Videos, cancellationToken);
        }
    }
}
