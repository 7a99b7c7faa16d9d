using System.Collections.Concurrent;
using System.Diagnostics;

namespace ViralForge.Render;

/// <summary>Starts ffmpeg so that it dies with this process, even when this process is killed with SIGKILL.</summary>
/// <remarks>
/// A killed worker must not leave a render running as an orphan: it holds hundreds of megabytes and both cores while the
/// next run renders the same job again. A cancel kills the process tree (<see cref="FfmpegRunner"/>), but SIGKILL runs no
/// code in this process, so the kernel has to do it: the child is started through util-linux's
/// <c>setpriv --pdeathsig KILL --</c>, which sets PR_SET_PDEATHSIG and then execs the program (same pid, so killing and
/// memory sampling see ffmpeg itself). The kernel sends that signal when the *thread* that forked the child exits, not
/// the process, and .NET forks on the thread that calls <see cref="Process.Start()"/>: a thread-pool thread that retires
/// would kill a healthy render. So every such start happens on one dedicated thread that lives as long as the process.
/// Chosen over a process group (which a SIGKILL of the parent does not reach) and over a watchdog process (one more
/// thing that can be killed). Where setpriv is missing (not Linux), children start as before and only a cancel kills them.
/// </remarks>
public static class ChildProcessLauncher
{
    /// <summary>Where util-linux puts setpriv on Debian and Ubuntu, the images included.</summary>
    private static readonly string? Setpriv = OperatingSystem.IsLinux() && File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : null;

    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Starts = [];

    private static readonly Lazy<Thread> Forker = new(() =>
    {
        var thread = new Thread(ForkLoop) { IsBackground = true, Name = "vf child process starter" };
        thread.Start();
        return thread;
    });

    /// <summary>True when children started here are killed by the kernel if this process dies.</summary>
    public static bool ChildrenDieWithParent => Setpriv is not null;

    /// <summary>
    /// Starts the process (its <see cref="ProcessStartInfo"/> names the program by full path) so that it dies with this
    /// process. A program that does not exist or cannot be executed is started directly, so that the failure is the same
    /// <see cref="System.ComponentModel.Win32Exception"/> as without setpriv rather than setpriv's exit code.
    /// </summary>
    public static Task StartAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var startInfo = process.StartInfo;
        if (Setpriv is null || !IsExecutable(startInfo.FileName))
        {
            process.Start();
            return Task.CompletedTask;
        }

        startInfo.ArgumentList.Insert(0, startInfo.FileName);
        startInfo.ArgumentList.Insert(0, "--");
        startInfo.ArgumentList.Insert(0, "KILL");
        startInfo.ArgumentList.Insert(0, "--pdeathsig");
        startInfo.FileName = Setpriv;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Forker.Value;
        Starts.Add((process, started));
        return started.Task;
    }

    private static void ForkLoop()
    {
        foreach (var (process, started) in Starts.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                // Handed to the caller, which reports it; this thread must live on for every later start.
                started.SetException(e);
            }
        }
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && Path.IsPathRooted(path) && File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
