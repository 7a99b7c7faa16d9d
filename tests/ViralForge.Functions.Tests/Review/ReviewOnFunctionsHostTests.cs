using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Sheets;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests.Review;

/// <summary>
/// The review core on the functions host alone (no bot project): the channel Review:Mode picks, the review task
/// endpoints, and review mode bot posting through whatever <see cref="IReviewPoster"/>s are registered.
/// </summary>
public sealed class ReviewOnFunctionsHostTests
{
    [Fact]
    public async Task In_review_mode_bot_the_functions_host_posts_the_card_through_the_registered_posters_and_applies_the_decision()
    {
        var poster = new RecordingPoster("chat");
        await using var host = await TestHost.StartAsync(reviewMode: "bot", replace: services => services.AddSingleton<IReviewPoster>(poster));
        var id = await SubmitAsync(host);
        await host.WaitForJobsAsync([id], j => j.IsTerminal || (j.Stage == StageName.Review && !poster.Posts.IsEmpty), TimeSpan.FromMinutes(4));

        var result = await host.Get<ReviewDesk>().DecideAsync(
            new RecordedDecision(id, 1, ReviewVerdict.Approve, "local:ana", "Ana", "local", null, null, null, host.Get<TimeProvider>().GetUtcNow()),
            CancellationToken.None);
        // Generous: the decision's task, publish and its row write queue behind every other test's work on a 2-core CI machine.
        var job = Assert.Single(await host.WaitForJobsAsync([id], j => j.IsTerminal, TimeSpan.FromMinutes(4)));

        Assert.Equal(DeskOutcome.Decided, result.Outcome);
        Assert.Equal((id, 1), (Assert.Single(poster.Posts).JobId, poster.Posts.Single().Generation));
        Assert.Equal(JobStatus.Published, job.Status);
        await WaitForAppliedAsync(host, id);
        Assert.Equal(ReviewVerdict.Approve, Assert.Single(poster.Shown).Decision.Verdict);
        Assert.Equal(2L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = @queue", ("queue", ChatReviewChannel.TimerQueue)));
    }

    [Fact]
    public async Task Expiry_applies_a_person_s_decision_whose_own_task_never_ran_instead_of_overriding_it()
    {
        await using var host = await TestHost.StartAsync(reviewMode: "bot", dispatch: false);
        var id = await SubmitAsync(host);
        await TestReviews.AwaitReviewAsync(host.Get<IJobStore>(), id);
        var ledger = host.Get<IReviewLedger>();
        // Recorded, but its application task gave up (or was lost): the job still waits.
        await ledger.DecideAsync(new RecordedDecision(id, 1, ReviewVerdict.Approve, "U1", "Ana", "slack", null, null, null, host.Get<TimeProvider>().GetUtcNow()), CancellationToken.None);

        using var expire = await host.Client.PostTaskAsync(ChatReviewChannel.ExpirePath, id, 1, TestHost.Token);

        Assert.Equal(HttpStatusCode.OK, expire.StatusCode);
        Assert.Equal(JobStatus.Approved, (await host.Get<IJobStore>().GetAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(ReviewVerdict.Approve, (await ledger.GetDecisionAsync(id, 1, CancellationToken.None))!.Verdict);
        Assert.NotNull(await ledger.GetAppliedAtAsync(id, 1, CancellationToken.None));
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-publish'"));
    }

    [Fact]
    public async Task Review_task_endpoints_refuse_callers_without_the_queue_token_and_malformed_bodies()
    {
        await using var host = await TestHost.StartAsync(reviewMode: "bot", dispatch: false);
        var id = Guid.NewGuid();

        foreach (var path in new[] { ReviewDesk.ApplyPath, ChatReviewChannel.RemindPath, ChatReviewChannel.ExpirePath })
        {
            using var anonymous = await host.Client.PostTaskAsync(path, id, 1, token: null);
            using var wrong = await host.Client.PostTaskAsync(path, id, 1, token: "not-the-token-0123456789abcdef0123456789");
            using var unknownJob = await host.Client.PostTaskAsync(path, id, 1, TestHost.Token);
            using var malformed = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent("""{"jobId":"nope"}""", System.Text.Encoding.UTF8, "application/json"),
                Headers = { Authorization = new("Bearer", TestHost.Token) },
            });

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.OK, unknownJob.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }
    }


    [Theory]
    [InlineData("auto", typeof(AutoApproveReviewChannel))]
    [InlineData("terminal", typeof(DeferredReviewChannel))]
    [InlineData("bot", typeof(ChatReviewChannel))]
    public async Task Only_review_mode_bot_posts_cards(string mode, Type channel)
    {
        await using var host = await TestHost.StartAsync(reviewMode: mode, dispatch: false);

        Assert.IsType(channel, host.Get<IReviewChannel>());
        Assert.NotNull(host.Get<ReviewDesk>());
    }


    private static async Task WaitForAppliedAsync(TestHost host, Guid id)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await host.Get<IReviewLedger>().GetAppliedAtAsync(id, 1, CancellationToken.None) is null)
        {
            await Task.Delay(100, cts.Token);
        }
    }

    private static async Task<Guid> SubmitAsync(TestHost host)
    {
        var sheet = host.Get<ISheetRegistry>().Open(TestSheets.WriteOneRow(host.Folder.File("sheet.csv"), "Three stretches for desk workers", 10, ""));
        var row = Assert.Single(await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None));
        return row.JobId ?? throw new InvalidOperationException($"The row was refused: {row.Error}");
    }
}
