using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests;

/// <summary>The whole pipeline through the real host, queue, PostgreSQL, espeak-ng and FFmpeg.</summary>
public sealed class PipelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private const string TwoRows = """
        Notes,Topic,Owner,Platform,Duration
        Keep it simple.,Three stretches for desk workers,Ana,youtube,10
        Salt the water well.,Crispy roast potatoes,"Bo, Jr.",tiktok,12
        ,Bad row,Cy,myspace,5
        """;

    [Fact]
    public async Task A_two_row_sheet_ends_published_with_playable_vertical_mp4s()
    {
        await using var host = await TestHost.StartAsync(settings: TestHost.FullSizeFrame);
        var sheetPath = host.WriteSheet(TwoRows);
        var sheet = host.Get<ISheetRegistry>().Open(sheetPath);

        var intake = await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None);
        var ids = intake.Where(r => r.JobId is not null).Select(r => r.JobId!.Value).ToList();
        var jobs = await host.WaitForJobsAsync(ids, j => j.IsTerminal, Patience);

        Assert.Equal(2, ids.Count);
        Assert.All(jobs, j => Assert.Equal(JobStatus.Published, j.Status));
        // The job turns published when publish commits; its row is written just after, by the same delivery.
        var rows = await sheet.ReadRowsAsync(CancellationToken.None);
        for (var waited = System.Diagnostics.Stopwatch.StartNew();
             waited.Elapsed < TimeSpan.FromSeconds(30) && !jobs.All(j => rows.Single(r => r.JobId == j.Id.ToString()).Get(SheetContract.Status) == "published");
             rows = await sheet.ReadRowsAsync(CancellationToken.None))
        {
            await Task.Delay(100);
        }
        var store = host.Get<IJobStore>();
        foreach (var job in jobs)
        {
            var row = rows.Single(r => r.JobId == job.Id.ToString());
            Assert.Equal("published", row.Get(SheetContract.Status));
            var video = row.Get(SheetContract.Video);
            Assert.True(File.Exists(video), $"row's Video cell '{video}' is not a file");

            var probe = await FfprobeResult.RunAsync(video);
            Assert.Equal(1080, probe.Video.Width);
            Assert.Equal(1920, probe.Video.Height);
            Assert.Equal("h264", probe.Video.CodecName);
            Assert.Equal("aac", probe.Audio.CodecName);
            var voice = StageJson.FromElement<VoiceOutput>((await store.GetLatestCompletedAsync(job.Id, StageName.Voice, 1, CancellationToken.None))!.Output!.Value);
            Assert.InRange(probe.DurationSeconds, voice.DurationSeconds - 0.5, voice.DurationSeconds + 0.5 + RenderStage.TailSeconds);
        }

        var invalid = rows.Single(r => r.Get(SheetContract.Topic) == "Bad row");
        Assert.Equal("invalid", invalid.Get(SheetContract.Status));
        Assert.Contains("myspace", invalid.Get(SheetContract.Error));
        Assert.Contains("Duration", invalid.Get(SheetContract.Error));
        // the person's own cells are untouched
        Assert.Contains("\"Bo, Jr.\"", await File.ReadAllTextAsync(sheetPath));
    }

    [Fact]
    public async Task Resubmitting_an_unchanged_sheet_finds_the_same_jobs()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        var sheet = host.Get<ISheetRegistry>().Open(host.WriteSheet(TwoRows));
        var intake = host.Get<IntakeService>();

        var first = await intake.SubmitAsync(sheet, CancellationToken.None);
        var second = await intake.SubmitAsync(sheet, CancellationToken.None);

        Assert.Equal(first.Select(r => r.JobId), second.Select(r => r.JobId));
        Assert.Equal(2, first.Count(r => r.Created));
        Assert.Equal(0, second.Count(r => r.Created));
        await using var count = host.Database.DataSource.CreateCommand("SELECT count(*) FROM jobs");
        Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Duplicate_delivery_of_publish_runs_its_side_effect_once()
    {
        await using var host = await TestHost.StartAsync(reviewMode: "terminal");
        var sheet = host.Get<ISheetRegistry>().Open(host.WriteSheet(TwoRows.Split('\n')[0] + "\n" + TwoRows.Split('\n')[1]));
        var id = (await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Single().JobId!.Value;
        await host.WaitForJobsAsync([id], j => j.Status == "review", Patience);
        await WaitForAwaitingReviewAsync(host, id);

        // Two approvals (a double click) and two extra deliveries of the publish task, all at once.
        var decisions = host.Get<ReviewDecisions>();
        var approve = new ReviewDecision(ReviewVerdict.Approve, "tester");
        await Task.WhenAll(decisions.ApplyAsync(id, approve, CancellationToken.None), decisions.ApplyAsync(id, approve, CancellationToken.None));
        await Task.WhenAll(PostStageAsync(host, StageName.Publish, id), PostStageAsync(host, StageName.Publish, id));
        await host.WaitForJobsAsync([id], j => j.IsTerminal, Patience);
        await Task.Delay(500);

        var events = await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None);
        Assert.Single(events, e => e.Kind == "completed" && e.Stage == StageName.Publish);
        var published = Directory.GetDirectories(Path.Combine(host.Folder.Path, "published"));
        Assert.Single(published);
        Assert.Single(Directory.GetFiles(published[0], "*.mp4"));
        await using var tasks = host.Database.DataSource.CreateCommand("SELECT count(*) FROM tasks WHERE queue = 'vf-publish'");
        Assert.Equal(1L, (long)(await tasks.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_rejection_compensates_newest_first_and_twice_is_the_same_as_once()
    {
        await using var host = await TestHost.StartAsync(reviewMode: "terminal");
        var sheetPath = host.WriteSheet(TwoRows.Split('\n')[0] + "\n" + TwoRows.Split('\n')[1]);
        var sheet = host.Get<ISheetRegistry>().Open(sheetPath);
        var id = (await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Single().JobId!.Value;
        await host.WaitForJobsAsync([id], j => j.Status == "review", Patience);
        await WaitForAwaitingReviewAsync(host, id);
        var blobs = Path.Combine(host.Folder.Path, "blobs", BlobKeys.JobPrefix(id));
        Assert.True(Directory.Exists(blobs));

        var reject = new ReviewDecision(ReviewVerdict.Reject, "tester", "the hook is weak");
        var first = await host.Get<ReviewDecisions>().ApplyAsync(id, reject, CancellationToken.None);
        var second = await host.Get<ReviewDecisions>().ApplyAsync(id, reject, CancellationToken.None);

        var job = await host.Get<IJobStore>().GetAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Rejected, job!.Status);
        Assert.Contains("the hook is weak", first);
        Assert.Contains("already rejected", second);
        Assert.False(Directory.Exists(blobs), "the job's blobs should be deleted");
        var events = await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None);
        var undone = events.Where(e => e.Kind == "compensated").Select(e => e.Stage!.Value).ToList();
        // newest first; the review run itself is recorded as undone too (it has nothing outside to undo)
        Assert.Equal([StageName.Review, StageName.Render, StageName.Voice, StageName.Visuals, StageName.Script, StageName.Analysis, StageName.Trends], undone);
        var row = (await sheet.ReadRowsAsync(CancellationToken.None)).Single();
        Assert.Equal("rejected", row.Get(SheetContract.Status));
        Assert.Contains("the hook is weak", row.Get(SheetContract.Error));
    }

    [Fact]
    public async Task A_stage_that_keeps_failing_fails_the_job_after_its_retries_and_cleans_up()
    {
        await using var host = await TestHost.StartAsync(replace: services =>
        {
            services.AddSingleton<IVoiceProvider>(new BrokenVoice());
        });
        var sheetPath = host.WriteSheet(TwoRows.Split('\n')[0] + "\n" + TwoRows.Split('\n')[1]);
        var sheet = host.Get<ISheetRegistry>().Open(sheetPath);
        var id = (await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Single().JobId!.Value;

        var job = (await host.WaitForJobsAsync([id], j => j.IsTerminal, Patience)).Single();

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("voice: speech engine unavailable", job.Error);
        Assert.Contains("gave up after 3 attempts", job.Error);
        // The compensator ends the job first and then deletes its blobs, so the folder may outlive the status by a moment.
        var blobs = Path.Combine(host.Folder.Path, "blobs", BlobKeys.JobPrefix(id));
        for (var wait = 0; wait < 100 && Directory.Exists(blobs); wait++)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists(blobs));
        // The row is written after the job ends (the compensator's last write), so on a loaded machine it may lag a moment.
        var row = (await sheet.ReadRowsAsync(CancellationToken.None)).Single();
        for (var wait = 0; wait < 100 && row.Get(SheetContract.Status) != "failed"; wait++)
        {
            await Task.Delay(100);
            row = (await sheet.ReadRowsAsync(CancellationToken.None)).Single();
        }
        Assert.Equal("failed", row.Get(SheetContract.Status));
        Assert.Contains("speech engine unavailable", row.Get(SheetContract.Error));
    }

    private static async Task WaitForAwaitingReviewAsync(TestHost host, Guid id)
    {
        var store = host.Get<IJobStore>();
        for (var i = 0; i < 200; i++)
        {
            var runs = await store.ListStageRunsAsync(id, CancellationToken.None);
            if (runs.Any(r => r.Stage == StageName.Review && r.Status == StageRunStatus.AwaitingApproval))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("review never waited for approval");
    }

    private static async Task PostStageAsync(TestHost host, StageName stage, Guid jobId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, StageTasks.PathFor(stage))
        {
            Content = new StringContent($$"""{"jobId":"{{jobId}}","generation":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);
        using var response = await host.Client.SendAsync(request);
        Assert.True((int)response.StatusCode < 300 || (int)response.StatusCode == 503, $"unexpected {(int)response.StatusCode}");
    }

    /// <summary>A voice that always fails the same transient way, to drive the retry-then-fail path.</summary>
    private sealed class BrokenVoice : IVoiceProvider
    {
        public Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken) =>
            throw new IOException("speech engine unavailable");
    }
}
