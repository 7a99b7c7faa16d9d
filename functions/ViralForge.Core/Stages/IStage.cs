using System.Text.Json;
using ViralForge.Core.Jobs;
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
public sealed record ProducedFile(string Kind, string LocalPath, string BlobKey, double? DurationSeconds);

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
/// A failure that retrying cannot fix (bad input, a refused request). Any other exception is treated as
/// transient and retried by the queue until its attempts run out.
/// </summary>
public sealed class PermanentStageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a compensation knows: the job and the output of the run being undone.</summary>
public sealed record CompensationContext(Job Job, StageRun Run);
