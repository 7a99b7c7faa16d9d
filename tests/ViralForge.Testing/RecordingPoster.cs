using System.Collections.Concurrent;
using ViralForge.Core.Ports;

namespace ViralForge.Testing;

/// <summary>A chat surface that keeps what it was asked to do, and can fail its next calls the way an unreachable API does.</summary>
public sealed class RecordingPoster(string surface) : IReviewPoster
{
    private int failPosts;
    private int failShows;
    private int sequence;

    public string Surface => surface;

    public ConcurrentQueue<ReviewRequest> Posts { get; } = new();

    public ConcurrentQueue<(PostedReviewMessage Message, ReviewRequest Card, RecordedDecision Decision)> Shown { get; } = new();

    public ConcurrentQueue<(PostedReviewMessage Message, ReviewRequest Card)> Reminders { get; } = new();

    /// <summary>The next <paramref name="count"/> posts throw, as a chat API answering 503 would.</summary>
    public void FailNextPosts(int count) => Volatile.Write(ref failPosts, count);

    public void FailNextShows(int count) => Volatile.Write(ref failShows, count);

    public Task<PostedReviewMessage> PostAsync(ReviewRequest card, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref failPosts) >= 0)
        {
            throw new HttpRequestException($"{surface} is unavailable (503)");
        }
        Posts.Enqueue(card);
        var ts = Interlocked.Increment(ref sequence);
        return Task.FromResult(new PostedReviewMessage(card.JobId, card.Generation, surface, $$"""{"channel":"C-{{surface}}","ts":"{{ts}}.000100"}""", DateTimeOffset.UnixEpoch.AddSeconds(ts)));
    }

    public Task ShowDecisionAsync(PostedReviewMessage message, ReviewRequest card, RecordedDecision decision, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref failShows) >= 0)
        {
            throw new HttpRequestException($"{surface} is unavailable (503)");
        }
        Shown.Enqueue((message, card, decision));
        return Task.CompletedTask;
    }

    public Task RemindAsync(PostedReviewMessage message, ReviewRequest card, CancellationToken cancellationToken)
    {
        Reminders.Enqueue((message, card));
        return Task.CompletedTask;
    }
}
