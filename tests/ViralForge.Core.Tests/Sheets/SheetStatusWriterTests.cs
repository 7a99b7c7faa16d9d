using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Sheets;

/// <summary>What the row says: scheduled until a future Publish At, then published, computed from the clock; Preview is a picture.</summary>
public sealed class SheetStatusWriterTests
{
    private readonly CoreHarness core = new();

    private async Task<(Job Job, int Row)> JobPublishingAtAsync(DateTimeOffset? publishAt)
    {
        var request = CoreHarness.Request() with { PublishAt = publishAt };
        var job = (await core.Store.SubmitAsync(CoreHarness.SheetId, "hash-scheduled", request, CancellationToken.None)).Job;
        var row = core.Sheet.AddRow((SheetContract.Topic, request.Topic), (SheetContract.JobId, job.Id.ToString()));
        return (job, row);
    }

    [Fact]
    public async Task A_row_published_for_tomorrow_is_scheduled_with_the_time_until_it_is_live_then_published_once_it_passes()
    {
        var tomorrow = core.Time.GetUtcNow().AddHours(20);
        var (job, row) = await JobPublishingAtAsync(tomorrow);

        await core.RunAsync(job, StageName.Publish);

        var ended = await core.JobAsync(job.Id);
        Assert.Equal(JobStatus.Scheduled, ended.Status);
        Assert.True(ended.IsTerminal, "a scheduled job has nothing left to run");
        Assert.Equal("scheduled", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("live 2025-06-02 05:00 UTC (in 20 h)", core.Sheet.Cell(row, SheetContract.Stage));
        Assert.Equal($"https://youtu.be/{job.Id:N}", core.Sheet.Cell(row, SheetContract.PublishedUrl));

        core.Time.Advance(TimeSpan.FromHours(19.5));
        var writer = new SheetStatusWriter(core.Store, core.Blobs, core.Sheets, core.Time, NullLogger<SheetStatusWriter>.Instance);
        await writer.SyncAsync(job.Id, CancellationToken.None);
        Assert.Equal("scheduled", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("live 2025-06-02 05:00 UTC (in 30 min)", core.Sheet.Cell(row, SheetContract.Stage));

        core.Time.Advance(TimeSpan.FromHours(1));
        await writer.SyncAsync(job.Id, CancellationToken.None);
        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("publish", core.Sheet.Cell(row, SheetContract.Stage));
    }

    [Fact]
    public async Task The_reconcile_pass_after_the_go_live_time_publishes_the_job_and_writes_its_row_once()
    {
        var (job, row) = await JobPublishingAtAsync(core.Time.GetUtcNow().AddHours(2));
        await core.RunAsync(job, StageName.Publish);
        var writer = new SheetStatusWriter(core.Store, core.Blobs, core.Sheets, core.Time, NullLogger<SheetStatusWriter>.Instance);
        var reconciler = new Reconciler(core.Store, core.Queue, new StageTasks(core.Queue), core.Compensator,
            Microsoft.Extensions.Options.Options.Create(core.Settings), core.Time, NullLogger<Reconciler>.Instance, writer);

        Assert.Empty(await reconciler.GoLiveAsync(CancellationToken.None));
        core.Time.Advance(TimeSpan.FromHours(2));
        var writes = core.Sheet.Writes.Count;
        await reconciler.RunOnceAsync(CancellationToken.None);
        await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(JobStatus.Published, (await core.JobAsync(job.Id)).Status);
        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal(writes + 1, core.Sheet.Writes.Count);
        Assert.Contains(await core.EventsAsync(job.Id), e => e.Kind == JobStatus.Published && e.Message.StartsWith("live since ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_publish_at_already_past_is_published_at_once()
    {
        var (job, row) = await JobPublishingAtAsync(core.Time.GetUtcNow().AddMinutes(-5));

        await core.RunAsync(job, StageName.Publish);

        Assert.Equal(JobStatus.Published, (await core.JobAsync(job.Id)).Status);
        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
    }

    [Theory]
    [InlineData(0.4, "in 24 min")]
    [InlineData(20.2, "in 20 h")]
    [InlineData(47, "in 47 h")]
    [InlineData(80, "in 3 days")]
    public void The_time_until_live_reads_as_a_person_says_it(double hours, string expected) =>
        Assert.Equal(expected, SheetStatusWriter.Until(TimeSpan.FromHours(hours)));

    [Fact]
    public async Task Preview_is_the_thumbnails_url_so_that_IMAGE_shows_it_not_the_full_video()
    {
        var (job, row) = await core.NewJobAsync();
        core.Stages[StageName.Render].Work = (context, _) => Task.FromResult(StageResult.Completed(
            new RenderOutput(context.BlobKey("video.mp4"), 30, 1080, 1920, 1, context.BlobKey("thumbnail.jpg"), context.BlobKey("preview.mp4")), "render done"));

        await core.RunAsync(job, StageName.Render);

        var thumbnail = await core.Blobs.GetReadUrlAsync(BlobKeys.For(job.Id, StageName.Render, 1, "thumbnail.jpg"), TimeSpan.FromDays(7), CancellationToken.None);
        Assert.Equal(thumbnail.ToString(), core.Sheet.Cell(row, SheetContract.Preview));
        Assert.DoesNotContain("video.mp4", core.Sheet.Cell(row, SheetContract.Preview), StringComparison.Ordinal);
    }
}
