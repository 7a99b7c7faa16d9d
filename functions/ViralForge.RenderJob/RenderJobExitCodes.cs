using ViralForge.Core.Stages;

namespace ViralForge.RenderJob;

/// <summary>
/// The one place a render outcome becomes a process exit code, as StageOutcomeHttp is for HTTP. Cloud Run
/// counts 0 as a succeeded task and retries any other code up to the job's max retries; the distinct
/// non-zero codes are there for the person reading the execution's logs.
/// </summary>
public static class RenderJobExitCodes
{
    /// <summary>The task is over: rendered (review enqueued), already rendered, nothing to do (job ended, superseded or unknown), or the job ended here.</summary>
    public const int Done = 0;

    /// <summary>Something outside the stage failed (the database, say): retried like a 5xx.</summary>
    public const int Unexpected = 1;

    /// <summary>Malformed environment or settings; the message is on stderr. Fix the job: a retry fails the same way.</summary>
    public const int BadConfiguration = 2;

    /// <summary>EX_TEMPFAIL (sysexits.h): a transient fault, or another attempt holds the run. Cloud Run retries the task.</summary>
    public const int RetryLater = 75;

    /// <summary>128 + SIGTERM: stopped (Cloud Run's SIGTERM, or Ctrl+C) mid-render; the run was released for the next attempt.</summary>
    public const int Interrupted = 143;

    public static int For(StageOutcome outcome) => outcome switch
    {
        // Awaiting approval never comes from render; like its HTTP 202 it ends the task.
        StageOutcome.Completed or StageOutcome.Skipped or StageOutcome.Ended or StageOutcome.AwaitingApproval => Done,
        StageOutcome.RetryLater => RetryLater,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown stage outcome."),
    };
}
