namespace ViralForge.Core.Stages;

/// <summary>
/// How one delivery of a stage task ended. Expected failures are values, not exceptions; the host maps
/// them to HTTP in one place (StageOutcomeHttp: 2xx ends the task, anything else makes the queue retry).
/// </summary>
/// <remarks>
/// A documented pair with <see cref="StageResult"/>: a <see cref="StageResult"/> is what a stage's own work produced
/// (completed, awaiting approval, rejected), a <see cref="StageOutcome"/> is what the <see cref="StageRunner"/> made of
/// the whole delivery, which also covers what happens around the work (the job is gone or superseded, the run is busy,
/// an exception). The runner turns one into the other: Completed gives <see cref="Completed"/> once the next stage is
/// queued (<see cref="RetryLater"/> if the queue is unavailable); AwaitingApproval gives <see cref="AwaitingApproval"/>;
/// Rejected gives <see cref="Ended"/> after compensation. A <see cref="PermanentStageException"/> gives
/// <see cref="Ended"/>; any other exception gives <see cref="RetryLater"/>, or <see cref="Ended"/> on the queue's last
/// attempt. A <see cref="StageDeferredException"/> gives <see cref="Deferred"/>: the same stage is queued again for the
/// window and this task ends. So does a <see cref="WorkStillRunningException"/>, for its next look, or
/// <see cref="Ended"/> once the stage has waited Stages:WorkWaitLimit.
/// </remarks>
public abstract record StageOutcome(string Detail)
{
    /// <summary>The stage ran (or had already run) and the next one is enqueued.</summary>
    public sealed record Completed(string Detail) : StageOutcome(Detail);

    /// <summary>The stage is waiting for a reviewer's decision.</summary>
    public sealed record AwaitingApproval(string Detail) : StageOutcome(Detail);

    /// <summary>Nothing to do: the job ended or moved to a newer generation.</summary>
    public sealed record Skipped(string Detail) : StageOutcome(Detail);

    /// <summary>The job ended here (rejected, or failed for good) and its compensations ran.</summary>
    public sealed record Ended(string Detail) : StageOutcome(Detail);

    /// <summary>
    /// The work waits for a window (a platform's daily quota) or for work going on elsewhere: the stage is queued again for
    /// <paramref name="Until"/> under a task of its own, so this task ends (2xx) without counting as a failed attempt.
    /// </summary>
    public sealed record Deferred(string Detail, DateTimeOffset Until) : StageOutcome(Detail);

    /// <summary>Try again later: a transient fault, or another attempt still holds the run.</summary>
    public sealed record RetryLater(string Detail, TimeSpan? After = null) : StageOutcome(Detail);
}
