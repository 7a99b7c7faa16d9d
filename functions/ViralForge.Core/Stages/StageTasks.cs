using System.Security.Cryptography;
using System.Text;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Enqueues stage tasks with names that make a duplicate enqueue a no-op.</summary>
public sealed class StageTasks(ITaskQueue queue)
{
    /// <summary>One queue per stage kind, so that slow renders never hold up quick script calls.</summary>
    public static string QueueFor(StageName stage) => $"vf-{stage.Wire()}";

    public static string PathFor(StageName stage) => $"/stages/{stage.Wire()}";

    /// <summary>
    /// A hash of (job, stage, generation). Cloud Tasks asks for hashed, evenly spread names; the same
    /// triple always gives the same name, so redelivered handlers can re-enqueue freely.
    /// </summary>
    public static string TaskName(Guid jobId, StageName stage, int generation) => TaskName(jobId, stage.Wire(), generation);

    /// <summary>
    /// The same hash for a task that is not a stage's own run but belongs to one job and generation (review's
    /// <c>review-decision</c>, <c>review-remind</c>, ...): the first 16 bytes of SHA-256 of
    /// <c>{job:N}/{kind}/{generation}</c>, in lowercase hex.
    /// </summary>
    public static string TaskName(Guid jobId, string kind, int generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId:N}/{kind}/{generation}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }

    /// <summary>
    /// The name of the task the reconcile step makes the <paramref name="reconcile"/>-th time it queues a stage again (0 is
    /// the stage's own task): a finished task's name stays reserved, so the same name would be a no-op.
    /// </summary>
    public static string TaskName(Guid jobId, StageName stage, int generation, int reconcile) =>
        reconcile == 0 ? TaskName(jobId, stage, generation) : TaskName(jobId, $"{stage.Wire()}-reconcile-{reconcile}", generation);

    public Task<EnqueueResult> EnqueueAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken) =>
        EnqueueAsync(jobId, stage, generation, reconcile: 0, cancellationToken);

    /// <summary>Enqueues the stage's task under the name <see cref="TaskName(Guid, StageName, int, int)"/> gives.</summary>
    public Task<EnqueueResult> EnqueueAsync(Guid jobId, StageName stage, int generation, int reconcile, CancellationToken cancellationToken)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new StageMessage(jobId, generation), CoreJson.Default.StageMessage);
        return queue.EnqueueAsync(new QueueTask(QueueFor(stage), TaskName(jobId, stage, generation, reconcile), PathFor(stage), body), cancellationToken);
    }
}
