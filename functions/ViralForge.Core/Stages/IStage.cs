using System.Text.Json;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Core.Stages;

/// <summary>One pipeline stage: does its work for a job, and can undo it when the job is rejected or fails.</summary>
public interface IStage
{
    StageName Name { get; }

    Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken);

    /// <summary>Undoes this stage's outside effects beyond its own blobs (the runner deletes those). Must be safe to run twice.</summary>
    Task CompensateAsync(CompensationContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A file the stage made, to be stored in the blob store and recorded as an asset.</summary>
/// <param name="LocalPath">The file on this machine; null when <paramref name="Stored"/> is set.</param>
/// <param name="Stored">Set when the file is already in the blob store under <paramref name="BlobKey"/> (a remote render stored it), so the runner only records it.</param>
public sealed record ProducedFile(string Kind, string? LocalPath, string BlobKey, double? DurationSeconds, BlobInfo? Stored = null);

/// <summary>How a stage's work ended: done with an output, waiting for a person, or rejected by one.</summary>
public sealed record StageResult(StageResultKind Kind, JsonElement Output, IReadOnlyList<ProducedFile> Files, string Summary)
{
    public static StageResult Completed<T>(T output, string summary, params ProducedFile[] files) =>
        new(StageResultKind.Completed, StageJson.ToElement(output), files, summary);

    public static StageResult AwaitingApproval(string summary) =>
        new(StageResultKind.AwaitingApproval, StageJson.ToElement(new ReviewOutput(ReviewVerdicts.Pending, "", null)), [], summary);

    public static StageResult Rejected(ReviewOutput output) =>
        new(StageResultKind.Rejected, StageJson.ToElement(output), [], $"rejected by {output.Reviewer}: {output.Reason}");
}

/// <summary>Kinds of <see cref="StageResult"/>.</summary>
public enum StageResultKind
{
    Completed,
    AwaitingApproval,
    Rejected,
}

/// <summary>
/// A failure that retrying cannot fix (bad input, a refused request, a bad setting): the runner fails the job at once.
/// Ports classify their own failures: an adapter throws this, or a type derived from it (RenderPlanException,
/// LoudnessException, MediaSettingException), so that no caller has to know an adapter's exception types. Any other
/// exception is treated as transient and retried by the queue until its attempts run out.
/// </summary>
public class PermanentStageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A failure another attempt can fix, where the vendor said when to try again (a 429 or 503 with a Retry-After longer
/// than the adapter may wait within a delivery). The runner frees the run and asks the queue to come back after
/// <see cref="RetryAfter"/> instead of its own backoff, so the next attempt is not spent inside the vendor's wait.
/// Without a <see cref="RetryAfter"/> it is any transient failure. It counts as an attempt, like any retry.
/// </summary>
public class TransientStageException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The work goes on elsewhere (a render execution, a vendor's generation) and this delivery stopped waiting for it. The
/// runner queues the stage again for after <see cref="RetryAfter"/> under a task of its own and ends this one; the next
/// delivery finds the same work by its stored id and waits again or collects the result. Waiting spends none of the
/// queue's attempts; Stages:WorkWaitLimit bounds it instead.
/// </summary>
public sealed class WorkStillRunningException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The work must wait for a window that has not opened yet (YouTube's daily quota resets at Pacific midnight, a TikTok
/// account's posts per day): not a fault and not an attempt. The runner frees the run, shows <see cref="Exception.Message"/>
/// in the row's Error cell with the time, keeps the job's status, and has the queue deliver the stage again at
/// <see cref="Until"/>; it never retries in a loop.
/// </summary>
public sealed class StageDeferredException(string message, DateTimeOffset until) : Exception(message)
{
    public DateTimeOffset Until { get; } = until;
}

/// <summary>What a compensation knows: the job and the output of the run being undone.</summary>
public sealed record CompensationContext(Job Job, StageRun Run);
