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

    [Fact]
    public async Task A_row_published_to_both_platforms_has_the_first_link_in_Published_URL_and_a_cell_per_platform()
    {
        var (job, row) = await JobPublishingAtAsync(null);
        core.Stages[StageName.Publish].Work = (_, _) => Task.FromResult(StageResult.Completed(new PublishOutput(
        [
            new PublishedVideo("youtube", "https://www.youtube.com/watch?v=a1", "a1"),
            new PublishedVideo("tiktok", "https://www.tiktok.com/@cats/video/7", "7"),
        ]), "publish done"));

        await core.RunAsync(job, StageName.Publish);

        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("https://www.youtube.com/watch?v=a1", core.Sheet.Cell(row, SheetContract.PublishedUrl));
        Assert.Equal("https://www.youtube.com/watch?v=a1", core.Sheet.Cell(row, SheetContract.PublishedUrlYouTube));
        Assert.Equal("https://www.tiktok.com/@cats/video/7", core.Sheet.Cell(row, SheetContract.PublishedUrlTikTok));
        Assert.Equal("https://www.youtube.com/watch?v=a1", core.Sheet.Cell(row, SheetContract.Video));
    }

    [Fact]
    public async Task A_row_on_one_platform_writes_its_per_platform_cells_empty()
    {
        var (job, row) = await JobPublishingAtAsync(null);
        core.Stages[StageName.Publish].Work = (_, _) => Task.FromResult(StageResult.Completed(new PublishOutput(
            [new PublishedVideo("tiktok", "https://www.tiktok.com/@cats/video/7", "7")]), "publish done"));

        await core.RunAsync(job, StageName.Publish);

        Assert.Equal("https://www.tiktok.com/@cats/video/7", core.Sheet.Cell(row, SheetContract.PublishedUrl));
        var last = core.Sheet.Writes[^1].Single().Outputs;
        Assert.Equal("", last[SheetContract.PublishedUrlTikTok]);
        Assert.Equal("", last[SheetContract.PublishedUrlYouTube]);
    }

    [Fact]
    public async Task A_row_waiting_for_its_Publish_At_because_the_platform_cannot_schedule_reads_scheduled_until_it_posts()
    {
        var at = core.Time.GetUtcNow().AddHours(3);
        var (job, row) = await JobPublishingAtAsync(at);
        await core.Store.SetStatusAsync(job.Id, JobStatus.Approved, StageName.Review, CancellationToken.None);
        // What PublishStage does when the publisher defers to the row's own time (TikTok has no scheduling).
        core.Stages[StageName.Publish].Work = async (context, ct) =>
        {
            await core.Store.AppendEventAsync(context.Job.Id, PublishStage.WaitingEventKind, StageName.Publish, at.ToString("O"), ct);
            throw new StageDeferredException("TikTok has no scheduled posting; the video is posted at its Publish At, 2025-06-01 12:00 UTC", at);
        };

        Assert.IsType<StageOutcome.Deferred>(await core.RunAsync(job, StageName.Publish));

        Assert.Equal(JobStatus.Approved, (await core.JobAsync(job.Id)).Status);
        Assert.Equal("scheduled", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("live 2025-06-01 12:00 UTC (in 3 h)", core.Sheet.Cell(row, SheetContract.Stage));

        core.Time.SetUtcNow(at);
        core.Stages[StageName.Publish].Work = (_, _) => Task.FromResult(StageResult.Completed(new PublishOutput(
            [new PublishedVideo("tiktok", "https://www.tiktok.com/@cats/video/7", "7")]), "publish done"));
        Assert.IsType<StageOutcome.Completed>(await core.RunAsync(job, StageName.Publish));

        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
        // The wait is over: its note is not left in the Error cell.
        Assert.Equal("", core.Sheet.Cell(row, SheetContract.Error));
    }

    [Fact]
    public async Task A_quota_deferral_is_not_scheduled_even_with_a_Publish_At_ahead()
    {
        var (job, row) = await JobPublishingAtAsync(core.Time.GetUtcNow().AddDays(3));
        await core.Store.SetStatusAsync(job.Id, JobStatus.Approved, StageName.Review, CancellationToken.None);
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException("YouTube's daily upload quota is used up; the upload goes at 2025-06-02 07:00 UTC", core.Time.GetUtcNow().AddHours(22));

        await core.RunAsync(job, StageName.Publish);

        Assert.Equal("approved", core.Sheet.Cell(row, SheetContract.Status));
    }

    [Fact]
    public async Task A_Publish_At_inside_the_platforms_lead_time_reads_published_once_the_video_is_out()
    {
        var soon = core.Time.GetUtcNow().AddMinutes(10);
        var (job, row) = await JobPublishingAtAsync(soon);
        // YouTube put it out at once (a publishAt under its lead time is refused), and says so with LiveAt.
        core.Stages[StageName.Publish].Work = (_, _) => Task.FromResult(StageResult.Completed(new PublishOutput(
            [new PublishedVideo("youtube", "https://www.youtube.com/watch?v=a1", "a1", LiveAt: core.Time.GetUtcNow())]), "publish done"));

        await core.RunAsync(job, StageName.Publish);

        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("publish", core.Sheet.Cell(row, SheetContract.Stage));
    }

    [Fact]
    public async Task A_video_the_platform_scheduled_reads_scheduled_with_its_time()
    {
        var at = core.Time.GetUtcNow().AddHours(5);
        var (job, row) = await JobPublishingAtAsync(at);
        core.Stages[StageName.Publish].Work = (_, _) => Task.FromResult(StageResult.Completed(new PublishOutput(
            [new PublishedVideo("youtube", "https://www.youtube.com/watch?v=a1", "a1", LiveAt: at)]), "publish done"));

        await core.RunAsync(job, StageName.Publish);

        Assert.Equal("scheduled", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("live 2025-06-01 14:00 UTC (in 5 h)", core.Sheet.Cell(row, SheetContract.Stage));
    }

    [Fact]
    public async Task Only_the_latest_deferral_shows_and_none_once_published_but_the_publishing_attempts_notes_stay()
    {
        var (job, row) = await JobPublishingAtAsync(null);
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException("first wait: goes at 2025-06-01 10:00 UTC", core.Time.GetUtcNow().AddHours(1));
        await core.RunAsync(job, StageName.Publish);
        core.Time.Advance(TimeSpan.FromHours(1));
        core.Stages[StageName.Publish].Work = (_, _) => throw new StageDeferredException("second wait: goes at 2025-06-01 11:00 UTC", core.Time.GetUtcNow().AddHours(1));
        await core.RunAsync(job, StageName.Publish);
        Assert.Equal("note: second wait: goes at 2025-06-01 11:00 UTC", core.Sheet.Cell(row, SheetContract.Error));

        core.Time.Advance(TimeSpan.FromHours(1));
        core.Stages[StageName.Publish].Work = async (context, ct) =>
        {
            await context.NoteAsync(["TikTok posted it SELF_ONLY"], ct);
            return StageResult.Completed(new PublishOutput([new PublishedVideo("tiktok", "https://www.tiktok.com/@cats", "p1")]), "publish done");
        };
        await core.RunAsync(job, StageName.Publish);

        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("note: TikTok posted it SELF_ONLY", core.Sheet.Cell(row, SheetContract.Error));
    }
}
