using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>How the runner treats the failures ports classify: permanent, queue unavailable, already stored (still running elsewhere: StageRunnerWaitTests).</summary>
public sealed class StageRunnerFailureTests
{
    private readonly CoreHarness core = new();

    [Fact]
    public async Task A_port_failure_derived_from_the_permanent_type_fails_the_job_on_the_first_attempt()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Render].Work = (_, _) => throw new PlanRefused("scenes[0].duration: must be more than 0.");

        var outcome = await core.RunAsync(job, StageName.Render);

        Assert.IsType<StageOutcome.Ended>(outcome);
        var after = await core.JobAsync(job.Id);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Contains("scenes[0].duration", after.Error, StringComparison.Ordinal);
        Assert.Equal(1, core.Stages[StageName.Render].Runs);
    }

    [Fact]
    public async Task A_done_stage_whose_next_task_cannot_be_queued_asks_for_a_retry_and_the_redelivery_only_enqueues()
    {
        var (job, _) = await core.NewJobAsync();
        core.Queue.Failure = new TaskQueueUnavailableException("vf-analysis", "503 UNAVAILABLE");

        var outcome = await core.RunAsync(job, StageName.Trends);

        var retry = Assert.IsType<StageOutcome.RetryLater>(outcome);
        Assert.Equal(StageRunner.NextStageRetry, retry.After);
        Assert.Contains("vf-analysis", retry.Detail, StringComparison.Ordinal);
        Assert.Equal(StageRunStatus.Completed, (await core.RunOfAsync(job.Id, StageName.Trends)).Status);

        core.Queue.Failure = null;
        Assert.IsType<StageOutcome.Completed>(await core.RunAsync(job, StageName.Trends, retryCount: 1));
        Assert.Equal(1, core.Stages[StageName.Trends].Runs);
        Assert.Single(core.Enqueued(StageName.Analysis));
    }

    [Fact]
    public async Task A_file_already_stored_elsewhere_is_recorded_as_an_asset_without_being_stored_again()
    {
        var (job, _) = await core.NewJobAsync();
        var key = BlobKeys.For(job.Id, StageName.Render, 1, "video.mp4");
        var stored = new BlobInfo(key, 4_200_000, "ab12");
        core.Stages[StageName.Render].Work = (context, _) => Task.FromResult(StageResult.Completed(
            new RenderOutput(key, 30, 1080, 1920, stored.SizeBytes), "rendered remotely", new ProducedFile("video", null, key, 30, stored)));

        await core.RunAsync(job, StageName.Render);

        var asset = Assert.Single(await core.Store.ListAssetsAsync(job.Id, CancellationToken.None));
        Assert.Equal((key, stored.SizeBytes, stored.Sha256), (asset.BlobKey, asset.SizeBytes, asset.Sha256));
        Assert.False(await core.Blobs.ExistsAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Scratch_folders_are_under_the_work_folder()
    {
        var (job, _) = await core.NewJobAsync();
        string? folder = null;
        core.Stages[StageName.Script].Work = (context, _) =>
        {
            folder = context.WorkFolder;
            return Task.FromResult(ScriptedStage.Output(StageName.Script, "written"));
        };

        await core.RunAsync(job, StageName.Script);

        Assert.StartsWith(Path.Combine(Path.GetFullPath(core.Settings.WorkFolder), "scratch") + Path.DirectorySeparatorChar, folder, StringComparison.Ordinal);
    }

    /// <summary>What a port's own permanent failure looks like (RenderPlanException is one).</summary>
    private sealed class PlanRefused(string message) : PermanentStageException(message);
}
