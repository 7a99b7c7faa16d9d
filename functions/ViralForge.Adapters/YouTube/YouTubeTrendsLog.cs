using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.YouTube;

/// <summary>Log messages of the YouTube trend reads (event ids 3680-3699), source-generated. The API key is never logged.</summary>
internal static partial class YouTubeTrendsLog
{
    [LoggerMessage(EventId = 3680, Level = LogLevel.Warning, Message = "YouTube {Method} not done ({Why}); asking again (repeat {Repeat}, each one charged)")]
    public static partial void TrendReadRetried(this ILogger logger, string method, string why, int repeat);

    [LoggerMessage(EventId = 3681, Level = LogLevel.Information, Message = "YouTube trends {Key}: {Videos} videos taken for {Units} quota units")]
    public static partial void SnapshotTaken(this ILogger logger, string key, int videos, int units);

    [LoggerMessage(EventId = 3682, Level = LogLevel.Warning, Message = "YouTube trends {Key}: quota used up ({Why}); using the snapshot taken at {TakenAt:u}")]
    public static partial void StaleSnapshotUsed(this ILogger logger, string key, string why, DateTimeOffset takenAt);

    [LoggerMessage(EventId = 3683, Level = LogLevel.Information, Message = "Trend refresh: {Charts} charts, {Taken} taken ({Units} quota units), {Reused} still fresh, {Failed} failed")]
    public static partial void RefreshDone(this ILogger logger, int charts, int taken, int units, int reused, int failed);

    [LoggerMessage(EventId = 3684, Level = LogLevel.Warning, Message = "Trend refresh of {Key} failed: {Reason}")]
    public static partial void RefreshChartFailed(this ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 3685, Level = LogLevel.Warning, Message = "A trend refresh pass failed; the next one tries again")]
    public static partial void RefreshPassFailed(this ILogger logger, Exception exception);
}
