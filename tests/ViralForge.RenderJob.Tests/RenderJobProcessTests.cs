using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.RenderJob;
using ViralForge.Testing;

namespace ViralForge.RenderJob.Tests;

/// <summary>The built executable as Cloud Run runs it: its own process, its environment, and SIGTERM.</summary>
public sealed class RenderJobProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Sigterm_mid_render_exits_143_and_the_next_attempt_takes_the_run_over()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var environment = PreparedJob.Environment(db, folder);
        using var prepared = RenderJobEntry.CreateHost([], environment);
        var id = await PreparedJob.UpToVoiceAsync(prepared, folder);
        var store = prepared.Services.GetRequiredService<IJobStore>();

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
        await WaitUntilRenderingAsync(store, id, job);

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
        var stopped = (await store.ListStageRunsAsync(id, CancellationToken.None)).Single(r => r.Stage == StageName.Render);
        Assert.Equal(StageRunStatus.Failed, stopped.Status);
        Assert.Equal("interrupted", stopped.Error);

        // Cloud Run's retry: the released run is claimed at once, not after a lease runs out.
        environment["VF_JOB_ID"] = id.ToString();
        environment["VF_GENERATION"] = "1";
        environment["CLOUD_RUN_TASK_ATTEMPT"] = "1";
        Assert.Equal(RenderJobExitCodes.Done, await RenderJobEntry.RunAsync([], environment, TextWriter.Null));
        var done = (await store.ListStageRunsAsync(id, CancellationToken.None)).Single(r => r.Stage == StageName.Render);
        Assert.Equal(StageRunStatus.Completed, done.Status);
        Assert.Equal(2, done.Attempts);
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

    private static async Task WaitUntilRenderingAsync(IJobStore store, Guid id, Process job)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!cts.IsCancellationRequested)
        {
            Assert.False(job.HasExited, $"the render job exited with {(job.HasExited ? job.ExitCode : 0)} before it was stopped");
            var runs = await store.ListStageRunsAsync(id, CancellationToken.None);
            if (runs.Any(r => r.Stage == StageName.Render && r.Status == StageRunStatus.Running))
            {
                // The run is claimed just before FFmpeg starts; give it a moment to be under way.
                await Task.Delay(500, CancellationToken.None);
                return;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException("the render job never started rendering");
    }
}
