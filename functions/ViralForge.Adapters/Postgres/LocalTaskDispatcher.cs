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
internal sealed record ClaimedTask(long Id, string Queue, string Name, string Path, byte[] Body, DateTimeOffset ScheduleTime, int DispatchCount, int ResponseCount);

/// <summary>
/// Delivers queued tasks over HTTP the way Cloud Tasks does: at least once, with the X-CloudTasks-*
/// headers, retrying non-2xx answers with exponential backoff until the queue's max attempts. Wakes on
/// LISTEN/NOTIFY, claims with FOR UPDATE SKIP LOCKED (so several dispatchers can share the table), and
/// holds each task under a lease it renews while the attempt runs: a task whose worker died is
/// delivered again when the lease runs out.
/// </summary>
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

    private async Task<List<ClaimedTask>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            UPDATE tasks t
            SET state = 'leased', dispatch_count = t.dispatch_count + 1, lease_until = @lease, leased_by = @worker
            FROM (
                SELECT id FROM tasks
                WHERE state IN ('pending', 'leased') AND schedule_time <= @now
                  AND (state = 'pending' OR lease_until < @now)
                ORDER BY schedule_time, id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED) due
            WHERE t.id = due.id
            RETURNING t.id, t.queue, t.name, t.path, t.body, t.schedule_time, t.dispatch_count, t.response_count
            """);
        command.Parameters.AddWithValue("lease", now + settings.Lease);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        var claimed = new List<ClaimedTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedTask(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6), reader.GetInt32(7)));
        }
        return claimed;
    }

    /// <summary>How long to sleep: until the next scheduled task or lease expiry, at most a second.</summary>
    private async Task<TimeSpan> NextWakeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT min(CASE WHEN state = 'pending' THEN schedule_time ELSE lease_until END)
            FROM tasks WHERE state IN ('pending', 'leased')
            """);
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
                deadline.CancelAfter(settings.DispatchDeadline);
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
                    error = $"no answer within the dispatch deadline ({settings.DispatchDeadline})";
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
