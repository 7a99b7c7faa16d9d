using ViralForge.Adapters.Postgres;
using ViralForge.Core.Ports;

namespace ViralForge.Testing.InMemory;

/// <summary>
/// The task queue in memory: it only records what was enqueued. As Cloud Tasks and the PostgreSQL queue do, it
/// refuses names Cloud Tasks would refuse and treats a second task of the same name in a queue as already there.
/// Nothing is dispatched; a test delivers tasks itself.
/// </summary>
public sealed class InMemoryTaskQueue : ITaskQueue
{
    private readonly Lock gate = new();
    private readonly List<QueueTask> tasks = [];
    private int calls;

    /// <summary>Every task created, in the order it was enqueued (a repeated name appears once).</summary>
    public IReadOnlyList<QueueTask> Tasks
    {
        get
        {
            lock (gate)
            {
                return [.. tasks];
            }
        }
    }

    /// <summary>How many times EnqueueAsync was called, repeats and failures included.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>When set, every enqueue throws it (the queue is unreachable) and nothing is recorded.</summary>
    public Exception? Failure { get; set; }

    public Task<EnqueueResult> EnqueueAsync(QueueTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref calls);
        TaskNames.Validate(task.Name);
        if (Failure is { } failure)
        {
            return Task.FromException<EnqueueResult>(failure);
        }
        lock (gate)
        {
            if (tasks.Any(t => t.Queue == task.Queue && t.Name == task.Name))
            {
                return Task.FromResult(EnqueueResult.AlreadyExists);
            }
            tasks.Add(task);
            return Task.FromResult(EnqueueResult.Created);
        }
    }
}
