using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ViralForge.Bot.Slack;

/// <summary>The verdict on a request's Slack signature; the reason is for the log only.</summary>
public sealed record SlackSignatureCheck(bool Valid, string? Reason)
{
    public static SlackSignatureCheck Accepted { get; } = new(true, null);

    public static SlackSignatureCheck Refused(string reason) => new(false, reason);
}

/// <summary>
/// Proves that a request comes from Slack: "v0=" + hex(HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"))
/// compared in constant time, a timestamp within five minutes of now either way, and each signature accepted once
/// (a captured request replayed inside the window is refused). Runs on the raw bytes, before anything parses them.
/// </summary>
public sealed class SlackSignatureVerifier(IOptions<SlackOptions> options, TimeProvider clock)
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";

    /// <summary>How far a request's timestamp may be from now, either way (Slack's recommendation).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    // Accepted signatures until their timestamp leaves the window (after which the timestamp check refuses them anyway).
    // Only requests signed with the secret get in, so the cache grows with Slack's real traffic, not an attacker's.
    private readonly ConcurrentDictionary<string, DateTimeOffset> accepted = new(StringComparer.Ordinal);
    private long nextSweepTicks;

    public SlackSignatureCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp))
        {
            return SlackSignatureCheck.Refused($"no {TimestampHeader} header");
        }
        if (string.IsNullOrEmpty(signature))
        {
            return SlackSignatureCheck.Refused($"no {SignatureHeader} header");
        }
        if (timestamp.Length > 12 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SlackSignatureCheck.Refused($"{TimestampHeader} is not a Unix time in seconds");
        }

        var now = clock.GetUtcNow();
        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var skew = now - sent;
        if (skew > Window)
        {
            return SlackSignatureCheck.Refused($"the request is {skew.TotalSeconds:0} s old; at most {Window.TotalSeconds:0} s is accepted");
        }
        if (-skew > Window)
        {
            return SlackSignatureCheck.Refused($"the request is dated {-skew.TotalSeconds:0} s in the future; at most {Window.TotalSeconds:0} s is accepted");
        }

        const string prefix = SlackRequestSigner.Version + "=";
        if (!signature.StartsWith(prefix, StringComparison.Ordinal))
        {
            return SlackSignatureCheck.Refused($"{SignatureHeader} does not start with {prefix}");
        }
        var hex = signature.AsSpan(prefix.Length);
        var presented = new byte[SHA256.HashSizeInBytes];
        if (hex.Length != SHA256.HashSizeInBytes * 2 || Convert.FromHexString(hex, presented, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return SlackSignatureCheck.Refused($"{SignatureHeader} is not {prefix} and 64 hex digits");
        }

        var secret = options.Value.SigningSecret
            ?? throw new InvalidOperationException("Slack:SigningSecret is not set, so Slack is off; nothing should verify Slack requests.");
        if (!CryptographicOperations.FixedTimeEquals(SlackRequestSigner.Hash(secret, timestamp, body), presented))
        {
            return SlackSignatureCheck.Refused("the signature does not match the body and timestamp");
        }

        Sweep(now);
        // TryAdd is the claim: of two identical requests arriving together, one gets in.
        return accepted.TryAdd(Convert.ToHexStringLower(presented), sent + Window)
            ? SlackSignatureCheck.Accepted
            : SlackSignatureCheck.Refused("the same signed request was already accepted (a replay)");
    }

    private void Sweep(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref nextSweepTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks, next) != next)
        {
            return;
        }
        foreach (var (key, expires) in accepted)
        {
            if (expires < now)
            {
                accepted.TryRemove(key, out _);
            }
        }
    }
}
