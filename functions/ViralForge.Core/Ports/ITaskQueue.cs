namespace ViralForge.Core.Ports;

/// <summary>
/// A task for the queue, shaped after a Cloud Tasks HTTP task: a queue, a name that de-duplicates,
/// a target path on the functions host, a JSON body and an optional schedule time.
/// </summary>
/// <param name="Name">Unique within the queue; enqueueing an existing name is a no-op.</param>
/// <param name="Path">The endpoint path, such as /stages/script. The queue adapter knows the host.</param>
/// <param name="DispatchDeadline">How long one attempt may run (Cloud Tasks' per-task dispatchDeadline); null for the queue's own (QueueOptions.LimitsFor).</param>
public sealed record QueueTask(string Queue, string Name, string Path, byte[] Body, DateTimeOffset? ScheduleTime = null, TimeSpan? DispatchDeadline = null);

/// <summary>Created, or a task of that name already exists (Cloud Tasks answers 409: counts as success).</summary>
public enum EnqueueResult
{
    Created,
    AlreadyExists,
}

/// <summary>The task queue: a PostgreSQL table locally, Cloud Tasks in production.</summary>
public interface ITaskQueue
{
    /// <summary>Adds the task, or finds one of the same name. Throws <see cref="TaskQueueUnavailableException"/> when the queue cannot be reached or refuses for now.</summary>
    Task<EnqueueResult> EnqueueAsync(QueueTask task, CancellationToken cancellationToken);

    /// <summary>
    /// The task of that name as the queue knows it, or null when it has none: never made, finished and forgotten,
    /// deleted, or dropped after its last attempt (Cloud Tasks answers 404 for all of these). The reconcile step asks
    /// this to tell a job that is waiting for its task from one that stopped moving. Throws
    /// <see cref="TaskQueueUnavailableException"/> when the queue cannot be asked now.
    /// </summary>
    Task<TaskLookup?> FindAsync(string queue, string name, CancellationToken cancellationToken);
}

/// <summary>
/// The queue is out of reach or refusing for now (Cloud Tasks' 429/5xx, a timeout, a lost connection, the database
/// down): enqueueing the same task again later is safe. Every queue adapter throws this one type, so callers (a stage
/// answering 503, the add-on's POST /jobs) need not know the adapter's own errors.
/// </summary>
public sealed class TaskQueueUnavailableException(string queue, string reason, Exception? inner = null)
    : Exception($"The task queue {queue} is unavailable: {reason}", inner)
{
    public string Queue { get; } = queue;
}

/// <summary>What the queue said about this delivery (the X-CloudTasks-* headers). Informational: never identity.</summary>
/// <param name="RetryCount">0 on the first attempt.</param>
public sealed record DeliveryInfo(string? QueueName, string? TaskName, int RetryCount, int ExecutionCount)
{
    public static DeliveryInfo Direct { get; } = new(null, null, 0, 0);
}
