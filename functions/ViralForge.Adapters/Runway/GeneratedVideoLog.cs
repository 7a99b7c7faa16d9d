using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.Runway;

/// <summary>The AI video generators' log messages (Runway 3640-3659, Veo 3660-3679). No message carries a key.</summary>
internal static partial class GeneratedVideoLog
{
    [LoggerMessage(EventId = 3640, Level = LogLevel.Information, Message = "{Provider} {Call} of job {JobId} generation {Generation} is stored already; reusing {Blob} with no call")]
    public static partial void ClipReused(this ILogger logger, string provider, string call, Guid jobId, int generation, string blob);

    [LoggerMessage(EventId = 3641, Level = LogLevel.Information, Message = "{Provider} started {VendorId} for {Call} of job {JobId}: {Seconds} s, {Units} {UnitKind}, {Usd} USD (prices of {PricesOf})")]
    public static partial void GenerationStarted(this ILogger logger, string provider, string vendorId, string call, Guid jobId, int seconds, decimal units, string unitKind, decimal usd, DateOnly pricesOf);

    [LoggerMessage(EventId = 3642, Level = LogLevel.Information, Message = "{Provider} resumes {VendorId} for {Call} of job {JobId}, started by an earlier delivery")]
    public static partial void GenerationResumed(this ILogger logger, string provider, string vendorId, string call, Guid jobId);

    [LoggerMessage(EventId = 3643, Level = LogLevel.Debug, Message = "{Provider} {VendorId} is {Status} ({Progress:P0})")]
    public static partial void GenerationPolled(this ILogger logger, string provider, string vendorId, string status, double progress);

    [LoggerMessage(EventId = 3644, Level = LogLevel.Warning, Message = "{Provider} poll of {VendorId} got no usable answer ({Problem}); polling again in {Wait}")]
    public static partial void PollFailed(this ILogger logger, string provider, string vendorId, string problem, TimeSpan wait);

    [LoggerMessage(EventId = 3645, Level = LogLevel.Information, Message = "{Provider} {VendorId} finished; clip stored as {Blob}")]
    public static partial void ClipStored(this ILogger logger, string provider, string vendorId, string blob);

    [LoggerMessage(EventId = 3646, Level = LogLevel.Warning, Message = "{Provider} {VendorId} did not make the clip: {Reason}")]
    public static partial void GenerationFailed(this ILogger logger, string provider, string vendorId, string reason);

    [LoggerMessage(EventId = 3647, Level = LogLevel.Warning, Message = "{Provider} start of {Call} of job {JobId} got no answer ({Problem}); it may have started a paid generation, so it is not sent again and the beat falls back to stock")]
    public static partial void CreateUnanswered(this ILogger logger, string provider, string call, Guid jobId, string problem);
}
