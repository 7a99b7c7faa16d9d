using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Postgres;

/// <summary>A running run's percent done, and the scheduled status as an ended one, in PostgreSQL.</summary>
public sealed class PostgresJobStoreProgressTests
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_running_runs_percent_is_read_back_cleared_by_the_next_attempt_and_gone_once_completed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var store = new PostgresJobStore(db.DataSource, time);
        var id = await SubmitAsync(store, "progress");
        await store.ClaimStageAsync(id, StageName.Render, 1, Lease, CancellationToken.None);
        Assert.Null(await store.GetStageProgressAsync(id, StageName.Render, 1, CancellationToken.None));

        await store.SetStageProgressAsync(id, StageName.Render, 1, 45, CancellationToken.None);
        var updated = (await store.GetAsync(id, CancellationToken.None))!.UpdatedAt;
        Assert.Equal(45, await store.GetStageProgressAsync(id, StageName.Render, 1, CancellationToken.None));

        // The attempt fails; the next one starts from nothing rather than showing the old attempt's 45 %.
        await store.FailStageAttemptAsync(id, StageName.Render, 1, "ffmpeg died", CancellationToken.None);
        Assert.Null(await store.GetStageProgressAsync(id, StageName.Render, 1, CancellationToken.None));
        await store.SetStageProgressAsync(id, StageName.Render, 1, 60, CancellationToken.None); // a late write of the failed attempt
        await store.ClaimStageAsync(id, StageName.Render, 1, Lease, CancellationToken.None);
        Assert.Null(await store.GetStageProgressAsync(id, StageName.Render, 1, CancellationToken.None));

        await store.SetStageProgressAsync(id, StageName.Render, 1, 150, CancellationToken.None);
        Assert.Equal(100, await store.GetStageProgressAsync(id, StageName.Render, 1, CancellationToken.None));
        await store.CompleteStageAsync(new StageCompletion(id, StageName.Render, 1, Empty, [], JobStatus.ForStage(StageName.Review), "rendered"), CancellationToken.None);
        Assert.Null(await store.GetStageProgressAsync(id, StageName.Render, 1, CancellationToken.None));
        // Progress is not a change of the job's state: the reconcile scan's clock is left alone.
        Assert.Equal(updated, (await store.GetAsync(id, CancellationToken.None))!.UpdatedAt);
    }

    [Fact]
    public async Task A_scheduled_job_has_ended_it_is_not_moved_again_nor_listed_as_idle()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var store = new PostgresJobStore(db.DataSource, time);
        var id = await SubmitAsync(store, "scheduled");
        await store.ClaimStageAsync(id, StageName.Publish, 1, Lease, CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(id, StageName.Publish, 1, Empty, [], JobStatus.Scheduled, "scheduled"), CancellationToken.None);

        await store.SetStatusAsync(id, JobStatus.ForStage(StageName.Render), StageName.Render, CancellationToken.None);
        Assert.False(await store.FinishAsync(id, JobStatus.Failed, "too late", CancellationToken.None));
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(JobStatus.Scheduled, (await store.GetAsync(id, CancellationToken.None))!.Status);
        Assert.Empty(await store.ListIdleAsync(time.GetUtcNow(), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Scheduled_jobs_go_live_once_when_their_publish_at_has_come_and_not_before()
    {
        await using var db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var store = new PostgresJobStore(db.DataSource, time);
        var soon = await ScheduledAsync(store, "soon", time.GetUtcNow().AddHours(1));
        var later = await ScheduledAsync(store, "later", time.GetUtcNow().AddDays(2));

        Assert.Empty(await store.GoLiveAsync(time.GetUtcNow(), 10, CancellationToken.None));
        time.Advance(TimeSpan.FromHours(1));
        var live = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.GoLiveAsync(time.GetUtcNow(), 10, CancellationToken.None)));

        Assert.Equal([soon], live.SelectMany(l => l));
        Assert.Equal(JobStatus.Published, (await store.GetAsync(soon, CancellationToken.None))!.Status);
        Assert.Equal(JobStatus.Scheduled, (await store.GetAsync(later, CancellationToken.None))!.Status);
        Assert.Single(await store.ListEventsAsync(soon, CancellationToken.None), e => e.Kind == JobStatus.Published && e.Message.StartsWith("live since 2026-12-07T10:00:00", StringComparison.Ordinal));
    }

    private static async Task<Guid> ScheduledAsync(PostgresJobStore store, string topic, DateTimeOffset publishAt)
    {
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", publishAt, [], "");
        var id = (await store.SubmitAsync("sheet:test", topic, request, CancellationToken.None)).Job.Id;
        await store.ClaimStageAsync(id, StageName.Publish, 1, Lease, CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(id, StageName.Publish, 1, Empty, [], JobStatus.Scheduled, "scheduled"), CancellationToken.None);
        return id;
    }

    private static async Task<Guid> SubmitAsync(PostgresJobStore store, string topic)
    {
        var request = new VideoRequest(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");
        return (await store.SubmitAsync("sheet:test", topic, request, CancellationToken.None)).Job.Id;
    }
}
