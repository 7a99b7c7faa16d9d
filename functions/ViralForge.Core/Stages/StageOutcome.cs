namespace ViralForge.Core.Stages;

/// <summary>
/// How one delivery of a stage task ended. Expected failures are values, not exceptions; the host maps
/// them to HTTP in one place (2xx ends the task, anything else makes the queue retry).
/// </summary>
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

    /// <summary>Try again later: a transient fault, or another attempt still holds the run.</summary>
    public sealed record RetryLater(string Detail, TimeSpan? After = null) : StageOutcome(Detail);
}
