using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>Log messages of the Google Sheets adapter (event ids 3300-3399), source-generated.</summary>
internal static partial class SheetsLog
{
    [LoggerMessage(EventId = 3380, Level = LogLevel.Debug, Message = "Wrote {Writes} row writes from {Callers} callers to {SheetId} in one request")]
    public static partial void Flushed(ILogger logger, string sheetId, int writes, int callers);

    [LoggerMessage(EventId = 3381, Level = LogLevel.Warning, Message = "Could not write {Writes} row writes to {SheetId} yet ({Error}); they stay queued for the next flush")]
    public static partial void FlushDeferred(ILogger logger, string sheetId, int writes, string error);

    [LoggerMessage(EventId = 3382, Level = LogLevel.Error, Message = "Could not write {Writes} row writes to {SheetId}; retrying cannot help, so they are dropped")]
    public static partial void FlushFailed(ILogger logger, Exception exception, string sheetId, int writes);

    [LoggerMessage(EventId = 3383, Level = LogLevel.Warning, Message = "Stopping with {Writes} row writes to {SheetId} unsent; the next status write of each job repeats its whole state")]
    public static partial void UnsentAtShutdown(ILogger logger, string sheetId, int writes);

    [LoggerMessage(EventId = 3384, Level = LogLevel.Information, Message = "Added the missing output columns to {SheetId}: {Columns}")]
    public static partial void OutputColumnsAdded(ILogger logger, string sheetId, string columns);

    [LoggerMessage(EventId = 3385, Level = LogLevel.Information, Message = "Grew the grid of {SheetId} by {Added} columns to {Width} to fit the output columns")]
    public static partial void GridGrown(ILogger logger, string sheetId, int added, int width);

    [LoggerMessage(EventId = 3386, Level = LogLevel.Debug, Message = "The columns of {SheetId} changed since the last read; reading the whole tab to locate rows")]
    public static partial void LayoutChanged(ILogger logger, string sheetId);

    [LoggerMessage(EventId = 3387, Level = LogLevel.Warning, Message = "Stopped waiting for the last flush of {SheetId} after {Limit}; its writes are repeated by the jobs' next status writes")]
    public static partial void ShutdownFlushAbandoned(ILogger logger, string sheetId, TimeSpan limit);
}
