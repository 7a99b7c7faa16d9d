using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralForge.Core;

namespace ViralForge.Adapters.Postgres;

/// <summary>Where the local dispatcher delivers tasks, and the token it proves itself with.</summary>
public sealed class LocalQueueTarget
{
    private readonly TaskCompletionSource<Uri> baseAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LocalQueueTarget(string bearerToken) => BearerToken = bearerToken;

    public string BearerToken { get; }

    /// <summary>Set once the host listens (its port is only known then).</summary>
    public void SetBaseAddress(Uri address) => baseAddress.TrySetResult(address);

    public Task<Uri> WaitForBaseAddressAsync(CancellationToken cancellationToken) => baseAddress.Task.WaitAsync(cancellationToken);
}

/// <summary>One task handed to a worker.</summary>
/// <param name="DispatchDeadline">The task's own deadline; null for its queue's.</param>
internal sealed record ClaimedTask(long Id, string Queue, string Name, string Path, byte[] Body, DateTimeOffset ScheduleTime, int DispatchCount, int ResponseCount, TimeSpan? DispatchDeadline);

/// <summary>
/// Delivers queued tasks over HTTP the way Cloud Tasks does: at least once, with the X-CloudTasks-*
/// headers, retrying non-2xx answers with exponential backoff until the queue's max attempts. Wakes on
/// LISTEN/NOTIFY, claims with FOR UPDATE SKIP LOCKED (so several dispatchers can share the table), and
/// holds each task under a lease it renews while the attempt runs: a task whose worker died is
/// delivered again when the lease runs out.
/// </summary>
/// <remarks>
/// Each queue's rateLimits (<see cref="QueueOptions.LimitsFor"/>) hold over every dispatcher sharing the table: a claim
/// runs under one transaction-scoped advisory lock, counts the queue's live leases in the database and moves the queue's
/// "next dispatch not before" row on by 1/rate per attempt it starts. Each attempt is abandoned after its task's own
/// dispatch deadline, or its queue's when the task brings none.
/// </remarks>
public sealed class LocalTaskDispatcher(
    NpgsqlDataSource dataSource,
    IHttpClientFactory httpClients,
    LocalQueueTarget target,
    IOptions<ViralForgeOptions> options,
    TimeProvider time,
    ILogger<LocalTaskDispatcher> log,
    IEnumerable<Core.Ports.IDeadTaskObserver> deadTaskObservers) : BackgroundService
{
    public const string HttpClientName = "vf-local-queue";

    private readonly QueueOptions settings = options.Value.Queue;
    private readonly Guid workerId = Guid.NewGuid();
    private readonly SemaphoreSlim wake = new(0);
    private int inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.RunDispatcher)
        {
            return;
        }
        var baseAddress = await target.WaitForBaseAddressAsync(stoppingToken);
        await using var listener = await dataSource.OpenConnectionAsync(stoppingToken);
        listener.Notification += (_, _) => Wake();
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresTaskQueue.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        var listening = ListenAsync(listener, stoppingToken);
        var running = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = settings.MaxConcurrentDispatches - Volatile.Read(ref inFlight);
                var claimed = free > 0 ? await ClaimAsync(free, stoppingToken) : [];
                foreach (var task in claimed)
                {
                    Interlocked.Increment(ref inFlight);
                    var attempt = DispatchAsync(baseAddress, task, stoppingToken);
                    lock (running)
                    {
                        running.Add(attempt);
                    }
                    _ = attempt.ContinueWith(t => { lock (running) { running.Remove(t); } }, TaskScheduler.Default);
                }
                if (claimed.Count > 0 && claimed.Count == free)
                {
                    continue; // there may be more due right now
                }
                var wait = await NextWakeAsync(stoppingToken);
                await wake.WaitAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            Task[] pending;
            lock (running)
            {
                pending = [.. running];
            }
            await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
            await ReleaseLeasesAsync();
            await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task ListenAsync(NpgsqlConnection listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await listener.WaitAsync(stoppingToken);
        }
    }

    private void Wake()
    {
        // One pending signal is enough: the loop claims everything due when it wakes.
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    /// <summary>Serialises claims across dispatchers: "VFTASK".</summary>
    private const long ClaimLockKey = 0x5646_5441_534B;

    private async Task<List<ClaimedTask>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two dispatchers counting the same queue at once could both take its last free slot; the lock makes the count and
        // the claim one step. It is released at commit, or when the connection drops.
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ClaimLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        // The due tasks, at most `limit` per queue, each with its queue's live leases and next allowed dispatch.
        var due = new List<(long Id, string Queue, long InFlight, DateTimeOffset? NextAt)>();
        await using (var select = new NpgsqlCommand("""
            WITH due AS (
                SELECT id, queue, schedule_time, row_number() OVER (PARTITION BY queue ORDER BY schedule_time, id) AS rank
                FROM tasks
                WHERE state IN ('pending', 'leased') AND schedule_time <= @now
                  AND (state = 'pending' OR lease_until < @now))
            SELECT due.id, due.queue,
                (SELECT count(*) FROM tasks l WHERE l.queue = due.queue AND l.state = 'leased' AND l.lease_until >= @now),
                (SELECT d.next_dispatch_at FROM queue_dispatch d WHERE d.queue = due.queue)
            FROM due
            WHERE due.rank <= @limit
            ORDER BY due.schedule_time, due.id
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("now", now);
            select.Parameters.AddWithValue("limit", limit);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        var ids = new List<long>();
        var slots = new Dictionary<string, QueueSlots>(StringComparer.Ordinal);
        foreach (var (id, queue, inFlight, nextAt) in due)
        {
            if (ids.Count == limit)
            {
                break;
            }
            if (!slots.TryGetValue(queue, out var queueSlots))
            {
                queueSlots = QueueSlots.Open(settings.LimitsFor(queue), (int)inFlight, nextAt, now);
                slots[queue] = queueSlots;
            }
            if (queueSlots.TryTake())
            {
                ids.Add(id);
            }
        }
        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }

        var claimed = new List<ClaimedTask>();
        await using (var update = new NpgsqlCommand("""
            UPDATE tasks t
            SET state = 'leased', dispatch_count = t.dispatch_count + 1, lease_until = @lease, leased_by = @worker
            WHERE t.id = ANY(@ids)
              -- Still due: the worker of an expired lease may have answered since the select (only claims take the lock).
              AND t.state IN ('pending', 'leased') AND t.schedule_time <= @now AND (t.state = 'pending' OR t.lease_until < @now)
            RETURNING t.id, t.queue, t.name, t.path, t.body, t.schedule_time, t.dispatch_count, t.response_count, t.dispatch_deadline
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("lease", now + settings.Lease);
            update.Parameters.AddWithValue("worker", workerId);
            update.Parameters.AddWithValue("ids", ids.ToArray());
            update.Parameters.AddWithValue("now", now);
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedTask(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6), reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<TimeSpan>(8)));
            }
        }

        await using (var rate = new NpgsqlCommand("""
            INSERT INTO queue_dispatch (queue, next_dispatch_at)
            SELECT * FROM unnest(@queues, @next)
            ON CONFLICT (queue) DO UPDATE SET next_dispatch_at = excluded.next_dispatch_at
            """, connection, transaction))
        {
            var used = slots.Where(q => q.Value.Taken > 0).ToList();
            rate.Parameters.AddWithValue("queues", used.Select(q => q.Key).ToArray());
            rate.Parameters.AddWithValue("next", used.Select(q => q.Value.NextDispatchAt).ToArray());
            await rate.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        // Claimed in schedule order, as the select found them.
        return [.. claimed.OrderBy(c => ids.IndexOf(c.Id))];
    }

    /// <summary>
    /// One queue's room in a claim: its free concurrent slots, and its dispatches due by the rate. The rate is a token
    /// bucket holding at most one second's dispatches (and at least one), as Cloud Tasks derives maxBurstSize from the rate.
    /// </summary>
    public sealed class QueueSlots
    {
        private int free;
        private DateTimeOffset next;
        private readonly DateTimeOffset now;
        private readonly TimeSpan interval;

        private QueueSlots(int free, DateTimeOffset next, DateTimeOffset now, TimeSpan interval)
        {
            this.free = free;
            this.next = next;
            this.now = now;
            this.interval = interval;
        }

        public int Taken { get; private set; }

        /// <summary>Where the queue's "next dispatch not before" row goes after this claim.</summary>
        public DateTimeOffset NextDispatchAt => next;

        public static QueueSlots Open(QueueLimits limits, int inFlight, DateTimeOffset? nextDispatchAt, DateTimeOffset now)
        {
            var interval = TimeSpan.FromSeconds(1 / limits.MaxDispatchesPerSecond);
            var burst = Math.Max(1, (int)Math.Floor(limits.MaxDispatchesPerSecond));
            // An idle queue has saved up at most one burst: its first slot is at most burst-1 intervals in the past.
            var earliest = now - (interval * (burst - 1));
            var next = nextDispatchAt is { } at && at > earliest ? at : earliest;
            return new QueueSlots(limits.MaxConcurrentDispatches - inFlight, next, now, interval);
        }

        public bool TryTake()
        {
            if (free <= 0 || next > now)
            {
                return false;
            }
            free--;
            Taken++;
            next += interval;
            return true;
        }
    }

    /// <summary>How long to sleep: until the next scheduled task or lease expiry, at most a second.</summary>
    private async Task<TimeSpan> NextWakeAsync(CancellationToken cancellationToken)
    {
        // Only what becomes due later counts: due tasks held back by their queue's concurrency (an expired lease among
        // them) would spin the loop; a finished attempt wakes it instead (or the ceiling does, for another dispatcher's).
        await using var command = dataSource.CreateCommand("""
            SELECT min(t) FROM (
                SELECT min(schedule_time) AS t FROM tasks WHERE state = 'pending' AND schedule_time > @now
                UNION ALL
                SELECT min(lease_until) FROM tasks WHERE state = 'leased' AND lease_until > @now
                UNION ALL
                SELECT min(d.next_dispatch_at) FROM queue_dispatch d
                WHERE d.next_dispatch_at > @now
                  AND EXISTS (SELECT 1 FROM tasks p WHERE p.queue = d.queue AND p.state = 'pending' AND p.schedule_time <= @now)
            ) wake
            """);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        var next = await command.ExecuteScalarAsync(cancellationToken);
        var ceiling = TimeSpan.FromSeconds(1);
        if (next is not DateTime at)
        {
            return ceiling;
        }
        var wait = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) - time.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : wait < ceiling ? wait : ceiling;
    }

    private async Task DispatchAsync(Uri baseAddress, ClaimedTask task, CancellationToken stoppingToken)
    {
        try
        {
            var retry = settings.RetryFor(task.Queue);
            var dispatchDeadline = task.DispatchDeadline ?? settings.LimitsFor(task.Queue).DispatchDeadline;
            if (task.DispatchCount > retry.MaxAttempts)
            {
                // Its last attempt's worker died: no attempts left.
                await FinishAsync(task, "dead", null, "the last attempt's lease expired without an answer", stoppingToken);
                return;
            }

            int? status = null;
            string? error = null;
            TimeSpan? retryAfter = null;
            using (var heartbeat = new Core.Stages.LeaseHeartbeat(ct => RenewAsync(task, ct), settings.Lease / 3, time, log))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                deadline.CancelAfter(dispatchDeadline);
                try
                {
                    using var request = BuildRequest(baseAddress, task);
                    using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                    status = (int)response.StatusCode;
                    retryAfter = response.Headers.RetryAfter?.Delta;
                    if (!response.IsSuccessStatusCode)
                    {
                        error = Truncate(await response.Content.ReadAsStringAsync(deadline.Token), 2000);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    error = $"no answer within the dispatch deadline ({dispatchDeadline})";
                }
                catch (HttpRequestException ex)
                {
                    error = ex.Message;
                }
            }

            if (status is >= 200 and < 300)
            {
                await FinishAsync(task, "succeeded", status, null, stoppingToken);
            }
            else if (task.DispatchCount >= retry.MaxAttempts)
            {
                log.LogWarning("Task {Queue}/{Name} gave up after {Attempts} attempts: {Status} {Error}", task.Queue, task.Name, task.DispatchCount, status, error);
                await FinishAsync(task, "dead", status, error, stoppingToken);
            }
            else
            {
                var backoff = retry.BackoffBefore(task.DispatchCount);
                if (retryAfter is { } asked && asked > backoff)
                {
                    backoff = asked < retry.MaxBackoff ? asked : retry.MaxBackoff;
                }
                await RetryLaterAsync(task, status, error, backoff, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease is released in ExecuteAsync.
        }
        catch (Exception ex)
        {
            // The database is unreachable: the lease runs out and the task is delivered again.
            log.LogError(ex, "Dispatching task {Queue}/{Name} failed", task.Queue, task.Name);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
            Wake();
        }
    }

    private HttpRequestMessage BuildRequest(Uri baseAddress, ClaimedTask task)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, task.Path))
        {
            Content = new ByteArrayContent(task.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.BearerToken);
        request.Headers.Add("X-CloudTasks-QueueName", task.Queue);
        request.Headers.Add("X-CloudTasks-TaskName", task.Name);
        request.Headers.Add("X-CloudTasks-TaskRetryCount", (task.DispatchCount - 1).ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-CloudTasks-TaskExecutionCount", task.ResponseCount.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-CloudTasks-TaskETA", (task.ScheduleTime.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
        return request;
    }

    private async Task RenewAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE tasks SET lease_until = @lease WHERE id = @id AND leased_by = @worker AND state = 'leased'");
        command.Parameters.AddWithValue("lease", time.GetUtcNow() + settings.Lease);
        command.Parameters.AddWithValue("id", task.Id);
        command.Parameters.AddWithValue("worker", workerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task FinishAsync(ClaimedTask task, string state, int? status, string? error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE tasks SET state = @state, finished_at = @now, lease_until = NULL, last_status = @status, last_error = @error,
                response_count = response_count + CASE WHEN @status IS NOT NULL AND @status < 500 THEN 1 ELSE 0 END
            WHERE id = @id AND leased_by = @worker AND state = 'leased'
            """);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        command.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Integer, (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("id", task.Id);
        command.Parameters.AddWithValue("worker", workerId);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1 && state == "dead")
        {
            // The handler never got to fail the job itself (no answer, or its worker died): the reconciler settles it now.
            foreach (var observer in deadTaskObservers)
            {
                await observer.TaskDiedAsync(new Core.Ports.DeadTask(task.Queue, task.Name, task.Body, task.DispatchCount, error), cancellationToken);
            }
        }
    }

    private async Task RetryLaterAsync(ClaimedTask task, int? status, string? error, TimeSpan backoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE tasks SET state = 'pending', schedule_time = @at, lease_until = NULL, leased_by = NULL, last_status = @status, last_error = @error,
                response_count = response_count + CASE WHEN @status IS NOT NULL AND @status < 500 THEN 1 ELSE 0 END
            WHERE id = @id AND leased_by = @worker AND state = 'leased'
            """);
        command.Parameters.AddWithValue("at", time.GetUtcNow() + backoff);
        command.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Integer, (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("id", task.Id);
        command.Parameters.AddWithValue("worker", workerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>On a clean stop, hand unfinished tasks back at once instead of making the next run wait out the lease.</summary>
    private async Task ReleaseLeasesAsync()
    {
        try
        {
            await using var command = dataSource.CreateCommand("""
                UPDATE tasks SET state = 'pending', lease_until = NULL, leased_by = NULL, dispatch_count = dispatch_count - 1
                WHERE leased_by = @worker AND state = 'leased'
                """);
            command.Parameters.AddWithValue("worker", workerId);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException)
        {
            log.LogWarning(ex, "Could not release leases on stop; they run out by themselves");
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
