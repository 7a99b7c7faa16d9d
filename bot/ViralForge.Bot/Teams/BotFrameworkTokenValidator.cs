using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ViralForge.Functions.Auth;

namespace ViralForge.Bot.Teams;

/// <summary>A checked inbound request: the activity when trusted, otherwise the HTTP status to refuse with and why (for the log).</summary>
public sealed record TeamsInbound(int Status, string? Reason, Activity? Activity)
{
    public bool Trusted => Status == StatusCodes.Status200OK;

    public static TeamsInbound Refuse(int status, string reason) => new(status, reason, null);
}

/// <summary>
/// Checks that a request to the messaging endpoint comes from the Bot Framework Connector for this bot
/// (API_REFERENCE 7.2): a bearer JWT signed with RS256 by a key in Bot Framework's key set, issued by
/// https://api.botframework.com to Teams:AppId, within its lifetime (5 minutes' skew, on the injected clock); then,
/// with the activity read, that the token's serviceUrl claim is the activity's serviceUrl and the signing key is
/// endorsed for the activity's channel. The body is read only after the token itself has passed, so nothing a
/// stranger sends is parsed. A missing bearer token is 401, any other failure 403, keys never fetched 503.
/// </summary>
public sealed class BotFrameworkTokenValidator(IOptions<TeamsOptions> options, BotFrameworkSigningKeys keys, TimeProvider time)
{
    /// <summary>The only issuer of Connector-to-bot tokens.</summary>
    public const string Issuer = "https://api.botframework.com";

    /// <summary>Tolerated clock difference for exp and nbf, as the Bot Framework SDK allows.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The largest activity read (Teams' own limit for a message is about 100 KB).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public async Task<TeamsInbound> ValidateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (BearerToken.From(request) is not { } token)
        {
            return TeamsInbound.Refuse(StatusCodes.Status401Unauthorized,
                request.Headers.Authorization.Count == 0 ? "no Authorization header" : "the Authorization header is not a bearer token");
        }

        string kid;
        try
        {
            kid = handler.ReadJsonWebToken(token).Kid;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, "the bearer token is not a JWT");
        }
        if (string.IsNullOrEmpty(kid))
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, "the token names no key id");
        }

        var known = await keys.GetAsync(kid, cancellationToken);
        if (known is null)
        {
            return TeamsInbound.Refuse(StatusCodes.Status503ServiceUnavailable, "Bot Framework's signing keys could not be fetched");
        }
        if (!known.TryGetValue(kid, out var key))
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, $"key id {kid} is not among Bot Framework's signing keys");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = options.Value.AppId,
            IssuerSigningKey = key.Key,
            // Only RS256: "none" and HMAC tricks (signing with the public key as a secret) are refused.
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            // The library's default reads the wall clock; this reads the injected one.
            LifetimeValidator = (notBefore, expires, _, _) =>
                (notBefore is null || notBefore.Value <= now + ClockSkew) && expires is not null && expires.Value > now - ClockSkew,
        });
        if (!result.IsValid)
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, $"invalid token: {result.Exception?.GetType().Name ?? "rejected"}");
        }

        // Only now is the body worth reading: it came through the Connector with a token for this bot.
        Activity? activity;
        try
        {
            activity = await ReadActivityAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return TeamsInbound.Refuse(StatusCodes.Status400BadRequest, $"the body is not an activity: {e.Message}");
        }
        if (activity is null)
        {
            return TeamsInbound.Refuse(StatusCodes.Status400BadRequest, "the body is not an activity");
        }

        var serviceUrl = result.Claims.TryGetValue("serviceurl", out var claimed) || result.Claims.TryGetValue("serviceUrl", out claimed)
            ? claimed as string
            : null;
        if (string.IsNullOrEmpty(serviceUrl))
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, "the token has no serviceUrl claim");
        }
        if (!string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, "the token's serviceUrl is not the activity's");
        }
        if (string.IsNullOrEmpty(activity.ChannelId) || !key.Endorsements.Contains(activity.ChannelId, StringComparer.Ordinal))
        {
            return TeamsInbound.Refuse(StatusCodes.Status403Forbidden, $"key {kid} is not endorsed for channel '{activity.ChannelId}'");
        }

        return new TeamsInbound(StatusCodes.Status200OK, null, activity);
    }

    private static async Task<Activity?> ReadActivityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            throw new InvalidDataException($"the body is larger than {MaxBodyBytes} bytes");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException($"the body is larger than {MaxBodyBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return JsonSerializer.Deserialize(buffer.ToArray(), TeamsJson.Default.Activity);
    }
}
