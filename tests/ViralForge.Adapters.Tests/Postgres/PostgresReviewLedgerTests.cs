using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

public sealed class PostgresReviewLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Twenty_racing_decisions_for_one_generation_give_one_winner_that_every_loser_sees()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId) = await CreateAsync(db);

        using var gate = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await gate.WaitAsync();
            var verdict = i % 2 == 0 ? ReviewVerdict.Approve : ReviewVerdict.Reject;
            return await ledger.DecideAsync(Decision(jobId, 1, verdict, $"U{i:00}"), CancellationToken.None);
        })).ToList();
        gate.Release(20);
        var claims = await Task.WhenAll(racers);

        var winner = Assert.Single(claims, c => c.Won).Decision;
        Assert.All(claims, c => Assert.Equal(winner, c.Decision));
        Assert.Equal(winner, await ledger.GetDecisionAsync(jobId, 1, CancellationToken.None));
        Assert.Equal(1L, await CountAsync(db, "SELECT count(*) FROM review_decisions"));
    }

    [Fact]
    public async Task A_second_generation_is_decided_separately()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId) = await CreateAsync(db);

        var first = await ledger.DecideAsync(
            Decision(jobId, 1, ReviewVerdict.Regenerate, "U1") with { RegenerateStage = StageName.Script, Feedback = "shorter hook" }, CancellationToken.None);
        var second = await ledger.DecideAsync(Decision(jobId, 2, ReviewVerdict.Approve, "U2"), CancellationToken.None);
        var lateForFirst = await ledger.DecideAsync(Decision(jobId, 1, ReviewVerdict.Approve, "U3"), CancellationToken.None);

        Assert.True(first.Won);
        Assert.True(second.Won);
        Assert.False(lateForFirst.Won);
        Assert.Equal(ReviewVerdict.Regenerate, lateForFirst.Decision.Verdict);
        Assert.Equal(StageName.Script, lateForFirst.Decision.RegenerateStage);
        Assert.Equal("shorter hook", lateForFirst.Decision.Feedback);
        Assert.Equal("U2", (await ledger.GetDecisionAsync(jobId, 2, CancellationToken.None))!.ReviewerId);
        Assert.Null(await ledger.GetDecisionAsync(jobId, 3, CancellationToken.None));
    }

    [Fact]
    public async Task Posted_messages_are_listed_per_job_and_generation_and_a_repost_keeps_the_first()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId) = await CreateAsync(db);
        var (_, otherJob) = await CreateAsync(db, "other topic");

        var slack = new PostedReviewMessage(jobId, 1, "slack", """{"channel":"C1","ts":"1.0001"}""", Start);
        await ledger.RecordPostedAsync(slack, CancellationToken.None);
        await ledger.RecordPostedAsync(new PostedReviewMessage(jobId, 1, "teams", """{"serviceUrl":"https://t","conversationId":"c","activityId":"a"}""", Start.AddSeconds(1)), CancellationToken.None);
        await ledger.RecordPostedAsync(slack with { Address = """{"channel":"C1","ts":"9.9999"}""", PostedAt = Start.AddMinutes(5) }, CancellationToken.None);
        await ledger.RecordPostedAsync(new PostedReviewMessage(jobId, 2, "slack", """{"channel":"C1","ts":"2.0"}""", Start.AddHours(1)), CancellationToken.None);
        await ledger.RecordPostedAsync(new PostedReviewMessage(otherJob, 1, "slack", """{"channel":"C1","ts":"3.0"}""", Start), CancellationToken.None);

        var firstGeneration = await ledger.ListPostedAsync(jobId, 1, CancellationToken.None);
        var secondGeneration = await ledger.ListPostedAsync(jobId, 2, CancellationToken.None);

        Assert.Equal(["slack", "teams"], firstGeneration.Select(m => m.Surface));
        Assert.Equal(slack, firstGeneration[0]);
        Assert.Equal("""{"channel":"C1","ts":"2.0"}""", Assert.Single(secondGeneration).Address);
        Assert.Empty(await ledger.ListPostedAsync(jobId, 3, CancellationToken.None));
    }

    [Fact]
    public async Task An_address_that_is_not_json_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId) = await CreateAsync(db);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            ledger.RecordPostedAsync(new PostedReviewMessage(jobId, 1, "slack", "C1/1.0001", Start), CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
    }

    [Fact]
    public async Task Applied_is_marked_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (ledger, jobId) = await CreateAsync(db);

        var beforeDecision = await ledger.MarkAppliedAsync(jobId, 1, CancellationToken.None);
        await ledger.DecideAsync(Decision(jobId, 1, ReviewVerdict.Approve, "U1"), CancellationToken.None);
        var unapplied = await ledger.GetAppliedAtAsync(jobId, 1, CancellationToken.None);
        var first = await ledger.MarkAppliedAsync(jobId, 1, CancellationToken.None);
        var again = await ledger.MarkAppliedAsync(jobId, 1, CancellationToken.None);

        Assert.False(beforeDecision);
        Assert.Null(unapplied);
        Assert.True(first);
        Assert.False(again);
        Assert.Equal(Start, await ledger.GetAppliedAtAsync(jobId, 1, CancellationToken.None));
    }

    private static async Task<(PostgresReviewLedger Ledger, Guid JobId)> CreateAsync(TestDatabase db, string topic = "sourdough")
    {
        var time = new FakeTimeProvider(Start);
        var store = new PostgresJobStore(db.DataSource, time);
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        var job = await store.SubmitAsync("sheet:test", Guid.NewGuid().ToString("N"), request, CancellationToken.None);
        return (new PostgresReviewLedger(db.DataSource, time), job.Job.Id);
    }

    private static RecordedDecision Decision(Guid jobId, int generation, ReviewVerdict verdict, string reviewer) =>
        new(jobId, generation, verdict, reviewer, $"Reviewer {reviewer}", "slack", verdict == ReviewVerdict.Reject ? "off brand" : null, null, null, Start);

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
