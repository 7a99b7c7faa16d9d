using Npgsql;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Postgres;

/// <summary>
/// The local task queue's producer side: a row in the tasks table, and a NOTIFY that wakes the
/// dispatcher when the transaction commits.
/// </summary>
public sealed class PostgresTaskQueue(NpgsqlDataSource dataSource, TimeProvider time) : ITaskQueue
{
    /// <summary>The channel the dispatcher LISTENs on.</summary>
    public const string Channel = "vf_tasks";

    public async Task<EnqueueResult> EnqueueAsync(QueueTask task, CancellationToken cancellationToken)
    {
        TaskNames.Validate(task.Name);
        var now = time.GetUtcNow();
        // ON CONFLICT on the name is the de-duplication: no check-then-insert race.
        await using var command = dataSource.CreateCommand($"""
            WITH inserted AS (
                INSERT INTO tasks (queue, name, path, body, schedule_time, created_at, dispatch_deadline)
                VALUES (@queue, @name, @path, @body, @schedule, @now, @deadline)
                ON CONFLICT (queue, name) DO NOTHING
                RETURNING id)
            SELECT pg_notify('{Channel}', '') FROM inserted
            """);
        command.Parameters.AddWithValue("queue", task.Queue);
        command.Parameters.AddWithValue("name", task.Name);
        command.Parameters.AddWithValue("path", task.Path);
        command.Parameters.AddWithValue("body", task.Body);
        command.Parameters.AddWithValue("schedule", task.ScheduleTime is { } at && at > now ? at.ToUniversalTime() : now);
        command.Parameters.AddWithValue("now", now);
        // NULL leaves the deadline to the queue's settings at dispatch time.
        command.Parameters.AddWithValue("deadline", NpgsqlTypes.NpgsqlDbType.Interval, (object?)task.DispatchDeadline ?? DBNull.Value);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? EnqueueResult.Created : EnqueueResult.AlreadyExists;
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            throw new TaskQueueUnavailableException(task.Queue, e.Message, e);
        }
    }

    public async Task<TaskLookup?> FindAsync(string queue, string name, CancellationToken cancellationToken)
    {
        // Finished rows stay (their names are reserved), so a dead task still tells how many attempts it had and why it died.
        await using var command = dataSource.CreateCommand("SELECT state, dispatch_count, last_error FROM tasks WHERE queue = @queue AND name = @name");
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("name", name);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            return new TaskLookup(reader.GetString(0) is "pending" or "leased", reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            throw new TaskQueueUnavailableException(queue, e.Message, e);
        }
    }
}

/// <summary>Cloud Tasks' rules for task ids, kept locally so a name that works here works there.</summary>
public static class TaskNames
{
    public static void Validate(string name)
    {
        if (name.Length is 0 or > 500 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Task name '{name}' must be 1-500 characters of A-Z, a-z, 0-9, - and _ (Cloud Tasks' rule).", nameof(name));
        }
    }
}
