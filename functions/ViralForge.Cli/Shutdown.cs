using System.Runtime.InteropServices;

namespace ViralForge.Cli;

/// <summary>
/// The one owner of SIGINT and SIGTERM in vf: the first cancels <see cref="Token"/>, which every command passes down, so
/// in-flight stages stop, their ffmpeg trees are killed and their leases handed back; the command then ends with
/// <see cref="Finish"/>'s one line and the conventional exit code (130 for SIGINT, 143 for SIGTERM).
/// </summary>
/// <remarks>
/// Neither System.CommandLine nor the web host may own the signals as well. System.CommandLine's handler (on by default,
/// <c>ProcessTerminationTimeout</c>) lets the command run only 2 s after a signal and then returns from Main, so the
/// process ended half way through stopping and left ffmpeg running; Program turns it off. The in-process host's
/// ConsoleLifetime would stop the application on SIGTERM by itself, before the queue dispatcher hands back its tasks;
/// <see cref="LocalRuntime.OwnShutdown"/> replaces it. If stopping ever takes longer than <see cref="Deadline"/>, or a
/// second signal comes, the process exits at once: ffmpeg dies with it (see Render's ChildProcessLauncher) and the
/// leases run out by themselves.
/// </remarks>
public sealed class Shutdown : IDisposable
{
    /// <summary>What vf prints when a signal stopped it.</summary>
    public const string StoppedLine = "stopped; run the same command again to resume";

    /// <summary>How long a signalled vf may take to stop cleanly before it exits regardless (under the 10 s promised).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(9);

    private readonly CancellationTokenSource cancellation = new();
    private readonly PosixSignalRegistration[] registrations;
    private readonly TextWriter output;
    private int signal;

    public Shutdown(TextWriter output)
    {
        this.output = output;
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>128 + the signal that stopped vf; null while none came.</summary>
    public int? SignalExitCode => Volatile.Read(ref signal) switch
    {
        0 => null,
        var number => 128 + number,
    };

    /// <summary>The command's exit code, or, when a signal stopped it, the one line and 128 + the signal.</summary>
    public int Finish(int commandExitCode)
    {
        if (SignalExitCode is not { } code)
        {
            return commandExitCode;
        }
        output.WriteLine(StoppedLine);
        output.Flush();
        return code;
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the runtime's default (terminate at once) would skip the clean stop.
        context.Cancel = true;
        var number = context.Signal == PosixSignal.SIGINT ? 2 : 15;
        if (Interlocked.CompareExchange(ref signal, number, 0) != 0)
        {
            // A second signal: the person wants out now.
            Exit(128 + number);
            return;
        }
        // Cancelling runs every registered callback; not on the signal's thread, which must return promptly.
        _ = cancellation.CancelAsync();
        _ = Task.Delay(Deadline, TimeProvider.System).ContinueWith(_ => Exit(128 + number), TaskScheduler.Default);
    }

    private void Exit(int code)
    {
        output.WriteLine($"{StoppedLine} (exited without finishing the clean stop: leases run out by themselves)");
        output.Flush();
        Environment.Exit(code);
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
        cancellation.Dispose();
    }
}
