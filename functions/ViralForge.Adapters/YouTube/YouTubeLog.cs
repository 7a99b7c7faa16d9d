using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// Log messages of the YouTube publisher (event ids 3660-3679), source-generated. Access tokens and session URIs are
/// credentials (a session URI uploads to the channel without a token) and are never logged.
/// </summary>
internal static partial class YouTubeLog
{
    [LoggerMessage(EventId = 3660, Level = LogLevel.Information, Message = "YouTube upload of job {JobId} starts a session ({Call}, {Size} bytes, {Units} quota units)")]
    public static partial void SessionStarted(this ILogger logger, Guid jobId, string call, long size, int units);

    [LoggerMessage(EventId = 3661, Level = LogLevel.Information, Message = "YouTube upload of job {JobId} resumes its stored session ({Call}) at byte {Offset} of {Size}")]
    public static partial void UploadResuming(this ILogger logger, Guid jobId, string call, long offset, long size);

    [LoggerMessage(EventId = 3662, Level = LogLevel.Warning, Message = "YouTube upload of job {JobId} interrupted at byte {Offset} ({Failure} of {MaxFailures}): {Reason}; asking the session how much it kept")]
    public static partial void UploadInterrupted(this ILogger logger, Guid jobId, long? offset, int failure, int maxFailures, string reason);

    [LoggerMessage(EventId = 3663, Level = LogLevel.Warning, Message = "YouTube upload session {Call} of job {JobId} is gone (expired or cancelled); starting a new one")]
    public static partial void SessionGone(this ILogger logger, string call, Guid jobId);

    [LoggerMessage(EventId = 3664, Level = LogLevel.Information, Message = "Job {JobId} is on YouTube as video {VideoId}")]
    public static partial void Uploaded(this ILogger logger, Guid jobId, string videoId);

    [LoggerMessage(EventId = 3665, Level = LogLevel.Information, Message = "YouTube video {VideoId} of job {JobId} was uploaded before; nothing is sent again")]
    public static partial void AlreadyUploaded(this ILogger logger, string videoId, Guid jobId);

    [LoggerMessage(EventId = 3666, Level = LogLevel.Warning, Message = "YouTube thumbnail of video {VideoId} skipped: {Reason}")]
    public static partial void ThumbnailSkipped(this ILogger logger, string videoId, string reason);

    [LoggerMessage(EventId = 3667, Level = LogLevel.Information, Message = "YouTube quota: {Used} of {Daily} units used since {DayStart:u}; job {JobId} waits until {Until:u}")]
    public static partial void QuotaDeferred(this ILogger logger, decimal used, int daily, DateTimeOffset dayStart, Guid jobId, DateTimeOffset until);

    [LoggerMessage(EventId = 3668, Level = LogLevel.Information, Message = "YouTube video {VideoId} taken down ({Outcome})")]
    public static partial void TakenDown(this ILogger logger, string videoId, string outcome);

    [LoggerMessage(EventId = 3669, Level = LogLevel.Information, Message = "YouTube answered 401 for job {JobId}; asking for a fresh access token once")]
    public static partial void TokenRefused(this ILogger logger, Guid jobId);
}
