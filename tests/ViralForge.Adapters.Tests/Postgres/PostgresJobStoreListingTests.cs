using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

/// <summary>The listings the review page reads: jobs waiting at a stage, and jobs that recently finished one.</summary>
public sealed class PostgresJobStoreListingTests
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    [Fact]
    public async Task Jobs_at_a_stage_leave_out_ended_ones_and_other_stages_least_recently_updated_first()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var store = new PostgresJobStore(db.DataSource, time);
        var later = await SubmitAsync(store, "later");
        var earlier = await SubmitAsync(store, "earlier");
        var ended = await SubmitAsync(store, "ended");
        var elsewhere = await SubmitAsync(store, "elsewhere");

        await store.SetStatusAsync(earlier, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await store.SetStatusAsync(later, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        await store.SetStatusAsync(ended, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        await store.FinishAsync(ended, JobStatus.Rejected, "no", CancellationToken.None);
        await store.SetStatusAsync(elsewhere, JobStatus.ForStage(StageName.Voice), StageName.Voice, CancellationToken.None);

        var atReview = await store.ListAtStageAsync(StageName.Review, CancellationToken.None);

        Assert.Equal([earlier, later], atReview.Select(j => j.Id));
    }

    [Fact]
    public async Task Recently_completed_runs_come_newest_first_within_the_limit()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var store = new PostgresJobStore(db.DataSource, time);
        var ids = new List<Guid>();
        foreach (var topic in new[] { "first", "second", "third" })
        {
            var id = await SubmitAsync(store, topic);
            await store.ClaimStageAsync(id, StageName.Review, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(1));
            await store.CompleteStageAsync(new StageCompletion(id, StageName.Review, 1, Empty, [], JobStatus.Approved, "approved"), CancellationToken.None);
            ids.Add(id);
        }
        var waiting = await SubmitAsync(store, "still waiting");
        await store.ClaimStageAsync(waiting, StageName.Review, 1, TimeSpan.FromMinutes(1), CancellationToken.None);

        var recent = await store.ListRecentlyCompletedAsync(StageName.Review, 2, CancellationToken.None);

        Assert.Equal([ids[2], ids[1]], recent.Select(j => j.Id));
    }

    private static async Task<Guid> SubmitAsync(PostgresJobStore store, string topic)
    {
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        return (await store.SubmitAsync("sheet:test", topic, request, CancellationToken.None)).Job.Id;
    }
}
