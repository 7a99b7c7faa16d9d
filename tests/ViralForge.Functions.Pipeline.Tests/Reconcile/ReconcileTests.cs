using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests.Reconcile;

/// <summary>The reconcile step in the real host, on PostgreSQL and the local queue: what it finds, what it leaves, and that it acts once.</summary>
public sealed class ReconcileTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>A render that never answers: the dispatcher's deadline cuts every attempt.</summary>
    private sealed class HangingRenderer : IRenderer
    {
        public async Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Visuals in no time, so that only the render meets the short dispatch deadline (the renderer never reads them).</summary>
    private sealed class InstantVisuals : IVisualsProvider
    {
        public async Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken)
        {
            var clips = new List<VisualClip>();
            for (var i = 0; i < request.BeatSeconds.Count; i++)
            {
                var path = Path.Combine(request.OutputFolder, $"beat-{i}.png");
                await File.WriteAllBytesAsync(path, [1], cancellationToken);
                clips.Add(new VisualClip(i, path, request.BeatSeconds[i], "still"));
            }
            return clips;
        }
    }

    private sealed class InstantVoice : IVoiceProvider
    {
        // 9 s: within the voice stage's 15 % of the 10 s row (less its 0.5 s tail), so it takes no retake.
        public async Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
        {
            await File.WriteAllBytesAsync(request.OutputPath, [1], cancellationToken);
            return new Narration(request.OutputPath, 9, [new WordTiming("bread", 0, 9)]);
        }
    }

    [Fact]
    public async Task A_render_task_that_dies_without_an_answer_fails_its_job_at_once_with_the_reason_compensated_and_written_to_the_row()
    {
        await using var host = await TestHost.StartAsync(
            replace: services => services
                .AddSingleton<IRenderer, HangingRenderer>()
                .AddSingleton<IVisualsProvider, InstantVisuals>()
                .AddSingleton<IVoiceProvider, InstantVoice>(),
            settings: new Dictionary<string, string?>
            {
                // Every other stage gets as many tries as a loaded machine needs to answer within the deadline.
                ["ViralForge:Queue:MaxAttempts"] = "50",
                ["ViralForge:Queue:DispatchDeadline"] = "00:00:03",
                // The render task's own deadline is sized from its video (9.5 s x 0.1 x 2, raised to the 3 s floor).
                ["ViralForge:Queue:RenderSecondsPerVideoSecond"] = "0.1",
                ["ViralForge:Queue:RenderDeadlineFloor"] = "00:00:03",
                ["ViralForge:Queue:Queues:vf-render:MaxAttempts"] = "2",
                ["ViralForge:Queue:Queues:vf-render:MinBackoff"] = "00:00:00.200",
                // only the dispatcher's report can fail it in time: no periodic pass after the first
                ["ViralForge:Reconcile:Interval"] = "01:00:00",
            });
        var sheetPath = host.WriteSheet("Topic,Duration\nWhy bread rises,10\n");
        var sheet = host.Get<ISheetRegistry>().Open(sheetPath);
        var jobId = (await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None)).Single().JobId!.Value;

        var job = (await host.WaitForJobsAsync([jobId], j => j.IsTerminal, Patience)).Single();
        // The job turns terminal first and the row is written last, after the compensations.
        var row = await RowOnceWrittenAsync(sheet, JobStatus.Failed);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("render: no answer within the dispatch deadline (00:00:03) after 2 attempts", job.Error);
        var events = await host.Get<IJobStore>().ListEventsAsync(jobId, CancellationToken.None);
        Assert.Equal(
            [StageName.Voice, StageName.Visuals, StageName.Script, StageName.Analysis, StageName.Trends],
            events.Where(e => e.Kind == "compensated").Select(e => e.Stage!.Value));
        Assert.Equal("failed", row.Get(SheetContract.Status));
        Assert.Equal(job.Error, row.Get(SheetContract.Error));
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM assets a JOIN stage_runs r USING (job_id, stage, generation) WHERE r.compensated_at IS NULL AND r.status = 'completed'"));
    }

    /// <summary>The sheet's one row once its Status says <paramref name="status"/>, or as it stands after 30 s.</summary>
    private static async Task<SheetRow> RowOnceWrittenAsync(ISheet sheet, string status)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var row = (await sheet.ReadRowsAsync(CancellationToken.None)).Single();
            if (row.Get(SheetContract.Status) == status || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return row;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_task_deleted_while_its_job_waits_is_queued_again_and_the_job_ends_with_one_video()
    {
        await using var host = await TestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ViralForge:Reconcile:Interval"] = "00:00:00.300",
            ["ViralForge:Reconcile:GracePeriod"] = "00:00:00.500",
        });
        var store = host.Get<IJobStore>();
        var sheetPath = host.WriteSheet("Topic,Duration\nWhy ice floats,10\n");
        var job = (await store.SubmitAsync(sheetPath, "ice", new VideoRequest("Why ice floats", Platforms.YouTube, 10, "clean", "default", "en", null, [], ""), CancellationToken.None)).Job;
        File.WriteAllText(sheetPath, $"Topic,Duration,Job ID\nWhy ice floats,10,{job.Id}\n");
        // Its trends task is scheduled an hour from now: waiting, not stalled.
        await host.Get<ITaskQueue>().EnqueueAsync(
            new QueueTask("vf-trends", StageTasks.TaskName(job.Id, StageName.Trends, 1), "/stages/trends", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new StageMessage(job.Id, 1), Core.CoreJson.Default.StageMessage),
                TimeProvider.System.GetUtcNow().AddHours(1)),
            CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(JobStatus.Queued, (await store.GetAsync(job.Id, CancellationToken.None))!.Status);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks"));

        await using (var delete = host.Database.DataSource.CreateCommand("DELETE FROM tasks"))
        {
            await delete.ExecuteNonQueryAsync();
        }
        var ended = (await host.WaitForJobsAsync([job.Id], j => j.IsTerminal, Patience)).Single();

        Assert.Equal(JobStatus.Published, ended.Status);
        var videos = Directory.GetFiles(Path.Combine(host.Folder.Path, "published", job.Id.ToString("N")), "*.mp4", SearchOption.AllDirectories);
        Assert.Single(videos);
        Assert.Single(await store.ListAssetsAsync(job.Id, CancellationToken.None), a => a.Kind == "video");
        Assert.Contains(await store.ListEventsAsync(job.Id, CancellationToken.None), e => e.Kind == "reconciled" && e.Stage == StageName.Trends);
    }

    [Fact]
    public async Task Stalled_jobs_are_queued_once_by_reconcilers_running_at_once_and_the_rest_are_left_alone()
    {
        await using var host = await TestHost.StartAsync(dispatch: false, settings: new Dictionary<string, string?>
        {
            ["ViralForge:Reconcile:GracePeriod"] = "00:00:00.200",
        });
        var store = host.Get<IJobStore>();
        async Task<Job> NewJobAsync(string topic) =>
            (await store.SubmitAsync("memory:none", topic, new VideoRequest(topic, Platforms.YouTube, 10, "clean", "default", "en", null, [], ""), CancellationToken.None)).Job;
        var nothingScheduled = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => NewJobAsync($"nothing scheduled {i}")));
        // a worker died at voice: its lease runs out and no task comes back
        var leaseExpired = await NewJobAsync("lease expired");
        await store.SetStatusAsync(leaseExpired.Id, JobStatus.ForStage(StageName.Voice), StageName.Voice, CancellationToken.None);
        await store.ClaimStageAsync(leaseExpired.Id, StageName.Voice, 1, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        // waiting for a reviewer: its review task is done; only a person (or its expiry timer) moves it
        var awaiting = await NewJobAsync("awaiting review");
        await store.SetStatusAsync(awaiting.Id, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        await store.ClaimStageAsync(awaiting.Id, StageName.Review, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        using (var pending = System.Text.Json.JsonDocument.Parse("""{"verdict":"pending"}"""))
        {
            await store.AwaitApprovalAsync(awaiting.Id, StageName.Review, 1, pending.RootElement, CancellationToken.None);
        }
        // a live attempt holds its run
        var working = await NewJobAsync("working");
        await store.SetStatusAsync(working.Id, JobStatus.ForStage(StageName.Script), StageName.Script, CancellationToken.None);
        await store.ClaimStageAsync(working.Id, StageName.Script, 1, TimeSpan.FromMinutes(5), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var reconcilers = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<Reconciler>(host.Services)).ToList();
        var reports = await Task.WhenAll(reconcilers.Select(r => Task.Run(() => r.RunOnceAsync(CancellationToken.None))));

        Assert.Equal(5, reports.Sum(r => r.Requeued));
        Assert.Equal(0, reports.Sum(r => r.Failed));
        Assert.Equal(4L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-trends'"));
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = 'vf-voice'"));
        Assert.Equal(5L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
        foreach (var job in nothingScheduled)
        {
            Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE name = @name",
                ("name", StageTasks.TaskName(job.Id, StageName.Trends, 1, 1))));
        }
        Assert.Equal(1, await host.Database.ScalarAsync<int>("SELECT count FROM stage_reconciles WHERE job_id = @job", ("job", leaseExpired.Id)));
        // a second round finds every stalled job's new task live
        Assert.Equal(0, (await reconcilers[0].RunOnceAsync(CancellationToken.None)).Requeued);
    }
}
