namespace ViralForge.Core.Stages;

/// <summary>
/// How far a stage's long-running tool has got (ffmpeg's output time), watched by the attempt's <see cref="LeaseHeartbeat"/>:
/// once the tool has reported, the lease is renewed only while the position keeps advancing. A tool that goes quiet for
/// Stages:ProgressStall is taken for hung: the lease is left to run out and <see cref="Stalled"/> is cancelled, which
/// kills the tool, so the queue gets the task back at once instead of at the dispatch deadline.
/// </summary>
/// <remarks>Stages that report nothing are never taken for stalled: their lease renews on the timer alone.</remarks>
public sealed class StageProgress(TimeProvider time) : IProgress<TimeSpan>, IDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stalled = new();
    private TimeSpan furthest;
    private long lastAdvance;
    private bool watching;

    /// <summary>Cancelled when the heartbeat gives up on a tool that stopped advancing.</summary>
    public CancellationToken Stalled => stalled.Token;

    /// <summary>The tool is at <paramref name="value"/>; a report that does not move past the furthest one is no progress.</summary>
    public void Report(TimeSpan value)
    {
        lock (gate)
        {
            if (!watching || value > furthest)
            {
                furthest = value;
                lastAdvance = time.GetTimestamp();
                watching = true;
            }
        }
    }

    /// <summary>The reporting tool has finished: quiet from now on is not a stall.</summary>
    public void Settle()
    {
        lock (gate)
        {
            watching = false;
        }
    }

    /// <summary>True when a reporting tool has not advanced for longer than <paramref name="stallAfter"/>.</summary>
    public bool IsStalled(TimeSpan stallAfter)
    {
        lock (gate)
        {
            return watching && time.GetElapsedTime(lastAdvance) > stallAfter;
        }
    }

    /// <summary>Gives up on the tool: cancels <see cref="Stalled"/>.</summary>
    public void Stall() => stalled.Cancel();

    public void Dispose() => stalled.Dispose();
}
