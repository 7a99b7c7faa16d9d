using System.Diagnostics;
using ViralForge.RenderJob;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>The built executable as Cloud Run runs it: its own process, its environment, and SIGTERM.</summary>
public sealed class RenderJobProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Sigterm_mid_render_exits_143_stores_no_result_and_the_next_execution_renders()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var environment = PreparedJob.Environment(db, folder);
        using var pipeline = PreparedJob.CreatePipelineHost(db, environment);
        var id = await PreparedJob.UpToVoiceAsync(pipeline, folder);
        await PreparedJob.StoreRequestAsync(pipeline, folder, id);

        // A full-size, slowest-preset render: long enough to be stopped half way on any machine.
        using var job = Start(environment, new()
        {
            ["VF_JOB_ID"] = id.ToString(),
            ["VF_GENERATION"] = "1",
            ["CLOUD_RUN_TASK_ATTEMPT"] = "0",
            ["ViralForge__Media__Width"] = "1080",
            ["ViralForge__Media__Height"] = "1920",
            ["ViralForge__Media__Preset"] = "veryslow",
        });
        var stdout = job.StandardOutput.ReadToEndAsync();
        var stderr = job.StandardError.ReadToEndAsync();
        await WaitUntilRenderingAsync(folder, job);

        using (var kill = Process.Start("kill", ["-TERM", job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using (var cts = new CancellationTokenSource(Patience))
        {
            await job.WaitForExitAsync(cts.Token);
        }

        Assert.True(job.ExitCode == RenderJobExitCodes.Interrupted, $"exit code {job.ExitCode}\nstdout: {await stdout}\nstderr: {await stderr}");
        Assert.Contains("\"severity\":\"WARNING\"", await stdout);
        Assert.Contains("\"eventId\":7002", await stdout);
        Assert.Null(await PreparedJob.ResultAsync(pipeline, folder, id));
        Assert.Null(await PreparedJob.FailureAsync(pipeline, folder, id));

        // The render stage's retry starts a new execution, which renders from the same request.
        environment["VF_JOB_ID"] = id.ToString();
        environment["VF_GENERATION"] = "1";
        environment["CLOUD_RUN_TASK_ATTEMPT"] = "0";
        Assert.Equal(RenderJobExitCodes.Done, await RenderJobEntry.RunAsync([], environment, TextWriter.Null));
        Assert.NotNull(await PreparedJob.ResultAsync(pipeline, folder, id));
    }

    private static Process Start(Dictionary<string, string?> environment, Dictionary<string, string?> overrides)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, $"{RenderJobEntry.ApplicationName}.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment.Concat(overrides))
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the render job");
    }

    /// <summary>Until ffmpeg is writing the video in the job's scratch folder (under the work folder), with the job still running.</summary>
    private static async Task WaitUntilRenderingAsync(TempFolder folder, Process job)
    {
        using var cts = new CancellationTokenSource(Patience);
        var scratch = Path.Combine(folder.Path, "scratch");
        while (!cts.IsCancellationRequested)
        {
            Assert.False(job.HasExited, $"the render job exited with {(job.HasExited ? job.ExitCode : 0)} before it was stopped");
            if (Directory.Exists(scratch) && Directory.EnumerateFiles(scratch, "*.partial.mp4", SearchOption.AllDirectories).Any())
            {
                // The partial file appears as ffmpeg starts; give it a moment to be under way.
                await Task.Delay(500, CancellationToken.None);
                return;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException("the render job never started rendering");
    }
}
