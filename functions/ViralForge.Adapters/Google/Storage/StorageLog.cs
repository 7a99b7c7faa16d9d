using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>Log messages of the Cloud Storage adapter (event ids 3320-3349), source-generated. Session URIs are credentials and never logged.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3320, Level = LogLevel.Debug, Message = "Uploading {Key} ({Size} bytes) to gs://{Bucket} in chunks of {ChunkSize} bytes")]
    public static partial void UploadStarting(this ILogger logger, string key, long size, string bucket, int chunkSize);

    [LoggerMessage(EventId = 3321, Level = LogLevel.Warning, Message = "Upload of {Key} interrupted at byte {Offset} ({Failure} of {MaxFailures}): {Reason}; asking the session how much it kept")]
    public static partial void UploadInterrupted(this ILogger logger, string key, long? offset, int failure, int maxFailures, string reason);

    [LoggerMessage(EventId = 3322, Level = LogLevel.Information, Message = "Upload of {Key} resumes at byte {Offset} of {Size}")]
    public static partial void UploadResuming(this ILogger logger, string key, long offset, long size);

    [LoggerMessage(EventId = 3323, Level = LogLevel.Debug, Message = "Uploaded {Key} ({Size} bytes) as generation {Generation}")]
    public static partial void Uploaded(this ILogger logger, string key, long size, string? generation);

    [LoggerMessage(EventId = 3324, Level = LogLevel.Debug, Message = "Downloaded {Key} ({Size} bytes) to {Path}")]
    public static partial void Downloaded(this ILogger logger, string key, long size, string path);

    [LoggerMessage(EventId = 3325, Level = LogLevel.Information, Message = "Deleted {Count} objects under {Prefix} in gs://{Bucket}")]
    public static partial void PrefixDeleted(this ILogger logger, int count, string prefix, string bucket);
}
