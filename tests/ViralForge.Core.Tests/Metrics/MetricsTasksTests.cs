using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Local;
using ViralForge.Adapters.Postgres;
using ViralForge.Core.Jobs;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Core.Tests.Metrics;

/// <summary>
/// The analytics loop on PostgreSQL (jobs, video_metrics), a CSV sheet and scripted platform readers: the reads queued at
/// their times, the rows they store, the row's cells, bounded retries that never touch the job, and the own-performers line.
/// </summary>
public sealed class MetricsTasksTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Published = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Published);
    private readonly TempFolder folder = new();
    private readonly InMemoryTaskQueue queue = new();
    private readonly ScriptedReader youtube = new("youtube");
    private readonly ScriptedReader tiktok = new("tiktok");
    private TestDatabase db = null!;
    private PostgresJobStore store = null!;
    private PostgresVideoMetrics metrics = null!;

    private string SheetPath => folder.File("ideas.csv");

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        store = new PostgresJobStore(db.DataSource, time);
        metrics = new PostgresVideoMetrics(db.DataSource);
        await File.WriteAllTextAsync(SheetPath, "Topic,Platform,Duration,Job ID\n");
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Publishing_now_queues_reads_at_1h_24h_and_7d_and_a_redelivered_publish_queues_nothing_more()
    {
        var jobId = Guid.NewGuid();
        var videos = new[] { YouTubeVideo(), new PublishedVideo("local", "file:///tmp/v.mp4", null) };

        var times = await Tasks().ScheduleAsync(jobId, 1, videos, publishAt: null, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        await Tasks().ScheduleAsync(jobId, 1, videos, publishAt: null, CancellationToken.None);

        Assert.Equal([Published.AddHours(1), Published.AddHours(24), Published.AddDays(7)], times);
        Assert.Equal(3, queue.Tasks.Count);
        Assert.All(queue.Tasks, t => Assert.Equal((MetricsTasks.QueueName, MetricsTasks.Path), (t.Queue, t.Name.Length == 32 ? t.Path : "bad name")));
        Assert.Equal(times, queue.Tasks.Select(t => t.ScheduleTime!.Value));
        Assert.Equal(MetricsDue.All.Select(d => MetricsTasks.TaskName(jobId, 1, d)), queue.Tasks.Select(t => t.Name));
        var body = JsonSerializer.Deserialize(queue.Tasks[1].Body, MetricsJson.Default.MetricsMessage)!;
        Assert.Equal(new MetricsMessage(jobId, 1, "24h", Published), body);
    }

    [Fact]
    public async Task The_publish_stage_queues_the_reads_once_its_upload_answered_and_again_on_a_redelivery_queues_nothing()
    {
        var job = (await store.SubmitAsync(SheetPath, Guid.NewGuid().ToString("N"), Request("Why cats knock things over"), CancellationToken.None)).Job;
        var blobs = new InMemoryBlobStore();
        var video = folder.File("video.mp4");
        await File.WriteAllBytesAsync(video, [0, 0, 0, 24]);
        await blobs.PutFileAsync("jobs/video.mp4", video, CancellationToken.None);
        var script = new VideoScript("Cats", "Why do cats knock things over?", [new ScriptBeat("They like it.", "Fun")], "Follow", "About cats", ["cats"], 150, 20);
        await CompleteAsync(job.Id, StageName.Script, StageJson.ToElement(script), JobStatus.ForStage(StageName.Visuals));
        await CompleteAsync(job.Id, StageName.Visuals, StageJson.ToElement(new VisualsOutput([])), JobStatus.ForStage(StageName.Voice));
        await CompleteAsync(job.Id, StageName.Render, StageJson.ToElement(new RenderOutput("jobs/video.mp4", 20, 1080, 1920, 4)), JobStatus.ForStage(StageName.Review));
        var stage = new PublishStage(new FixedPublisher(YouTubeVideo()), store, Tasks());
        var context = new StageContext(job, StageName.Publish, 1, folder.Path, store, blobs);

        await stage.RunAsync(context, CancellationToken.None);
        await stage.RunAsync(context, CancellationToken.None);

        Assert.Equal([Published.AddHours(1), Published.AddHours(24), Published.AddDays(7)], queue.Tasks.Select(t => t.ScheduleTime!.Value));
        Assert.All(queue.Tasks, t => Assert.Equal(MetricsTasks.Path, t.Path));
    }

    [Fact]
    public async Task A_scheduled_video_is_read_from_its_publish_at_and_a_video_no_reader_knows_schedules_nothing()
    {
        var publishAt = Published.AddDays(2);

        var times = await Tasks().ScheduleAsync(Guid.NewGuid(), 1, [YouTubeVideo()], publishAt, CancellationToken.None);
        var none = await Tasks().ScheduleAsync(Guid.NewGuid(), 1, [new PublishedVideo("youtube", "https://youtu.be/x", null)], null, CancellationToken.None);

        Assert.Equal([publishAt.AddHours(1), publishAt.AddHours(24), publishAt.AddDays(7)], times);
        Assert.Empty(none);
        Assert.Equal(3, queue.Tasks.Count);
    }

    [Fact]
    public async Task A_read_stores_each_platforms_figures_and_writes_views_likes_avg_view_and_metrics_updated_into_the_csv_row()
    {
        var jobId = await PublishedJobAsync("Why do cats knock things over?", YouTubeVideo(), TikTokVideo());
        youtube.Next = _ => new VideoStats(1500, 90, EstimatedMinutesWatched: 400, AverageViewDurationSeconds: 16, AverageViewPercentage: 57.25);
        tiktok.Next = _ => new VideoStats(4200, 300, 17, 9);
        time.Advance(TimeSpan.FromHours(24));

        var outcome = await Tasks().ReadAsync(new MetricsMessage(jobId, 1, "24h", Published), DeliveryInfo.Direct, CancellationToken.None);

        Assert.IsType<StageOutcome.Completed>(outcome);
        var rows = await metrics.ListAsync(jobId, CancellationToken.None);
        Assert.Equal(["tiktok", "youtube"], rows.Select(r => r.Platform));
        Assert.All(rows, r => Assert.Equal(("24h", MetricsReadStatus.Read, HookKinds.Question, Published.AddHours(24)), (r.Due, r.Status, r.HookKind, r.At)));
        Assert.Equal(new VideoStats(1500, 90, null, null, 400, 16, 57.25), rows.Single(r => r.Platform == "youtube").Stats);
        Assert.Equal(new VideoStats(4200, 300, 17, 9), rows.Single(r => r.Platform == "tiktok").Stats);
        Assert.Equal("vf_Test_Vid1", rows.Single(r => r.Platform == "youtube").ExternalId);
        Assert.Equal("metrics-24h-youtube", youtube.Works.Single().Call);

        var row = Assert.Single(await new CsvSheet(SheetPath).ReadRowsAsync(CancellationToken.None));
        Assert.Equal(
            ("5700", "390", "57.3", "2026-12-08T15:00:00Z"),
            (row.Get(SheetContract.Views), row.Get(SheetContract.Likes), row.Get(SheetContract.AvgViewPercent), row.Get(SheetContract.MetricsUpdated)));
        Assert.EndsWith("Views,Likes,Avg View %,Metrics Updated", File.ReadLines(SheetPath).First(), StringComparison.Ordinal);
        // The job is untouched: the reads are a view of it, like the sheet.
        Assert.Equal(JobStatus.Published, (await store.GetAsync(jobId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_redelivered_read_reads_no_platform_again_but_writes_the_row_from_the_table()
    {
        var jobId = await PublishedJobAsync("5 ways to calm a cat", YouTubeVideo());
        youtube.Next = _ => new VideoStats(10, 1, AverageViewPercentage: 40);
        await Tasks().ReadAsync(new MetricsMessage(jobId, 1, "1h", Published), DeliveryInfo.Direct, CancellationToken.None);
        await File.WriteAllTextAsync(SheetPath, $"Topic,Platform,Duration,Job ID\nCats,youtube,30,{jobId}\n");

        var again = await Tasks().ReadAsync(new MetricsMessage(jobId, 1, "1h", Published), DeliveryInfo.Direct, CancellationToken.None);

        Assert.IsType<StageOutcome.Completed>(again);
        Assert.Equal(1, youtube.Calls);
        Assert.Equal("10", Assert.Single(await new CsvSheet(SheetPath).ReadRowsAsync(CancellationToken.None)).Get(SheetContract.Views));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_the_queue_a_bounded_number_of_times_then_stored_as_failed_and_the_job_stays_published()
    {
        var jobId = await PublishedJobAsync("Stop feeding your cat this", YouTubeVideo());
        youtube.Next = _ => throw new MetricsReadException("YouTube reports.query answered 429 rateLimitExceeded; the read is tried again", transient: true);
        var settings = new ViralForgeOptions();
        settings.Queue.Queues[MetricsTasks.QueueName] = new QueueRetryOptions { MaxAttempts = 3 };
        var message = new MetricsMessage(jobId, 1, "7d", Published);

        var outcomes = new List<StageOutcome>();
        for (var retry = 0; retry < 3; retry++)
        {
            outcomes.Add(await Tasks(settings).ReadAsync(message, new DeliveryInfo(MetricsTasks.QueueName, "t", retry, retry), CancellationToken.None));
            var row = Assert.Single(await metrics.ListAsync(jobId, CancellationToken.None));
            Assert.Equal((retry + 1, retry < 2 ? MetricsReadStatus.Retrying : MetricsReadStatus.Failed), (row.Attempts, row.Status));
            Assert.Contains("429", row.Error, StringComparison.Ordinal);
        }

        Assert.IsType<StageOutcome.RetryLater>(outcomes[0]);
        Assert.IsType<StageOutcome.RetryLater>(outcomes[1]);
        Assert.IsType<StageOutcome.Completed>(outcomes[2]);
        Assert.Equal(3, youtube.Calls);
        // Given up: a delivery after the last one reads nothing more.
        Assert.IsType<StageOutcome.Completed>(await Tasks(settings).ReadAsync(message, DeliveryInfo.Direct, CancellationToken.None));
        Assert.Equal(3, youtube.Calls);
        Assert.Equal(JobStatus.Published, (await store.GetAsync(jobId, CancellationToken.None))!.Status);
        Assert.Equal("", Assert.Single(await new CsvSheet(SheetPath).ReadRowsAsync(CancellationToken.None)).Get(SheetContract.Views));
    }

    [Fact]
    public void Reads_retry_for_about_six_hours_unless_the_queue_is_configured_otherwise()
    {
        var queue = new ViralForgeOptions().Queue;
        var retry = queue.RetryFor(MetricsTasks.QueueName);

        var waited = Enumerable.Range(1, retry.MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, n) => sum + retry.BackoffBefore(n));

        Assert.Equal(12, retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(363), waited);
        // The stage queues keep theirs: five attempts within about two minutes.
        Assert.Equal(5, queue.RetryFor("vf-publish").MaxAttempts);
        queue.Queues[MetricsTasks.QueueName] = new QueueRetryOptions { MaxAttempts = 2 };
        Assert.Equal(2, queue.RetryFor(MetricsTasks.QueueName).MaxAttempts);
    }

    [Fact]
    public async Task A_revoked_grant_is_stored_as_failed_at_once_while_the_other_platform_is_read()
    {
        var jobId = await PublishedJobAsync("My cat tried yoga", YouTubeVideo(), TikTokVideo());
        youtube.Next = _ => throw new ReconnectRequiredException("youtube", "Cat Facts Daily", "Token has been expired or revoked.");
        tiktok.Next = _ => new VideoStats(70, 5, 1, 0);

        var outcome = await Tasks().ReadAsync(new MetricsMessage(jobId, 1, "1h", Published), DeliveryInfo.Direct, CancellationToken.None);

        Assert.IsType<StageOutcome.Completed>(outcome);
        var rows = await metrics.ListAsync(jobId, CancellationToken.None);
        var failed = rows.Single(r => r.Platform == "youtube");
        Assert.Equal((MetricsReadStatus.Failed, 1), (failed.Status, failed.Attempts));
        Assert.Contains("./vf connect youtube", failed.Error, StringComparison.Ordinal);
        Assert.Equal(MetricsReadStatus.Read, rows.Single(r => r.Platform == "tiktok").Status);
        var cells = Assert.Single(await new CsvSheet(SheetPath).ReadRowsAsync(CancellationToken.None));
        Assert.Equal(("70", ""), (cells.Get(SheetContract.Views), cells.Get(SheetContract.AvgViewPercent)));
    }

    [Fact]
    public async Task A_video_taken_down_is_not_read()
    {
        var jobId = await PublishedJobAsync("Cats and cucumbers", YouTubeVideo());
        await using (var update = db.DataSource.CreateCommand("UPDATE stage_runs SET compensated_at = now() WHERE job_id = @job AND stage = 'publish'"))
        {
            update.Parameters.AddWithValue("job", jobId);
            await update.ExecuteNonQueryAsync();
        }

        var outcome = await Tasks().ReadAsync(new MetricsMessage(jobId, 1, "1h", Published), DeliveryInfo.Direct, CancellationToken.None);

        Assert.IsType<StageOutcome.Skipped>(outcome);
        Assert.Equal(0, youtube.Calls);
    }

    [Fact]
    public async Task The_analysis_says_which_hook_kind_held_this_sheets_viewers_longer_from_the_stored_reads()
    {
        // Question hooks: 60 % and 58 % watched; the others: 50, 48 and 49 (one video on two platforms counts once).
        (string Hook, double Percent)[] seeded = [("Why do cats purr?", 60), ("Is your cat bored?", 58), ("5 cat myths", 50), ("Stop doing this", 48), ("My cat's day", 49)];
        foreach (var (hook, percent) in seeded)
        {
            var id = await PublishedJobAsync(hook, YouTubeVideo(), TikTokVideo());
            youtube.Next = _ => new VideoStats(100, 10, AverageViewPercentage: percent);
            tiktok.Next = _ => new VideoStats(100, 10);
            await Tasks().ReadAsync(new MetricsMessage(id, 1, "7d", Published), DeliveryInfo.Direct, CancellationToken.None);
        }
        var elsewhere = await PublishedJobAsync("Why do dogs bark?", YouTubeVideo(), sheetId: folder.File("other.csv"));
        youtube.Next = _ => new VideoStats(100, 10, AverageViewPercentage: 5);
        await Tasks().ReadAsync(new MetricsMessage(elsewhere, 1, "7d", Published), DeliveryInfo.Direct, CancellationToken.None);

        var own = OwnPerformance.From(await metrics.ListOwnVideosAsync(SheetPath, null, CancellationToken.None));

        Assert.NotNull(own);
        Assert.Equal(HookKinds.Question, own.HookKind);
        Assert.Equal(20, own.PercentLonger); // 59 / 49 = 1.204
        Assert.Equal("your videos with question hooks held 20 % longer (59.0 % vs 49.0 % watched; 2 vs 3 videos)", own.Line);

        // The analysis stage of the sheet's next job adds the line to its output.
        var next = await store.SubmitAsync(SheetPath, Guid.NewGuid().ToString("N"), Request("Cat naps"), CancellationToken.None);
        var analysis = await new AnalysisStage(metrics: metrics).RunAsync(await AnalysisContextAsync(next.Job), CancellationToken.None);
        Assert.Contains(own.Line, analysis.Summary, StringComparison.Ordinal);
        Assert.Equal(own, StageJson.FromElement<TrendAnalysis>(analysis.Output).OwnPerformers);
    }

    [Theory]
    [InlineData(new[] { 60.0, 58.0, 50.0 }, false)] // one other video: too few to compare
    [InlineData(new[] { 50.0, 49.0, 51.0, 50.0 }, false)] // the question hooks did not hold longer
    [InlineData(new[] { 60.0, 58.0, 50.0, 49.0 }, true)]
    public void Own_performers_need_two_videos_on_each_side_and_a_real_lead(double[] percents, bool said)
    {
        string[] kinds = [HookKinds.Question, HookKinds.Question, HookKinds.Number, HookKinds.Imperative];
        var videos = percents.Select((p, i) => new OwnVideo(Guid.NewGuid(), "youtube", "7d", kinds[i], p, 100)).ToList();

        Assert.Equal(said, OwnPerformance.From(videos) is not null);
    }

    private MetricsTasks Tasks(ViralForgeOptions? settings = null) =>
        new(queue, store, metrics, [youtube, tiktok], new LocalSheetRegistry(), Microsoft.Extensions.Options.Options.Create(settings ?? new ViralForgeOptions()), time, NullLogger<MetricsTasks>.Instance);

    private static PublishedVideo YouTubeVideo() => new("youtube", "https://www.youtube.com/watch?v=vf_Test_Vid1", "vf_Test_Vid1", Channel: "Cat Facts Daily");

    private static PublishedVideo TikTokVideo() => new("tiktok", "https://www.tiktok.com/@gardentips/video/7312345678901234567", "7312345678901234567", Channel: "gardentips");

    private static VideoRequest Request(string topic) => new(topic, Platforms.YouTube, 30, "clean", "default", "en", null, [], "");

    /// <summary>A job of the sheet whose script (with <paramref name="hook"/>) and publish stages completed, with its row in the CSV.</summary>
    private async Task<Guid> PublishedJobAsync(string hook, PublishedVideo first, PublishedVideo? second = null, string? sheetId = null)
    {
        var sheet = sheetId ?? SheetPath;
        var job = (await store.SubmitAsync(sheet, Guid.NewGuid().ToString("N"), Request(hook), CancellationToken.None)).Job;
        var script = new VideoScript("Cats", hook, [new ScriptBeat("They like it.", "Fun")], "Follow", "About cats", ["cats"], 150, 20);
        await CompleteAsync(job.Id, StageName.Script, StageJson.ToElement(script), JobStatus.ForStage(StageName.Visuals));
        await CompleteAsync(job.Id, StageName.Publish, StageJson.ToElement(new PublishOutput(second is null ? [first] : [first, second])), JobStatus.Published);
        if (sheetId is null)
        {
            await File.AppendAllTextAsync(sheet, string.Create(CultureInfo.InvariantCulture, $"{hook.Replace(",", "", StringComparison.Ordinal)},youtube,30,{job.Id}\n"));
        }
        return job.Id;
    }

    private async Task CompleteAsync(Guid jobId, StageName stage, JsonElement output, string status)
    {
        await store.ClaimStageAsync(jobId, stage, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(jobId, stage, 1, output, [], status, $"{stage.Wire()} done"), CancellationToken.None);
    }

    private async Task<StageContext> AnalysisContextAsync(Job job)
    {
        var sample = new TrendSample("cats", "test", [new TrendVideo("t1", "Why cats purr", "", "Cats", ["cats"], "15", Published.AddDays(-3), 30, 1000, 100, 10)]);
        await CompleteAsync(job.Id, StageName.Trends, StageJson.ToElement(sample), JobStatus.ForStage(StageName.Analysis));
        return new StageContext(job, StageName.Analysis, 1, folder.Path, store, new InMemoryBlobStore());
    }

    private sealed class FixedPublisher(PublishedVideo video) : IPublisher
    {
        public Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken, IProgress<double>? progress = null) =>
            Task.FromResult<IReadOnlyList<PublishedVideo>>([video]);

        public Task UnpublishAsync(Guid jobId, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A platform reader a test scripts: what it answers next, how often it was asked and under which work.</summary>
    private sealed class ScriptedReader(string platform) : IVideoStatsReader
    {
        public string Platform => platform;

        public Func<MetricsReadRequest, VideoStats> Next { get; set; } = _ => throw new InvalidOperationException("not scripted");

        public int Calls { get; private set; }

        public List<PaidWork> Works { get; } = [];

        public Task<VideoStats> ReadAsync(MetricsReadRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            Works.Add(request.Work);
            return Task.FromResult(Next(request));
        }
    }
}
