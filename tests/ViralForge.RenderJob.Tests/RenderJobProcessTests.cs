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
        await using var render = await PreparedRender.CreateAsync();

        // A full-size, slowest-preset render: long enough to be stopped half way on any machine.
        using var job = Start(render.Environment, new()
        {
            ["CLOUD_RUN_TASK_ATTEMPT"] = "0",
            ["ViralForge__Media__Width"] = "1080",
            ["ViralForge__Media__Height"] = "1920",
            ["ViralForge__Media__Preset"] = "veryslow",
        });
        var stdout = job.StandardOutput.ReadToEndAsync();
        var stderr = job.StandardError.ReadToEndAsync();
        await WaitUntilRenderingAsync(render.Folder, job);

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
        Assert.Null(await render.ResultAsync());
        Assert.Null(await render.FailureAsync());

        // The render stage's retry starts a new execution, which renders from the same request.
        render.Environment["CLOUD_RUN_TASK_ATTEMPT"] = "0";
        Assert.Equal(RenderJobExitCodes.Done, await render.RunJobAsync());
        Assert.NotNull(await render.ResultAsync());
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
