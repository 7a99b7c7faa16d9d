namespace ViralForge.Core.Stages;

/// <summary>
/// How far a stage's long-running tool has got (ffmpeg's output time, or an upload's share sent), watched by the attempt's
/// <see cref="LeaseHeartbeat"/>: once the tool has reported a position, the lease is renewed only while the position keeps
/// advancing. A tool that goes quiet for Stages:ProgressStall is taken for hung: the lease is left to run out and
/// <see cref="Stalled"/> is cancelled, which kills the tool, so the queue gets the task back at once instead of at the
/// dispatch deadline. The same reports become a percent done (<see cref="Percent"/>) that people see in the CLI, the review
/// page and the Stage cell, through the listener given at construction (<see cref="ProgressReporter"/> in the runner).
/// </summary>
/// <remarks>Stages that report nothing are never taken for stalled: their lease renews on the timer alone.</remarks>
public sealed class StageProgress(TimeProvider time, Action<int>? percentChanged = null) : IProgress<TimeSpan>, IProgress<double>, IDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stalled = new();
    private TimeSpan furthest;
    private TimeSpan expected;
    private long lastAdvance;
    private bool watching;
    private int? percent;

    /// <summary>Cancelled when the heartbeat gives up on a tool that stopped advancing.</summary>
    public CancellationToken Stalled => stalled.Token;

    /// <summary>Percent done (0 to 100) as last reported; null until the work reports one.</summary>
    public int? Percent
    {
        get
        {
            lock (gate)
            {
                return percent;
            }
        }
    }

    /// <summary>
    /// How long the tool's output will be (the video's length), so that each reported output time is also a percent done;
    /// without it, output times only feed the stall watch.
    /// </summary>
    public void Expect(TimeSpan outputLength)
    {
        lock (gate)
        {
            expected = outputLength > TimeSpan.Zero ? outputLength : TimeSpan.Zero;
        }
    }

    /// <summary>The tool is at <paramref name="value"/>; a report that does not move past the furthest one is no progress.</summary>
    public void Report(TimeSpan value)
    {
        double? share = null;
        lock (gate)
        {
            if (!watching || value > furthest)
            {
                furthest = value;
                lastAdvance = time.GetTimestamp();
                watching = true;
            }
            if (expected > TimeSpan.Zero)
            {
                share = value / expected;
            }
        }
        if (share is { } done)
        {
            ReportShare(done);
        }
    }

    /// <summary>
    /// The work is <paramref name="share"/> done (0 to 1): an upload's bytes sent, say. Only a whole percent more than the
    /// last one reaches the listener, so a tool that reports every few milliseconds costs nothing downstream; the share
    /// never goes back (a retried chunk does not make the bar jump back).
    /// </summary>
    public void ReportShare(double share)
    {
        if (double.IsNaN(share))
        {
            return;
        }
        // Rounded first: 57 s of 100 s is 0.57, which in binary times 100 is 56.99999...
        var whole = (int)Math.Floor(Math.Round(Math.Clamp(share, 0, 1) * 100, 6));
        lock (gate)
        {
            if (percent is { } last && whole <= last)
            {
                return;
            }
            percent = whole;
        }
        percentChanged?.Invoke(whole);
    }

    /// <summary>A share done (0 to 1), as <see cref="ReportShare"/>: what an uploader reports.</summary>
    void IProgress<double>.Report(double value) => ReportShare(value);

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
