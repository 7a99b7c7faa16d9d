namespace ViralForge.Functions.Auth;

/// <summary>The inbound-auth log messages, source-generated. None of them carries a token: reasons, key ids and emails only.</summary>
internal static partial class LogMessages
{
    // Inbound auth: 4000-4099.
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Refused {Path} with {Status}: {Reason}")]
    public static partial void Refused(this ILogger logger, string path, int status, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Fetched {Count} Google signing keys ({KeyIds}) from {JwksUri}; kept for {Lifetime}")]
    public static partial void SigningKeysFetched(this ILogger logger, int count, string keyIds, string jwksUri, TimeSpan lifetime);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Could not fetch Google's signing keys from {JwksUri} ({Error}: {ErrorMessage}); {Fallback}")]
    public static partial void SigningKeysFetchFailed(this ILogger logger, string jwksUri, string error, string errorMessage, string fallback);
}
