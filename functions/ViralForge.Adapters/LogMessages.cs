using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters;

/// <summary>Every log message of the adapters, source-generated so arguments are not boxed when the level is off.</summary>
internal static partial class LogMessages
{
    // Provider report: 3700-3709.
    [LoggerMessage(EventId = 3700, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void StageProvider(this ILogger logger, string line);

    // Visuals (stock footage, AI video, the router): 3800-3849.
    [LoggerMessage(EventId = 3800, Level = LogLevel.Information, Message = "Job {JobId} beat {Beat}: stock clip {ClipKey} at {Width}x{Height} for \"{Query}\"")]
    public static partial void StockClipChosen(this ILogger logger, Guid jobId, int beat, string clipKey, int width, int height, string query);

    [LoggerMessage(EventId = 3801, Level = LogLevel.Warning, Message = "Stock source {Source} failed; trying the next: {Reason}")]
    public static partial void StockSourceFailed(this ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3802, Level = LogLevel.Information, Message = "Job {JobId} beat {Beat}: {Note}")]
    public static partial void VisualFallback(this ILogger logger, Guid jobId, int beat, string note);

    // Voice (espeak-ng): 3000-3099.
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "espeak-ng {Version} ready: {SampleRate} Hz, data in {DataPath}")]
    public static partial void EspeakReady(this ILogger logger, string version, int sampleRate, string dataPath);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "espeak-ng has no voice for language '{Language}'; speaking it with '{FallbackVoice}' instead")]
    public static partial void EspeakLanguageFallback(this ILogger logger, string language, string fallbackVoice);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "espeak-ng has no variant '{Voice}'; speaking with the plain '{EspeakVoice}' voice")]
    public static partial void EspeakVariantIgnored(this ILogger logger, string voice, string espeakVoice);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "espeak-ng reported {WordEvents} word events for {Words} words; {Interpolated} words were timed by interpolation")]
    public static partial void EspeakWordsInterpolated(this ILogger logger, int wordEvents, int words, int interpolated);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Spoke {Words} words as {Seconds:F2} s of audio with espeak-ng voice '{EspeakVoice}' into {Path}")]
    public static partial void EspeakSpoke(this ILogger logger, int words, double seconds, string espeakVoice, string path);

    // Paid voices (ElevenLabs, OpenAI): 3100-3199.
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "{Provider} {Call} of job {JobId} generation {Generation} was paid for already; reusing {Blob}")]
    public static partial void PaidVoicePartReused(this ILogger logger, string provider, string call, Guid jobId, int generation, string blob);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "{Provider} {Call}: {Units} {UnitKind} for {Usd} USD (prices of {PricesOf})")]
    public static partial void PaidVoicePartBought(this ILogger logger, string provider, string call, decimal units, string unitKind, decimal usd, DateOnly pricesOf);
}
