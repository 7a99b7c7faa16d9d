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
    private readonly Dictionary<(string Queue, string Name), TaskLookup> dead = [];
    private readonly HashSet<(string Queue, string Name)> forgotten = [];
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

    /// <summary>Live until a test says the task ran (<see cref="Remove"/>) or died (<see cref="Kill"/>), as the queue would.</summary>
    public Task<TaskLookup?> FindAsync(string queue, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is { } failure)
        {
            return Task.FromException<TaskLookup?>(failure);
        }
        lock (gate)
        {
            if (dead.TryGetValue((queue, name), out var died))
            {
                return Task.FromResult<TaskLookup?>(died);
            }
            return forgotten.Contains((queue, name)) ? Task.FromResult<TaskLookup?>(null) : Task.FromResult(tasks.Any(t => t.Queue == queue && t.Name == name) ? new TaskLookup(true, 0, null) : null);
        }
    }

    /// <summary>The task finished or was deleted: Cloud Tasks forgets it (404), though its name stays taken.</summary>
    public void Remove(string queue, string name)
    {
        lock (gate)
        {
            forgotten.Add((queue, name));
        }
    }

    /// <summary>The queue gave up on the task after <paramref name="attempts"/> attempts, as the local queue keeps it.</summary>
    public void Kill(string queue, string name, int attempts, string? lastError)
    {
        lock (gate)
        {
            dead[(queue, name)] = new TaskLookup(false, attempts, lastError);
        }
    }
}
