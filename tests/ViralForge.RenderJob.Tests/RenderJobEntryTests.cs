using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.RenderJob;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>The job's entry point, in-process down the path Program takes, against real PostgreSQL and FFmpeg.</summary>
public sealed class RenderJobEntryTests
{
    [Fact]
    public async Task Renders_a_job_whose_voice_is_done_and_enqueues_its_review()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var environment = PreparedJob.Environment(db, folder);
        using var prepared = RenderJobEntry.CreateHost([], environment);
        var id = await PreparedJob.UpToVoiceAsync(prepared, folder);
        environment["VF_JOB_ID"] = id.ToString();
        environment["VF_GENERATION"] = "1";
        environment["CLOUD_RUN_JOB"] = "vf-render";
        environment["CLOUD_RUN_EXECUTION"] = "vf-render-x7k2p";
        environment["CLOUD_RUN_TASK_INDEX"] = "0";
        environment["CLOUD_RUN_TASK_ATTEMPT"] = "0";
        using var errors = new StringWriter();

        var code = await RenderJobEntry.RunAsync([], environment, errors);

        Assert.Equal("", errors.ToString());
        Assert.Equal(RenderJobExitCodes.Done, code);
        var store = prepared.Services.GetRequiredService<IJobStore>();
        var render = (await store.ListStageRunsAsync(id, CancellationToken.None)).Single(r => r.Stage == StageName.Render);
        Assert.Equal(StageRunStatus.Completed, render.Status);
        Assert.Equal(JobStatus.ForStage(StageName.Review), (await store.GetAsync(id, CancellationToken.None))!.Status);

        var output = StageJson.FromElement<RenderOutput>(render.Output!.Value);
        var video = folder.File("downloaded.mp4");
        await prepared.Services.GetRequiredService<IBlobStore>().DownloadToFileAsync(output.VideoBlobKey, video, CancellationToken.None);
        var probe = await FfprobeResult.RunAsync(video);
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(270, probe.Video.Width);
        Assert.Equal(480, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.InRange(probe.DurationSeconds, 1, 60);

        Assert.Equal([StageTasks.TaskName(id, StageName.Review, 1)], await PreparedJob.ReviewTasksAsync(db));
    }

    [Fact]
    public async Task A_second_execution_for_a_rendered_job_renders_nothing_and_exits_zero()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var environment = PreparedJob.Environment(db, folder);
        using var prepared = RenderJobEntry.CreateHost([], environment);
        var id = await PreparedJob.UpToVoiceAsync(prepared, folder);
        environment["VF_JOB_ID"] = id.ToString();
        environment["VF_GENERATION"] = "1";
        Assert.Equal(RenderJobExitCodes.Done, await RenderJobEntry.RunAsync([], environment, TextWriter.Null));

        // jobs:run is not idempotent: a duplicate execution must find the run done and only re-enqueue review.
        environment["CLOUD_RUN_TASK_ATTEMPT"] = "1";
        var code = await RenderJobEntry.RunAsync([], environment, TextWriter.Null);

        Assert.Equal(RenderJobExitCodes.Done, code);
        var store = prepared.Services.GetRequiredService<IJobStore>();
        var render = (await store.ListStageRunsAsync(id, CancellationToken.None)).Single(r => r.Stage == StageName.Render);
        Assert.Equal(1, render.Attempts);
        Assert.Single(await store.ListEventsAsync(id, CancellationToken.None), e => e.Kind == "completed" && e.Stage == StageName.Render);
        Assert.Equal([StageTasks.TaskName(id, StageName.Review, 1)], await PreparedJob.ReviewTasksAsync(db));
    }

    [Fact]
    public async Task A_job_that_does_not_exist_is_skipped_with_exit_zero()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var environment = PreparedJob.Environment(db, folder);
        environment["VF_JOB_ID"] = Guid.NewGuid().ToString();
        environment["VF_GENERATION"] = "1";
        using var errors = new StringWriter();

        var code = await RenderJobEntry.RunAsync([], environment, errors);

        Assert.Equal(RenderJobExitCodes.Done, code);
        Assert.Equal("", errors.ToString());
        Assert.Empty(await PreparedJob.ReviewTasksAsync(db));
    }

    [Fact]
    public async Task A_malformed_environment_exits_2_and_says_what_is_wrong_on_stderr()
    {
        using var errors = new StringWriter();

        var code = await RenderJobEntry.RunAsync([], new Dictionary<string, string?> { ["VF_JOB_ID"] = "not-a-guid", ["VF_GENERATION"] = "0" }, errors);

        Assert.Equal(RenderJobExitCodes.BadConfiguration, code);
        Assert.Equal(
            "viralforge-render-job: VF_JOB_ID 'not-a-guid' is not a GUID.\n" +
            "viralforge-render-job: VF_GENERATION 0 must be 1 or more.\n",
            errors.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task An_invalid_setting_exits_2_naming_the_setting()
    {
        using var folder = new TempFolder();
        var environment = new Dictionary<string, string?>
        {
            ["VF_JOB_ID"] = Guid.NewGuid().ToString(),
            ["VF_GENERATION"] = "1",
            // Never connected to: the settings are checked first.
            ["VF_DATABASE_URL"] = "Host=/nonexistent;Username=vf;Database=vf",
            ["ViralForge__WorkFolder"] = folder.Path,
            ["ViralForge__Media__Width"] = "10",
        };
        using var errors = new StringWriter();

        var code = await RenderJobEntry.RunAsync([], environment, errors);

        Assert.Equal(RenderJobExitCodes.BadConfiguration, code);
        Assert.Contains("Width", errors.ToString());
    }

    [Fact]
    public async Task An_unknown_profile_exits_2()
    {
        var environment = new Dictionary<string, string?>
        {
            ["VF_JOB_ID"] = Guid.NewGuid().ToString(),
            ["VF_GENERATION"] = "1",
            ["VF_DATABASE_URL"] = "Host=/nonexistent;Username=vf;Database=vf",
            ["ViralForge__Profile"] = "aws",
        };
        using var errors = new StringWriter();

        var code = await RenderJobEntry.RunAsync([], environment, errors);

        Assert.Equal(RenderJobExitCodes.BadConfiguration, code);
        Assert.Equal("viralforge-render-job: ViralForge__Profile 'aws' is not a profile; use 'local' or 'gcp'.", errors.ToString().Trim());
    }

    [Fact]
    public async Task The_gcp_profile_without_its_google_settings_exits_2_naming_them()
    {
        var environment = new Dictionary<string, string?>
        {
            ["VF_JOB_ID"] = Guid.NewGuid().ToString(),
            ["VF_GENERATION"] = "1",
            ["VF_DATABASE_URL"] = "Host=/nonexistent;Username=vf;Database=vf",
            ["ViralForge__Profile"] = "gcp",
        };
        using var errors = new StringWriter();

        var code = await RenderJobEntry.RunAsync([], environment, errors);

        Assert.True(code == RenderJobExitCodes.BadConfiguration, errors.ToString());
        Assert.Contains("Google:Tasks:ProjectId", errors.ToString(), StringComparison.Ordinal);
    }
}
