using System.Diagnostics;
using ViralForge.Core.Jobs;
using ViralForge.Testing;
using Xunit.Abstractions;

namespace ViralForge.Cli.Tests;

/// <summary>
/// Issue 17's acceptance for the reconcile step: `vf run` killed with SIGKILL as its jobs reach each stage, then run
/// again, finishes every job with one video, leaves no job unfinished and no ffmpeg of its own behind.
/// </summary>
public sealed class KillAtStageBoundariesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StagePatience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FinishPatience = TimeSpan.FromMinutes(4);

    /// <summary>The statuses a job passes through on its way to published, in order.</summary>
    private static readonly string[] Boundaries =
    [
        .. StageOrder.InOrder.Where(s => s != StageName.Review).Select(JobStatus.ForStage),
    ];

    [Fact]
    public async Task Kill_9_at_every_stage_boundary_then_a_rerun_finishes_every_job_with_one_video_each()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var sheet = folder.File("ideas.csv");
        await File.WriteAllTextAsync(sheet, "Topic,Platform,Duration\nDesk stretches,youtube,10\nWhy bread rises,tiktok,10\n");

        var killedAt = new List<string>();
        foreach (var boundary in Boundaries)
        {
            using var vf = Start(db, folder, sheet);
            var reached = await WaitForStatusAsync(db, vf, boundary);
            if (reached is null)
            {
                // The run ended before this boundary, or a loaded machine is slow to reach it: the rerun takes it from here.
                output.WriteLine($"not killed at {boundary}: {await Statuses(db)}");
                vf.Kill(entireProcessTree: false);
                await vf.WaitForExitAsync();
                break;
            }
            vf.Kill(entireProcessTree: false); // SIGKILL to vf alone, as kill -9 does: its ffmpeg children are not asked to stop
            await vf.WaitForExitAsync();
            killedAt.Add(reached);
            output.WriteLine($"killed at {reached}; ffmpeg left running: {string.Join(" | ", FfmpegNaming(folder.Path))}");
        }

        using var last = Start(db, folder, sheet);
        var stdout = last.StandardOutput.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(FinishPatience))
        {
            try
            {
                await last.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                last.Kill(entireProcessTree: true);
                Assert.Fail($"the rerun did not finish in {FinishPatience}: {await Statuses(db)}\n{await stdout}");
            }
        }
        output.WriteLine(await stdout);

        Assert.True(killedAt.Count >= 4, $"killed at only {string.Join(", ", killedAt)}");
        Assert.Equal(0, last.ExitCode);
        Assert.Equal("published,published", await Statuses(db));
        var jobIds = await JobIdsAsync(db);
        foreach (var job in jobIds)
        {
            var videos = Directory.GetFiles(Path.Combine(folder.Path, "published", job.ToString("N")), "*.mp4");
            Assert.Single(videos);
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM assets WHERE job_id = @job AND kind = 'video'", ("job", job)));
        }
        Assert.Empty(FfmpegNaming(folder.Path));
        output.WriteLine($"killed at: {string.Join(", ", killedAt)}");
    }

    private static Process Start(TestDatabase db, TempFolder folder, string sheet)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(VfDll());
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--sheet");
        start.ArgumentList.Add(sheet);
        start.Environment["VF_DATABASE_URL"] = db.ConnectionString;
        start.Environment["ViralForge__WorkFolder"] = folder.Path;
        start.Environment["ViralForge__Defaults__Music"] = "none";
        // A killed attempt's leases run out in seconds, and the reconcile step looks soon after, so the test takes minutes.
        start.Environment["ViralForge__Queue__Lease"] = "00:00:02";
        start.Environment["ViralForge__Stages__Lease"] = "00:00:02";
        start.Environment["ViralForge__Queue__MinBackoff"] = "00:00:00.200";
        start.Environment["ViralForge__Reconcile__Interval"] = "00:00:01";
        start.Environment["ViralForge__Reconcile__GracePeriod"] = "00:00:02";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // Drain stderr so the child never blocks on a full pipe; stdout is read by whoever needs it.
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>The vf.dll built beside this test (same configuration).</summary>
    private static string VfDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = RepositoryRoot.File($"functions/ViralForge.Cli/bin/{configuration}/net10.0/vf.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build functions/ViralForge.Cli first: no {dll}");
    }

    /// <summary>Waits until a job's status is <paramref name="boundary"/> or a later one; null when vf ended first or <see cref="StagePatience"/> passed.</summary>
    private static async Task<string?> WaitForStatusAsync(TestDatabase db, Process vf, string boundary)
    {
        _ = vf.StandardOutput.ReadToEndAsync();
        var index = Array.IndexOf(Boundaries, boundary);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StagePatience)
        {
            if (vf.HasExited)
            {
                return null;
            }
            try
            {
                await using var command = db.DataSource.CreateCommand("SELECT status FROM jobs");
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var status = reader.GetString(0);
                    if (Array.IndexOf(Boundaries, status) >= index || status == JobStatus.Published)
                    {
                        return status;
                    }
                }
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
            {
                // vf has not migrated the scratch database yet
            }
            await Task.Delay(50);
        }
        return null;
    }

    private static async Task<string> Statuses(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT coalesce(string_agg(status, ',' ORDER BY status), '') FROM jobs");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<Guid>> JobIdsAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT id FROM jobs");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    /// <summary>Command lines of running ffmpeg processes that name <paramref name="folder"/>.</summary>
    private static List<string> FfmpegNaming(string folder)
    {
        var found = new List<string>();
        foreach (var proc in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue; // ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (commandLine.Contains("ffmpeg", StringComparison.Ordinal) && commandLine.Contains(folder, StringComparison.Ordinal))
            {
                found.Add($"{Path.GetFileName(proc)}: {(commandLine.Length > 120 ? commandLine[..120] : commandLine)}");
            }
        }
        return found;
    }
}
