using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Enqueues stage tasks with names that make a duplicate enqueue a no-op, and a dispatch deadline sized to the stage.</summary>
/// <remarks>
/// The options, store and render speed are optional so that a test can build one on a queue alone; without them every
/// task takes its queue's default deadline.
/// </remarks>
public sealed class StageTasks(ITaskQueue queue, IOptions<ViralForgeOptions>? options = null, IJobStore? store = null, IRenderSpeed? renderSpeed = null)
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
    public async Task<EnqueueResult> EnqueueAsync(Guid jobId, StageName stage, int generation, int reconcile, CancellationToken cancellationToken)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new StageMessage(jobId, generation), CoreJson.Default.StageMessage);
        // Only a render's time grows with its video; every other stage takes its queue's deadline (QueueOptions.LimitsFor).
        var deadline = stage == StageName.Render ? await RenderDeadlineAsync(jobId, generation, cancellationToken) : null;
        return await queue.EnqueueAsync(
            new QueueTask(QueueFor(stage), TaskName(jobId, stage, generation, reconcile), PathFor(stage), body, DispatchDeadline: deadline), cancellationToken);
    }

    /// <summary>
    /// The name of the task that delivers a deferred stage again at its window, after the run's attempt number
    /// <paramref name="attempt"/> deferred it: the stage's own name is spent (its task ended) and names de-duplicate, so
    /// the attempt makes it new, a duplicate delivery of that attempt queues nothing more, and the reconcile step can work
    /// it out from the run alone (a queue that delivers it late, say fifty deferred uploads at one quota window on a
    /// queue of one at a time, does not make the job look stalled).
    /// </summary>
    public static string DeferredTaskName(Guid jobId, StageName stage, int generation, int attempt) =>
        TaskName(jobId, $"{stage.Wire()}-deferred-{attempt}", generation);

    /// <summary>Queues the stage's task again, to be delivered at <paramref name="until"/> (a quota window opening).</summary>
    public Task<EnqueueResult> EnqueueDeferredAsync(Guid jobId, StageName stage, int generation, int attempt, DateTimeOffset until, CancellationToken cancellationToken) =>
        EnqueueAtAsync(new StageMessage(jobId, generation), stage, DeferredTaskName(jobId, stage, generation, attempt), until, cancellationToken);

    /// <summary>
    /// The name of the task that looks again at work still going on elsewhere after the run's attempt number
    /// <paramref name="attempt"/> found it running: new for each look (every look's claim is an attempt of the run), the
    /// same for a duplicate delivery of one attempt (so it queues nothing more), and one the reconcile step can work out
    /// from the run alone, so a look that is late does not make the job look stalled.
    /// </summary>
    public static string WaitTaskName(Guid jobId, StageName stage, int generation, int attempt) =>
        TaskName(jobId, $"{stage.Wire()}-wait-{attempt}", generation);

    /// <summary>Queues the stage's task again for <paramref name="at"/>, to look again at work still going on elsewhere since <paramref name="waitingSince"/>.</summary>
    public Task<EnqueueResult> EnqueueWaitAsync(Guid jobId, StageName stage, int generation, int attempt, DateTimeOffset at, DateTimeOffset waitingSince, CancellationToken cancellationToken) =>
        EnqueueAtAsync(new StageMessage(jobId, generation, waitingSince), stage, WaitTaskName(jobId, stage, generation, attempt), at, cancellationToken);

    private async Task<EnqueueResult> EnqueueAtAsync(StageMessage message, StageName stage, string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, CoreJson.Default.StageMessage);
        // A render that comes back to its Cloud Run execution needs the render's deadline as much as its first task did.
        var deadline = stage == StageName.Render ? await RenderDeadlineAsync(message.JobId, message.Generation, cancellationToken) : null;
        return await queue.EnqueueAsync(new QueueTask(QueueFor(stage), name, PathFor(stage), body, ScheduleTime: at, DispatchDeadline: deadline), cancellationToken);
    }

    /// <summary>
    /// The render task's deadline (<see cref="QueueOptions.RenderDeadline"/>). The video lasts as long as the narration
    /// the voice stage recorded plus the tail the render adds; before there is one (a test, a reconcile that runs ahead),
    /// as long as the row asked for. Null when nothing is known: the queue's own deadline then applies.
    /// </summary>
    public async Task<TimeSpan?> RenderDeadlineAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        if (options is null || store is null)
        {
            return null;
        }
        double videoSeconds;
        if (await store.GetLatestCompletedAsync(jobId, StageName.Voice, generation, cancellationToken) is { Output: { } output })
        {
            videoSeconds = StageJson.FromElement<VoiceOutput>(output).DurationSeconds + RenderStage.TailSeconds;
        }
        else if (await store.GetAsync(jobId, cancellationToken) is { } job)
        {
            videoSeconds = job.Request.DurationSeconds;
        }
        else
        {
            return null;
        }
        var measured = renderSpeed is null ? null : await renderSpeed.SecondsPerVideoSecondAsync(cancellationToken);
        return options.Value.Queue.RenderDeadline(videoSeconds, measured);
    }
}
