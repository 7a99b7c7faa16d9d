using System.Diagnostics;
using System.Globalization;
using System.Text;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Lifecycle;

/// <summary>
/// The built vf executable in its own process, stopped as people and supervisors stop it: SIGTERM and SIGINT end it
/// within 10 s with nothing left running or held, SIGKILL leaves no ffmpeg behind, and the next run finishes the job.
/// </summary>
public sealed class CliSignalTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempFolder folder = new();
    private TestDatabase db = null!;

    private string Work => Path.Combine(folder.Path, "work");

    private string Sheet => folder.File("ideas.csv");

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await File.WriteAllTextAsync(Sheet, "Topic,Platform,Duration\nDesk stretches for programmers,youtube,10\n");
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Sigterm_while_rendering_exits_143_within_10_s_holding_nothing_and_a_rerun_makes_one_video()
    {
        using var vf = Start(["run", "--sheet", Sheet]);
        await WaitUntilRenderingAsync(vf);

        var stopwatch = Stopwatch.StartNew();
        Signal(vf.Process, "TERM");
        await vf.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(vf.Process.ExitCode == 143, $"exit {vf.Process.ExitCode}\n{vf.Output}");
        Assert.Contains(Shutdown.StoppedLine, vf.Output);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Empty(ProcessTable.Find(Work));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE state = 'leased'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stage_runs WHERE status = 'running'"));
        // It stopped the render rather than letting it finish: the render's run was freed, not completed.
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM stage_runs WHERE stage = 'render'"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Work, "scratch")));

        await RerunMakesOneVideoAsync();
    }

    [Fact]
    public async Task Sigkill_while_rendering_leaves_no_ffmpeg_and_the_next_run_sweeps_its_scratch_and_finishes()
    {
        // Short leases, so that the rerun takes over the killed process's task and run in seconds, not ten.
        var shortLeases = new Dictionary<string, string> { ["ViralForge__Queue__Lease"] = "00:00:02", ["ViralForge__Stages__Lease"] = "00:00:02" };
        using var vf = Start(["run", "--sheet", Sheet], shortLeases);
        await WaitUntilRenderingAsync(vf);
        var pid = vf.Process.Id.ToString(CultureInfo.InvariantCulture);

        Signal(vf.Process, "KILL");
        await vf.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(await ProcessTable.GoneWithinAsync(Work, TimeSpan.FromSeconds(3)), "ffmpeg outlived the vf process killed with SIGKILL");
        var left = Assert.Single(Directory.EnumerateDirectories(Path.Combine(Work, "scratch")));
        Assert.StartsWith($"p{pid}.", Path.GetFileName(left), StringComparison.Ordinal);

        await RerunMakesOneVideoAsync(shortLeases);
        Assert.False(Directory.Exists(left), "the next run did not sweep the killed process's scratch folder");
    }

    [Fact]
    public async Task Sigint_stops_serve_with_130_and_one_line()
    {
        using var vf = Start(["serve"], new() { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });
        using (var cts = new CancellationTokenSource(Patience))
        {
            while (!vf.Output.Contains("Ctrl-C stops", StringComparison.Ordinal))
            {
                Assert.False(vf.Process.HasExited, $"serve ended before it served:\n{vf.Output}");
                await Task.Delay(50, cts.Token);
            }
        }

        Signal(vf.Process, "INT");
        await vf.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(vf.Process.ExitCode == 130, $"exit {vf.Process.ExitCode}\n{vf.Output}");
        Assert.Single(vf.Output.Split('\n'), line => line.Trim() == Shutdown.StoppedLine);
    }

    private async Task RerunMakesOneVideoAsync(Dictionary<string, string>? environment = null)
    {
        using var rerun = Start(["run", "--sheet", Sheet], environment);
        await rerun.Process.WaitForExitAsync().WaitAsync(Patience);

        Assert.True(rerun.Process.ExitCode == 0, $"exit {rerun.Process.ExitCode}\n{rerun.Output}");
        Assert.Contains("published", await File.ReadAllTextAsync(Sheet));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(Work, "published"), "*.mp4", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Work, "scratch")));
        Assert.Empty(ProcessTable.Find(Work));
    }

    /// <summary>Until the render stage's main ffmpeg (writing the partial video in the scratch folder) runs.</summary>
    private async Task WaitUntilRenderingAsync(RunningVf vf)
    {
        var scratch = Path.Combine(Work, "scratch");
        await ProcessTable.WaitForAsync(
            commandLine => commandLine.Contains(scratch, StringComparison.Ordinal) && commandLine.Contains("-render-", StringComparison.Ordinal)
                && commandLine.Contains(".partial.mp4", StringComparison.Ordinal),
            "the render's ffmpeg", Patience, () => $"vf {(vf.Process.HasExited ? $"exited with {vf.Process.ExitCode}" : "runs")}:\n{vf.Output}");
    }

    private RunningVf Start(string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vf.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["VF_DATABASE_URL"] = db.ConnectionString;
        start.Environment["ViralForge__WorkFolder"] = Work;
        // Small and fast: the render still runs long enough to be stopped, and the rerun finishes in seconds.
        start.Environment["ViralForge__Media__Width"] = "360";
        start.Environment["ViralForge__Media__Height"] = "640";
        start.Environment["ViralForge__Defaults__Music"] = "none";
        start.Environment["COLUMNS"] = "300";
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        return new RunningVf(Process.Start(start) ?? throw new InvalidOperationException("could not start vf"));
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>A started vf with its stdout and stderr collected as they come, so a test can wait for a line.</summary>
    private sealed class RunningVf : IDisposable
    {
        private readonly StringBuilder output = new();

        public RunningVf(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.Append(line).Append('\n');
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                // A failed test must not leave vf (and its ffmpeg) running.
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
            Process.Dispose();
        }
    }
}
