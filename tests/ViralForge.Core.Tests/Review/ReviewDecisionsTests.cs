using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Core.Tests.Review;

/// <summary>
/// ReviewDecisions and the desk under at-least-once delivery, without running the pipeline or a web host: the review
/// run is put in the state an interrupted application leaves behind, and the repeat must finish it exactly once.
/// </summary>
public sealed class ReviewDecisionsTests
{
    [Fact]
    public async Task A_regenerate_interrupted_before_the_new_generation_is_finished_by_racing_repeats_once()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await AwaitingReviewAsync(host);
        var store = host.Get<IJobStore>();
        // The first application wrote the decision on the review run, then stopped before starting generation 2.
        await store.CompleteStageAsync(new StageCompletion(id, StageName.Review, 1,
            StageJson.ToElement(new ReviewOutput(ReviewVerdicts.Regenerate, "Ana", null, "more energy", "voice")), [],
            JobStatus.ForStage(StageName.Voice), "regenerate from voice asked by Ana"), CancellationToken.None);

        // The repeats carry other words (a stale approve): what was written on the run is what gets finished.
        var decisions = host.Get<ReviewDecisions>();
        var approve = new ReviewDecision(ReviewVerdict.Approve, "Bo");
        var repeats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => decisions.ApplyAsync(id, 1, approve, CancellationToken.None))));
        var late = await decisions.ApplyAsync(id, 1, approve, CancellationToken.None);

        Assert.All(repeats.Append(late), r => Assert.Equal("regenerating from voice (generation 2)", r));
        Assert.Equal(2, (await host.GetJobAsync(id)).Generation);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-voice'"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-publish'"));
    }

    [Fact]
    public async Task An_approval_interrupted_before_publish_was_queued_is_queued_by_the_repeat_once()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await AwaitingReviewAsync(host);
        await host.Get<IJobStore>().CompleteStageAsync(new StageCompletion(id, StageName.Review, 1,
            StageJson.ToElement(new ReviewOutput(ReviewVerdicts.Approve, "Ana", null)), [], JobStatus.Approved, "approved by Ana"), CancellationToken.None);

        var decisions = host.Get<ReviewDecisions>();
        var first = await decisions.ApplyAsync(id, 1, new ReviewDecision(ReviewVerdict.Approve, "Ana"), CancellationToken.None);
        var second = await decisions.ApplyAsync(id, 1, new ReviewDecision(ReviewVerdict.Approve, "Ana"), CancellationToken.None);

        Assert.Equal(("approved; publishing", "approved; publishing"), (first, second));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-publish'"));
    }

    [Fact]
    public async Task A_decision_for_another_generation_is_refused_and_changes_nothing()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await AwaitingReviewAsync(host);
        var decisions = host.Get<ReviewDecisions>();

        var older = await decisions.ApplyAsync(id, 0, new ReviewDecision(ReviewVerdict.Reject, "Ana", "old card"), CancellationToken.None);
        var newer = await decisions.ApplyAsync(id, 2, new ReviewDecision(ReviewVerdict.Approve, "Ana"), CancellationToken.None);

        Assert.Equal("refused: the decision is for generation 0, but the job is at generation 1", older);
        Assert.Equal("refused: the decision is for generation 2, but the job is at generation 1", newer);
        var job = await host.GetJobAsync(id);
        Assert.Equal(("review", 1), (job.Status, job.Generation));
        Assert.True(await ReviewDecisions.IsAwaitingAsync(host.Get<IJobStore>(), job, CancellationToken.None));
    }

    [Fact]
    public async Task The_desk_refuses_to_record_a_regenerate_of_review_or_publish()
    {
        await using var host = await ReviewCoreHost.StartAsync(new Dictionary<string, string?> { ["ViralForge:Review:Reviewers:0"] = "U1" });
        var id = await AwaitingReviewAsync(host);
        var decision = new RecordedDecision(id, 1, ReviewVerdict.Regenerate, "U1", "Ana", "slack", null, StageName.Publish, "again", host.Get<TimeProvider>().GetUtcNow());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Get<ReviewDesk>().DecideAsync(decision, CancellationToken.None));

        Assert.Contains("not publish", error.Message, StringComparison.Ordinal);
        Assert.Null(await host.Get<IReviewLedger>().GetDecisionAsync(id, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_click_that_loses_to_a_decision_already_being_applied_is_told_who_decided()
    {
        await using var host = await ReviewCoreHost.StartAsync(new Dictionary<string, string?>
        {
            ["ViralForge:Review:Reviewers:0"] = "U1",
            ["ViralForge:Review:Reviewers:1"] = "U2",
        });
        var id = await AwaitingReviewAsync(host);
        var store = host.Get<IJobStore>();
        var ledger = host.Get<IReviewLedger>();
        var now = host.Get<TimeProvider>().GetUtcNow();
        var ana = new RecordedDecision(id, 1, ReviewVerdict.Approve, "U1", "Ana", "slack", null, null, null, now);
        // Between the desk's first look at the ledger and its look at the job, Ana's click is recorded and its
        // application writes the review run: the job still says "review" but no longer waits.
        var racing = new RacingLedger(ledger, async () =>
        {
            await ledger.DecideAsync(ana, CancellationToken.None);
            await host.Get<ReviewDecisions>().ApplyAsync(id, 1, new ReviewDecision(ReviewVerdict.Approve, "Ana"), CancellationToken.None);
        });
        var desk = new ReviewDesk(store, racing, host.Get<ITaskQueue>(), host.Get<IOptions<ViralForgeOptions>>());

        var bo = await desk.DecideAsync(ana with { ReviewerId = "U2", ReviewerName = "Bo", Verdict = ReviewVerdict.Reject, Reason = "no" }, CancellationToken.None);

        Assert.Equal(DeskOutcome.AlreadyDecided, bo.Outcome);
        Assert.StartsWith("Already decided: Approved by Ana", bo.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewVerdict.Approve, (await ledger.GetDecisionAsync(id, 1, CancellationToken.None))!.Verdict);
    }

    /// <summary>The real ledger, except that the first read of a decision lets a racer act first and then answers "none yet".</summary>
    private sealed class RacingLedger(IReviewLedger inner, Func<Task> racer) : IReviewLedger
    {
        private int reads;

        public async Task<RecordedDecision?> GetDecisionAsync(Guid jobId, int generation, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref reads) == 1)
            {
                await racer();
                return null;
            }
            return await inner.GetDecisionAsync(jobId, generation, cancellationToken);
        }

        public Task RecordPostedAsync(PostedReviewMessage message, CancellationToken cancellationToken) => inner.RecordPostedAsync(message, cancellationToken);

        public Task<IReadOnlyList<PostedReviewMessage>> ListPostedAsync(Guid jobId, int generation, CancellationToken cancellationToken) =>
            inner.ListPostedAsync(jobId, generation, cancellationToken);

        public Task<DecisionClaim> DecideAsync(RecordedDecision decision, CancellationToken cancellationToken) => inner.DecideAsync(decision, cancellationToken);

        public Task<bool> MarkAppliedAsync(Guid jobId, int generation, CancellationToken cancellationToken) => inner.MarkAppliedAsync(jobId, generation, cancellationToken);

        public Task<DateTimeOffset?> GetAppliedAtAsync(Guid jobId, int generation, CancellationToken cancellationToken) =>
            inner.GetAppliedAtAsync(jobId, generation, cancellationToken);
    }

    /// <summary>A submitted job whose generation 1 review run waits for a decision, as the review stage leaves it.</summary>
    private static async Task<Guid> AwaitingReviewAsync(ReviewCoreHost host)
    {
        var id = await host.SubmitAsync();
        await TestReviews.AwaitReviewAsync(host.Get<IJobStore>(), id);
        return id;
    }
}
