using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;

namespace ViralForge.Core.Stages;

/// <summary>
/// Stage 8: upload to the row's platforms (a published folder locally), reporting the upload's share done as the stage's
/// progress ("publish 40%"). A Publish At still ahead leaves the job scheduled rather than published (StageRunner).
/// </summary>
/// <remarks>
/// The upload is recorded in the cost ledger under <see cref="PublishRequest.Work"/> (each platform's session or result
/// under its own call), so a redelivery resumes or reuses it instead of uploading again. The store, when given, takes
/// the take-down's "remove by hand" sentences as notes for the row.
/// </remarks>
/// <param name="metrics">Schedules the analytics reads (+1 h, +24 h, +7 d after the video is public); none schedules nothing.</param>
public sealed class PublishStage(IPublisher publisher, IJobStore? store = null, Metrics.MetricsTasks? metrics = null) : IStage
{
    /// <summary>The paid work's call name of the upload; each platform adds its own (youtube-upload, tiktok-init).</summary>
    public const string PublishCall = "publish";

    /// <summary>The paid work's call name of the compensation's take-down.</summary>
    public const string TakeDownCall = "takedown";

    /// <summary>The job event of a publish deferred until the row's Publish At: the platform posts then (TikTok has no scheduling).</summary>
    public const string WaitingEventKind = "publish-waiting";

    public StageName Name => StageName.Publish;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var video = await context.GetOutputAsync<RenderOutput>(StageName.Render, cancellationToken);
        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, cancellationToken);
        var visuals = await context.GetOutputAsync<VisualsOutput>(StageName.Visuals, cancellationToken);
        var credits = visuals.Credits();
        var local = await context.FetchAsync(video.VideoBlobKey, cancellationToken);
        var thumbnail = video.ThumbnailBlobKey is { } key ? await context.FetchAsync(key, cancellationToken) : null;
        var request = context.Request;
        IReadOnlyList<PublishedVideo> published;
        try
        {
            published = await publisher.PublishAsync(
                new PublishRequest(
                    context.Job.Id, local, script.Title, DescriptionWithCredits(script.Description, credits), script.Tags, request.Platforms,
                    request.PublishAt, credits,
                    Work: new PaidWork(context.Job.Id, StageName.Publish, context.Generation, PublishCall),
                    ThumbnailPath: thumbnail,
                    Language: request.Language,
                    // An empty Channel cell posts to each platform's default account (Publishing settings).
                    Channel: string.IsNullOrWhiteSpace(request.Channel) ? null : request.Channel),
                cancellationToken,
                context.Progress);
        }
        catch (StageDeferredException deferral) when (store is not null && request.PublishAt is { } at && deferral.Until == at)
        {
            // Waiting for the row's own Publish At (TikTok cannot schedule a post), not for a quota: the row reads scheduled
            // meanwhile (SheetStatusWriter), although the job is not done and its status stays approved.
            await store.AppendEventAsync(context.Job.Id, WaitingEventKind, StageName.Publish, at.ToString("O", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            throw;
        }
        await context.NoteAsync([.. published.Where(p => p.Note is not null).Select(p => p.Note!)], cancellationToken);
        if (metrics is not null)
        {
            // Named by (job, read, generation): a redelivered publish finds the same three tasks and queues nothing more.
            await metrics.ScheduleAsync(context.Job.Id, context.Generation, published, request.PublishAt, cancellationToken);
        }
        return StageResult.Completed(new PublishOutput(published), string.Join(", ", published.Select(p => $"{p.Platform}: {p.Url}")));
    }

    /// <summary>YouTube's description limit, in bytes of UTF-8 (TikTok's caption limit is larger).</summary>
    public const int DescriptionMaxBytes = 5000;

    /// <summary>
    /// The script's description followed by a line per clip someone else made ("Video by Jane on Pexels: …"), as the
    /// stock sites ask. Credits that would pass the platform's limit are summed up in a last line instead of cut mid-way.
    /// </summary>
    public static string DescriptionWithCredits(string description, IReadOnlyList<ClipCredit> credits)
    {
        ArgumentNullException.ThrowIfNull(credits);
        if (credits.Count == 0)
        {
            return description;
        }
        var text = new System.Text.StringBuilder(description.TrimEnd()).Append("\n\nCredits:");
        for (var i = 0; i < credits.Count; i++)
        {
            var line = "\n" + credits[i].Line();
            var rest = credits.Count - i - 1;
            var reserve = rest > 0 ? 40 : 0;
            if (System.Text.Encoding.UTF8.GetByteCount(text.ToString() + line) + reserve > DescriptionMaxBytes)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\nand {credits.Count - i} more clips (see the job's visuals)");
                break;
            }
            text.Append(line);
        }
        return text.ToString();
    }

    public async Task CompensateAsync(CompensationContext context, CancellationToken cancellationToken)
    {
        if (context.Run.Output is { } output)
        {
            var published = StageJson.FromElement<PublishOutput>(output);
            var work = new PaidWork(context.Job.Id, StageName.Publish, context.Run.Generation, TakeDownCall);
            var toDoByHand = await publisher.TakeDownAsync(work, published.Videos, cancellationToken);
            foreach (var sentence in toDoByHand)
            {
                if (store is not null)
                {
                    await store.AppendEventAsync(context.Job.Id, StageContext.NoteEventKind, StageName.Publish, sentence, cancellationToken);
                }
            }
        }
    }
}
