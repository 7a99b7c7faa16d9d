using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Review;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Bot.Tests.Review;

/// <summary>The review bot's core through real pipelines: the local host, queue, PostgreSQL, espeak-ng and FFmpeg.</summary>
public sealed class ReviewBotTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_job_at_review_is_posted_once_through_each_poster_and_a_redelivered_review_stage_posts_nothing_more()
    {
        var teams = new RecordingPoster("teams");
        var slack = new RecordingPoster("slack");
        slack.FailNextPosts(1); // the first delivery posts to Teams, then fails on Slack and is retried
        await using var host = await BotHost.StartAsync(
            services => services.AddSingleton<IReviewPoster>(teams).AddSingleton<IReviewPoster>(slack),
            new Dictionary<string, string?> { ["ViralForge:Review:PageBaseUrl"] = "http://127.0.0.1:8080/" });
        var id = await host.SubmitAsync();
        await host.WaitForReviewAsync(id);

        using var redelivered = await host.PostTaskAsync(StageTasks.PathFor(StageName.Review), id, 1);
        var card = await host.Get<ReviewCards>().BuildAsync(await host.GetJobAsync(id), 1, CancellationToken.None);
        var again = await host.Get<IReviewChannel>().RequestAsync(card, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Null(again);
        var onTeams = Assert.Single(teams.Posts);
        var onSlack = Assert.Single(slack.Posts);
        Assert.Equal(onTeams, onSlack);
        Assert.Equal(new Uri($"http://127.0.0.1:8080/review/{id}"), onTeams.VideoUrl);
        Assert.Equal((id, 1, "Three stretches for desk workers", 0m), (onTeams.JobId, onTeams.Generation, onTeams.Topic, onTeams.CostSoFarUsd));
        Assert.True(File.Exists(onTeams.ThumbnailUrl!.LocalPath), $"thumbnail {onTeams.ThumbnailUrl} is not a file");
        Assert.Contains(await host.EventsAsync(id), e => e.Kind == "attempt_failed" && e.Stage == StageName.Review && e.Message.Contains("slack is unavailable", StringComparison.Ordinal));

        var posted = await host.Get<IReviewLedger>().ListPostedAsync(id, 1, CancellationToken.None);
        Assert.Equal(["slack", "teams"], posted.Select(p => p.Surface).Order(StringComparer.Ordinal));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-review-timers'"));
        var remindIn = await host.ScalarAsync<double>("SELECT extract(epoch FROM schedule_time - created_at)::float8 FROM tasks WHERE name = @name",
            ("name", ReviewDesk.TaskName(id, 1, "remind")));
        var expireIn = await host.ScalarAsync<double>("SELECT extract(epoch FROM schedule_time - created_at)::float8 FROM tasks WHERE name = @name",
            ("name", ReviewDesk.TaskName(id, 1, "expire")));
        Assert.InRange(remindIn, TimeSpan.FromHours(24).TotalSeconds - 60, TimeSpan.FromHours(24).TotalSeconds + 1);
        Assert.InRange(expireIn, TimeSpan.FromDays(3).TotalSeconds - 60, TimeSpan.FromDays(3).TotalSeconds + 1);
    }

    [Fact]
    public async Task A_double_click_and_two_racing_reviewers_give_one_decision_and_the_job_publishes_once()
    {
        var slack = new RecordingPoster("slack");
        await using var host = await BotHost.StartAsync(services => services.AddSingleton<IReviewPoster>(slack), Reviewers("U1", "U2"));
        var id = await host.SubmitAsync();
        await host.WaitForReviewAsync(id);
        var desk = host.Get<ReviewDesk>();
        var ledger = host.Get<IReviewLedger>();

        var outsider = await desk.DecideAsync(Decision(host, id, 1, ReviewVerdict.Reject, "U9", reason: "not mine to say"), CancellationToken.None);
        Assert.Equal(DeskOutcome.NotAReviewer, outsider.Outcome);
        Assert.Null(await ledger.GetDecisionAsync(id, 1, CancellationToken.None));
        Assert.True(await ReviewDecisions.IsAwaitingAsync(host.Get<IJobStore>(), await host.GetJobAsync(id), CancellationToken.None));

        using var gate = new SemaphoreSlim(0);
        var clicks = new[] { "U1", "U1", "U2" }.Select(user => Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await desk.DecideAsync(Decision(host, id, 1, ReviewVerdict.Approve, user), CancellationToken.None);
        })).ToList();
        gate.Release(clicks.Count);
        var results = await Task.WhenAll(clicks);
        var job = await host.WaitForJobAsync(id, j => j.IsTerminal);
        await WaitForAppliedAsync(host, id, 1);

        var winner = Assert.Single(results, r => r.Outcome == DeskOutcome.Decided).Decision!;
        Assert.All(results.Where(r => r.Outcome != DeskOutcome.Decided), r =>
        {
            Assert.Equal(DeskOutcome.AlreadyDecided, r.Outcome);
            Assert.Equal(winner, r.Decision);
            Assert.StartsWith($"Already decided: Approved by {winner.ReviewerName}", r.Message, StringComparison.Ordinal);
        });
        Assert.Equal(JobStatus.Published, job.Status);
        Assert.Single(await host.EventsAsync(id), e => e.Kind == "completed" && e.Stage == StageName.Publish);
        Assert.Single(Directory.GetDirectories(Path.Combine(host.Folder.Path, "published")));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM review_decisions"));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = @queue", ("queue", ReviewDesk.DecisionQueue)));
        var shown = Assert.Single(slack.Shown);
        Assert.Equal(winner, shown.Decision);

        // A second delivery of the decision task changes nothing and updates no card again.
        using var redelivered = await host.PostTaskAsync(ReviewDesk.ApplyPath, id, 1);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(slack.Shown);
        Assert.Single(await host.EventsAsync(id), e => e.Kind == "completed" && e.Stage == StageName.Publish);
    }

    [Fact]
    public async Task A_rejection_runs_the_compensation_and_the_row_says_rejected_with_the_reason()
    {
        var slack = new RecordingPoster("slack");
        slack.FailNextShows(1); // the first application cannot update the card: 503, and the retry finishes it
        await using var host = await BotHost.StartAsync(services => services.AddSingleton<IReviewPoster>(slack), Reviewers("U1"));
        var id = await host.SubmitAsync();
        await host.WaitForReviewAsync(id);
        var blobs = Path.Combine(host.Folder.Path, "blobs", BlobKeys.JobPrefix(id));
        Assert.True(Directory.Exists(blobs));

        var result = await host.Get<ReviewDesk>().DecideAsync(Decision(host, id, 1, ReviewVerdict.Reject, "U1", reason: "the hook is off brand"), CancellationToken.None);
        var job = await host.WaitForJobAsync(id, j => j.IsTerminal);
        await WaitForAppliedAsync(host, id, 1);
        await BotHost.WaitUntilAsync(() => Task.FromResult(!Directory.Exists(blobs)), Soon, "the job's blobs to be deleted");

        Assert.Equal(DeskOutcome.Decided, result.Outcome);
        Assert.Equal(JobStatus.Rejected, job.Status);
        Assert.Equal("rejected by Reviewer U1: the hook is off brand", job.Error);
        Assert.Equal("reject", await host.ScalarAsync<string>("SELECT verdict FROM review_decisions WHERE job_id = @job", ("job", id)));
        Assert.Equal("the hook is off brand", await host.ScalarAsync<string>("SELECT reason FROM review_decisions WHERE job_id = @job", ("job", id)));
        var row = Assert.Single(await host.ReadSheetAsync());
        Assert.Equal("rejected", row.Get(SheetContract.Status));
        Assert.Contains("the hook is off brand", row.Get(SheetContract.Error), StringComparison.Ordinal);
        var events = await host.EventsAsync(id);
        Assert.Equal(
            [StageName.Review, StageName.Render, StageName.Voice, StageName.Visuals, StageName.Script, StageName.Analysis, StageName.Trends],
            events.Where(e => e.Kind == "compensated").Select(e => e.Stage!.Value));
        Assert.Equal(ReviewVerdict.Reject, Assert.Single(slack.Shown).Decision.Verdict);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = @queue AND dispatch_count = 2", ("queue", ReviewDesk.DecisionQueue)));
    }

    [Fact]
    public async Task Regenerate_reruns_script_to_render_at_generation_two_with_the_feedback_and_posts_a_new_card()
    {
        const string feedback = "Open with the surprising number";
        var slack = new RecordingPoster("slack");
        await using var host = await BotHost.StartAsync(services => services
            .AddSingleton<IReviewPoster>(slack)
            .AddSingleton<RecordingScriptWriter>()
            .AddSingleton<IScriptWriter>(sp => sp.GetRequiredService<RecordingScriptWriter>()), Reviewers("U1"));
        var id = await host.SubmitAsync(notes: "Keep it simple.");
        await host.WaitForReviewAsync(id);
        var desk = host.Get<ReviewDesk>();

        var regenerate = Decision(host, id, 1, ReviewVerdict.Regenerate, "U1") with { RegenerateStage = StageName.Script, Feedback = feedback };
        var result = await desk.DecideAsync(regenerate, CancellationToken.None);
        await host.WaitForReviewAsync(id, generation: 2);
        await WaitForAppliedAsync(host, id, 1);

        Assert.Equal(DeskOutcome.Decided, result.Outcome);
        var requests = host.Get<RecordingScriptWriter>().Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("Keep it simple.", requests[0].Notes);
        Assert.Equal($"Keep it simple.\nReviewer feedback: {feedback}", requests[1].Notes);
        var runs = await host.Get<IJobStore>().ListStageRunsAsync(id, CancellationToken.None);
        Assert.Equal(
            [StageName.Script, StageName.Visuals, StageName.Voice, StageName.Render, StageName.Review],
            runs.Where(r => r.Generation == 2).Select(r => r.Stage).Order());
        var review1 = StageJson.FromElement<ReviewOutput>(runs.Single(r => r.Stage == StageName.Review && r.Generation == 1).Output!.Value);
        Assert.Equal((ReviewVerdicts.Regenerate, "script", feedback), (review1.Verdict, review1.RegenerateStage, review1.Feedback));
        Assert.Contains(await host.EventsAsync(id), e => e.Stage == StageName.Review && e.Message.Contains($"reviewer feedback: {feedback}", StringComparison.Ordinal));
        Assert.Equal([1, 2], slack.Posts.Select(p => p.Generation));
        Assert.Contains("/g2/", slack.Posts.Last().VideoUrl.AbsolutePath, StringComparison.Ordinal);
        var shown = Assert.Single(slack.Shown);
        Assert.Equal((1, ReviewVerdict.Regenerate), (shown.Message.Generation, shown.Decision.Verdict));

        // The first card is decided; a late click on it, or a stale decision for another generation, changes nothing.
        var late = await desk.DecideAsync(Decision(host, id, 1, ReviewVerdict.Approve, "U1"), CancellationToken.None);
        var stale = await host.Get<ReviewDecisions>().ApplyAsync(id, 3, new ReviewDecision(ReviewVerdict.Approve, "someone"), CancellationToken.None);
        Assert.Equal((DeskOutcome.AlreadyDecided, ReviewVerdict.Regenerate), (late.Outcome, late.Decision!.Verdict));
        Assert.StartsWith("refused: the decision is for generation 3", stale, StringComparison.Ordinal);
        var job = await host.GetJobAsync(id);
        Assert.Equal((2, StageName.Review), (job.Generation, job.Stage));
        Assert.True(await ReviewDecisions.IsAwaitingAsync(host.Get<IJobStore>(), job, CancellationToken.None));

        // The second generation is decided on its own card.
        var approve = await desk.DecideAsync(Decision(host, id, 2, ReviewVerdict.Approve, "U1"), CancellationToken.None);
        job = await host.WaitForJobAsync(id, j => j.IsTerminal);
        Assert.Equal(DeskOutcome.Decided, approve.Outcome);
        Assert.Equal(JobStatus.Published, job.Status);
    }

    [Fact]
    public async Task A_waiting_card_gets_a_reminder_and_then_expires_rejecting_the_job_and_an_empty_reviewers_list_lets_nobody_decide()
    {
        var slack = new RecordingPoster("slack");
        await using var host = await BotHost.StartAsync(services => services.AddSingleton<IReviewPoster>(slack), new Dictionary<string, string?>
        {
            ["ViralForge:Review:RemindAfter"] = "00:00:02",
            ["ViralForge:Review:ExpireAfter"] = "00:00:06",
        });
        var id = await host.SubmitAsync();
        await host.WaitForReviewAsync(id);
        var desk = host.Get<ReviewDesk>();

        var fromSlack = await desk.DecideAsync(Decision(host, id, 1, ReviewVerdict.Approve, "U1"), CancellationToken.None);
        var fromTeams = await desk.DecideAsync(Decision(host, id, 1, ReviewVerdict.Approve, "29:aad-object-id") with { Surface = "teams" }, CancellationToken.None);
        Assert.Equal((DeskOutcome.NotAReviewer, DeskOutcome.NotAReviewer), (fromSlack.Outcome, fromTeams.Outcome));
        Assert.Null(await host.Get<IReviewLedger>().GetDecisionAsync(id, 1, CancellationToken.None));

        var job = await host.WaitForJobAsync(id, j => j.IsTerminal, Soon);
        await WaitForAppliedAsync(host, id, 1);

        Assert.Equal(JobStatus.Rejected, job.Status);
        Assert.Equal("rejected by ViralForge: review expired", job.Error);
        var reminder = Assert.Single(slack.Reminders);
        Assert.Equal((id, 1, "slack"), (reminder.Message.JobId, reminder.Message.Generation, reminder.Message.Surface));
        var shown = Assert.Single(slack.Shown).Decision;
        Assert.Equal((ReviewVerdict.Reject, "system", "ViralForge", "system", "review expired"),
            (shown.Verdict, shown.ReviewerId, shown.ReviewerName, shown.Surface, shown.Reason));

        // Late timer deliveries find nothing waiting.
        using var remind = await host.PostTaskAsync(ChatReviewChannel.RemindPath, id, 1);
        using var expire = await host.PostTaskAsync(ChatReviewChannel.ExpirePath, id, 1);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (remind.StatusCode, expire.StatusCode));
        Assert.Single(slack.Reminders);
        Assert.Single(slack.Shown);
    }

    private static Dictionary<string, string?> Reviewers(params string[] ids) =>
        ids.Select((id, i) => (Key: $"ViralForge:Review:Reviewers:{i}", Value: (string?)id)).ToDictionary(p => p.Key, p => p.Value);

    private static RecordedDecision Decision(BotHost host, Guid jobId, int generation, ReviewVerdict verdict, string reviewerId, string? reason = null) =>
        new(jobId, generation, verdict, reviewerId, $"Reviewer {reviewerId}", "slack", reason, null, null, host.Get<TimeProvider>().GetUtcNow());

    private static Task WaitForAppliedAsync(BotHost host, Guid jobId, int generation) =>
        BotHost.WaitUntilAsync(
            async () => await host.Get<IReviewLedger>().GetAppliedAtAsync(jobId, generation, CancellationToken.None) is not null,
            Soon, $"the decision of job {jobId} generation {generation} to be applied");
}
