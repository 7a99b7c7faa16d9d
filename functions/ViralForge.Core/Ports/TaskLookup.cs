namespace ViralForge.Core.Ports;

/// <summary>What the queue knows of one named task.</summary>
/// <param name="Live">
/// True while the task will still be delivered: scheduled (now or later), waiting for a retry, or being attempted. False
/// for a task the local queue keeps after it succeeded or gave up (Cloud Tasks keeps neither).
/// </param>
/// <param name="Attempts">Deliveries started so far (Cloud Tasks' dispatchCount).</param>
/// <param name="LastError">What the last attempt got, when the queue keeps it.</param>
public sealed record TaskLookup(bool Live, int Attempts, string? LastError);

/// <summary>A task the local queue gave up on after its last attempt (Cloud Tasks drops such a task silently).</summary>
public sealed record DeadTask(string Queue, string Name, byte[] Body, int Attempts, string? LastError);

/// <summary>
/// Told when the local queue gives up on a task, so that the job it belonged to is settled at once instead of at the
/// next reconcile (<see cref="Stages.Reconciler"/> is the one implementation).
/// </summary>
public interface IDeadTaskObserver
{
    Task TaskDiedAsync(DeadTask task, CancellationToken cancellationToken);
}
