using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>Opens Google Sheet tabs by sheet id (see <see cref="GoogleSheetId"/>), one write queue per tab.</summary>
/// <remarks>
/// Every job writing to a tab shares that tab's <see cref="SheetWriteCoalescer"/>. Disposing the registry (the host
/// does, at shutdown) sends every tab's queued writes.
/// </remarks>
public sealed class GoogleSheetRegistry(
    SheetsClient client,
    SheetsWriteLimiter limiter,
    TimeProvider time,
    IOptions<GoogleSheetsOptions> options,
    ILoggerFactory logs) : ISheetRegistry, IAsyncDisposable, IDisposable
{
    // Lazy, so that two threads opening the same tab cannot end up with two queues for it.
    private readonly ConcurrentDictionary<string, Lazy<SheetWriteCoalescer>> _sheets = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <param name="sheetId">A <see cref="GoogleSheetId"/> in its text form; anything else throws an <see cref="ArgumentException"/> that shows the form.</param>
    public ISheet Open(string sheetId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var id = GoogleSheetId.Parse(sheetId);
        return _sheets.GetOrAdd(id.ToString(), _ => new Lazy<SheetWriteCoalescer>(() => new SheetWriteCoalescer(
            new GoogleSheet(id, client, limiter, logs.CreateLogger<GoogleSheet>()),
            time,
            options.Value.FlushInterval,
            logs.CreateLogger<SheetWriteCoalescer>()))).Value;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await Task.WhenAll(_sheets.Values.Where(s => s.IsValueCreated).Select(s => s.Value.DisposeAsync().AsTask()));
    }

    /// <summary>
    /// For a host that disposes its services synchronously: without it the container refuses to dispose at all.
    /// Blocking is acceptable here, at shutdown, where no synchronization context waits on this thread.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
