using Microsoft.Extensions.Logging;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>Sends the writes of all jobs to one tab as one request per flush interval; the latest value for a cell wins.</summary>
/// <remarks>
/// <para><see cref="WriteAsync"/> queues; once per flush interval everything queued goes out as one batch (one read,
/// one <c>values:batchUpdate</c>) in arrival order, and each caller's task completes when its write is in the sheet.</para>
/// <para>SheetStatusWriter writes after every stage of every job: with 1,000 rows in flight that is thousands of
/// writes, against Google's 60 write requests per minute. Here they cost one request per interval per tab, and
/// <see cref="SheetsWriteLimiter"/> spaces those for the whole process.</para>
/// <para>When a flush fails for a reason that passes (429, 5xx, timeout), its writes go back to the front of the
/// queue and the next flush, after an exponential backoff, sends them with whatever came in meanwhile: nothing is
/// lost. Their callers are told at once (an <see cref="IOException"/> saying the write stays queued) rather than
/// held for minutes: the sheet is a view of the job store, and a stage should not wait on Google's quota. A flush
/// that fails for good (no access, no such tab, no Topic column) fails its callers and drops its writes, which the
/// next status write of each job repeats in full anyway.</para>
/// <para><see cref="DisposeAsync"/> sends what is queued at once and waits for it.</para>
/// </remarks>
public sealed class SheetWriteCoalescer : ISheet, IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>The longest shutdown waits for the last flush.</summary>
    public static readonly TimeSpan ShutdownFlushLimit = TimeSpan.FromSeconds(8);

    private readonly GoogleSheet _sheet;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();

    // Guarded by _lock. While anything is queued, the flush loop runs; it ends itself when it finds the queue empty.
    private readonly List<Pending> _queue = [];
    private Task? _loop;
    private bool _disposed;

    public SheetWriteCoalescer(GoogleSheet sheet, TimeProvider time, TimeSpan flushInterval, ILogger<SheetWriteCoalescer> log)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(flushInterval, TimeSpan.Zero);
        _sheet = sheet;
        _time = time;
        _interval = flushInterval;
        _log = log;
    }

    public string Id => _sheet.Id;

    /// <summary>Reads go straight through: a read does not wait for queued writes.</summary>
    public Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken) => _sheet.ReadRowsAsync(cancellationToken);

    /// <summary>
    /// Queues the writes and completes when they are in the sheet. A bad write throws here, before anything is
    /// queued. Cancelling stops the wait, not the write: it is the job's latest state and still worth sending.
    /// </summary>
    public Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var planned = writes.Select(GoogleSheet.Plan).ToList();
        if (planned.Count == 0)
        {
            return Task.FromResult(new SheetWriteResult(0, []));
        }
        var pending = new Pending(planned);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(pending);
            _loop ??= Task.Run(FlushLoopAsync, CancellationToken.None);
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Flushes what is queued now, without waiting for the interval, and stops taking writes.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            loop = _loop;
        }
        await _stopping.CancelAsync();
        if (loop is not null)
        {
            try
            {
                // Bounded in wall-clock time: Cloud Run allows about 10 s after SIGTERM, and a flush held by the write
                // limiter or a stuck request must not keep the process from stopping. A lost write is repeated by the
                // job's next status write, which always carries the whole row.
                await loop.WaitAsync(ShutdownFlushLimit, TimeProvider.System);
            }
            catch (TimeoutException)
            {
                SheetsLog.ShutdownFlushAbandoned(_log, _sheet.Id, ShutdownFlushLimit);
            }
        }
        _stopping.Dispose();
    }

    private async Task FlushLoopAsync()
    {
        var failures = 0;
        while (true)
        {
            // Stopping cuts the wait short; the loop then flushes at once.
            await Task.Delay(failures == 0 ? _interval : Backoff(failures), _time, _stopping.Token)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Pending[] batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _loop = null;
                    return;
                }
                batch = [.. _queue];
                _queue.Clear();
            }

            if (await FlushAsync(batch))
            {
                failures = 0;
                continue;
            }
            failures++;
            lock (_lock)
            {
                if (_stopping.IsCancellationRequested)
                {
                    // No later flush is coming; the next status write of each job repeats its whole state.
                    SheetsLog.UnsentAtShutdown(_log, Id, batch.Sum(p => p.Writes.Count) + _queue.Sum(p => p.Writes.Count));
                    _queue.Clear();
                    _loop = null;
                    return;
                }
                // Older writes go first again, so a newer value queued meanwhile still wins.
                _queue.InsertRange(0, batch);
            }
        }
    }

    /// <summary>Sends one batch and settles its callers; false when it failed for a reason that passes and must be tried again.</summary>
    private async Task<bool> FlushAsync(Pending[] batch)
    {
        var writes = batch.SelectMany(p => p.Writes).ToList();
        try
        {
            // Not cancellable by any one caller: the batch belongs to all of them.
            var found = await _sheet.WriteBatchAsync(writes, CancellationToken.None);
            var offset = 0;
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult(GoogleSheet.Result(writes, found, offset, pending.Writes.Count));
                offset += pending.Writes.Count;
            }
            SheetsLog.Flushed(_log, Id, writes.Count, batch.Length);
            return true;
        }
        catch (GoogleApiException e) when (SheetsClient.IsTransient(e))
        {
            SheetsLog.FlushDeferred(_log, Id, writes.Count, e.Message);
            var error = new IOException($"Could not write Google sheet {Id} yet: {e.Message}. The write stays queued and goes out with the next flush.", e);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(error);
            }
            return false;
        }
        catch (Exception e)
        {
            SheetsLog.FlushFailed(_log, e, Id, writes.Count);
            var error = e is GoogleApiException google ? new IOException($"Could not write Google sheet {Id}: {google.Message}", google) : e;
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(error);
            }
            return true;
        }
    }

    /// <summary>Doubles from the flush interval up to a minute (Google's quota window), with jitter so processes do not retry in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        var doubled = _interval * Math.Pow(2, Math.Min(failures, 16));
        var capped = doubled < MaxBackoff ? doubled : MaxBackoff;
        return capped * (0.75 + (Random.Shared.NextDouble() * 0.5));
    }

    /// <summary>One caller's writes and the task it waits on.</summary>
    private sealed class Pending(IReadOnlyList<PlannedWrite> writes)
    {
        public IReadOnlyList<PlannedWrite> Writes { get; } = writes;

        // Completing 1,000 callers must not run their continuations on the flush loop.
        public TaskCompletionSource<SheetWriteResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
