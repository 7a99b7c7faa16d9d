using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Review;

/// <summary>
/// Review mode "bot", on any host: posts the card through every registered <see cref="IReviewPoster"/> (none: only the
/// local review page shows it), once per surface per (job, generation), schedules the reminder and the expiry, and
/// leaves the stage awaiting a decision, holding no worker while people look.
/// </summary>
public sealed class ChatReviewChannel(
    IEnumerable<IReviewPoster> posters,
    IReviewLedger ledger,
    ITaskQueue queue,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<ChatReviewChannel> log) : IReviewChannel
{
    /// <summary>The queue of the reminder and expiry tasks.</summary>
    public const string TimerQueue = "vf-review-timers";

    public const string RemindPath = "/review/remind";

    public const string ExpirePath = "/review/expire";

    public async Task<ReviewDecision?> RequestAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var review = options.Value.Review;
        var card = ForChat(request, review);

        // A redelivered review stage (a poster failed, the host stopped) finds the cards it posted and posts only the rest.
        var posted = (await ledger.ListPostedAsync(request.JobId, request.Generation, cancellationToken))
            .Select(m => m.Surface)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var poster in posters)
        {
            if (posted.Contains(poster.Surface))
            {
                log.AlreadyPosted(request.JobId, request.Generation, poster.Surface);
                continue;
            }
            var message = await poster.PostAsync(card, cancellationToken);
            if (message.Surface != poster.Surface || message.JobId != request.JobId || message.Generation != request.Generation)
            {
                throw new InvalidOperationException(
                    $"The {poster.Surface} poster said it posted {message.Surface} for job {message.JobId} generation {message.Generation}, not this card.");
            }
            await ledger.RecordPostedAsync(message, cancellationToken);
            log.Posted(request.JobId, request.Generation, poster.Surface);
        }

        // Named per (job, generation), so a redelivery keeps the first schedule.
        var now = time.GetUtcNow();
        await ScheduleAsync(request.JobId, request.Generation, "remind", RemindPath, now + review.RemindAfter, cancellationToken);
        await ScheduleAsync(request.JobId, request.Generation, "expire", ExpirePath, now + review.ExpireAfter, cancellationToken);
        return null;
    }

    /// <summary>The card as chat shows it: linking to the local review page when Review:PageBaseUrl is set.</summary>
    public static ReviewRequest ForChat(ReviewRequest card, ReviewOptions review)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(review);
        return review.PageBaseUrl is { } page ? card with { VideoUrl = PageUrl(page, card.JobId) } : card;
    }

    /// <summary>{PageBaseUrl}/review/{jobId}: the local review page of one job.</summary>
    public static Uri PageUrl(Uri pageBaseUrl, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(pageBaseUrl);
        return new Uri($"{pageBaseUrl.AbsoluteUri.TrimEnd('/')}/review/{jobId}");
    }

    private Task<EnqueueResult> ScheduleAsync(Guid jobId, int generation, string kind, string path, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new StageMessage(jobId, generation), CoreJson.Default.StageMessage);
        return queue.EnqueueAsync(new QueueTask(TimerQueue, ReviewDesk.TaskName(jobId, generation, kind), path, body, at), cancellationToken);
    }
}
