using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Ports;
using ViralForge.RenderJob;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>The job's entry point, in-process down the path Program takes, against real PostgreSQL and FFmpeg.</summary>
public sealed class RenderJobEntryTests
{
    [Fact]
    public async Task Renders_the_stored_request_and_stores_every_output_and_then_the_result()
    {
        await using var render = await PreparedRender.CreateAsync();
        render.Environment["CLOUD_RUN_JOB"] = "vf-render";
        render.Environment["CLOUD_RUN_EXECUTION"] = "vf-render-x7k2p";
        render.Environment["CLOUD_RUN_TASK_INDEX"] = "0";
        render.Environment["CLOUD_RUN_TASK_ATTEMPT"] = "0";
        using var errors = new StringWriter();

        var code = await render.RunJobAsync(errors);

        Assert.Equal("", errors.ToString());
        Assert.Equal(RenderJobExitCodes.Done, code);
        var result = await render.ResultAsync();
        Assert.NotNull(result);
        Assert.Equal(["video", "thumbnail", "preview"], result.Files.Select(f => f.Kind));
        Assert.All(result.Files, f => Assert.Null(f.LocalPath));
        Assert.Equal(render.Work!.Outputs.Video, result.File("video")!.BlobKey);

        var video = render.Folder.File("downloaded.mp4");
        await render.Blobs.DownloadToFileAsync(render.Work.Outputs.Video, video, CancellationToken.None);
        Assert.Equal(new FileInfo(video).Length, result.File("video")!.Stored!.SizeBytes);
        var probe = await FfprobeResult.RunAsync(video);
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(270, probe.Video.Width);
        Assert.Equal(480, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.InRange(probe.DurationSeconds, 1, 60);
        Assert.Equal(result.DurationSeconds, probe.DurationSeconds, 1);
        Assert.Null(await render.FailureAsync());
        // How far it had encoded, for the render stage watching the execution: at the end, the whole video.
        var progress = await RenderJobBlobs.TryReadAsync(render.Blobs, RenderJobBlobs.Progress(render.Work.JobId, render.Work.Generation),
            Core.CoreJson.Default.RenderProgress, render.Folder.Path, CancellationToken.None);
        Assert.NotNull(progress);
        Assert.InRange(progress.Seconds, result.DurationSeconds - 1.5, result.DurationSeconds + 0.5);
        // The row's music (the default mood) is no blob: the request names it and the job made the bed itself.
        Assert.Equal("calm", Assert.Single(render.Work.MusicBeds!).Value);
        Assert.True(File.Exists(render.Folder.File(Path.Combine("music", $"calm-v{Render.MusicBeds.Version}.wav"))), "the job made no calm bed in its music folder");
    }

    [Fact]
    public async Task A_second_execution_for_a_rendered_job_renders_nothing_and_exits_zero()
    {
        await using var render = await PreparedRender.CreateAsync();
        Assert.Equal(RenderJobExitCodes.Done, await render.RunJobAsync());
        await render.Blobs.DeleteAsync(render.Work!.Outputs.Video, CancellationToken.None);

        // jobs:run is not idempotent: a duplicate execution must find the render done and render nothing.
        render.Environment["CLOUD_RUN_TASK_ATTEMPT"] = "1";
        var code = await render.RunJobAsync();

        Assert.Equal(RenderJobExitCodes.Done, code);
        Assert.False(await render.Blobs.ExistsAsync(render.Work.Outputs.Video, CancellationToken.None));
    }

    [Fact]
    public async Task A_job_without_a_stored_request_is_skipped_with_exit_zero()
    {
        await using var render = await PreparedRender.CreateAsync(withJob: false);
        using var errors = new StringWriter();

        var code = await render.RunJobAsync(errors);

        Assert.Equal(RenderJobExitCodes.Done, code);
        Assert.Equal("", errors.ToString());
        Assert.Null(await render.ResultAsync());
    }

    [Fact]
    public async Task A_plan_that_cannot_be_rendered_exits_3_and_says_why_in_a_permanent_failure()
    {
        await using var render = await PreparedRender.CreateAsync(
            change: work => work with { Plan = work.Plan with { Scenes = [.. work.Plan.Scenes.Select((s, i) => i == 0 ? s with { Duration = 0 } : s)] } });

        var code = await render.RunJobAsync();

        Assert.Equal(RenderJobExitCodes.Refused, code);
        var failure = await render.FailureAsync();
        Assert.NotNull(failure);
        Assert.True(failure.Permanent);
        Assert.Contains("scenes[0].duration", failure.Reason, StringComparison.Ordinal);
        Assert.Null(await render.ResultAsync());
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

        var (code, errors) = await RunAsync(("ViralForge__WorkFolder", folder.Path), ("ViralForge__Media__Width", "10"));

        Assert.Equal(RenderJobExitCodes.BadConfiguration, code);
        Assert.Contains("Width", errors);
    }

    [Fact]
    public async Task An_unknown_profile_exits_2()
    {
        var (code, errors) = await RunAsync(("ViralForge__Profile", "aws"));

        Assert.Equal(RenderJobExitCodes.BadConfiguration, code);
        Assert.Equal("viralforge-render-job: ViralForge:Profile (environment ViralForge__Profile) 'aws' is not a profile; use 'local' or 'gcp'.", errors.Trim());
    }

    [Fact]
    public async Task The_gcp_profile_without_its_google_settings_exits_2_naming_them()
    {
        var (code, errors) = await RunAsync(("ViralForge__Profile", "gcp"));

        Assert.True(code == RenderJobExitCodes.BadConfiguration, errors);
        Assert.Contains("Google:Tasks:ProjectId", errors, StringComparison.Ordinal);
    }

    /// <summary>The job for a well-formed job id and generation with these settings; nothing is ever rendered: the settings are checked first.</summary>
    private static async Task<(int Code, string Errors)> RunAsync(params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string?>
        {
            [RenderJobSettings.JobIdVariable] = Guid.NewGuid().ToString(),
            [RenderJobSettings.GenerationVariable] = "1",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }
        using var errors = new StringWriter();
        var code = await RenderJobEntry.RunAsync([], environment, errors);
        return (code, errors.ToString());
    }
}
