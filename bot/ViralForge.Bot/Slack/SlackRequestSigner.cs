using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Bot.Slack;

/// <summary>
/// Slack's v0 request signature, "v0=" + hex(HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}")): the one
/// computation that <see cref="SlackSignatureVerifier"/> checks against and that anything playing Slack signs with.
/// </summary>
public static class SlackRequestSigner
{
    /// <summary>The signature version Slack sends; the header's value starts with it and "=".</summary>
    public const string Version = "v0";

    /// <summary>The raw HMAC-SHA256 of "v0:{timestamp}:" followed by the body, keyed with the signing secret.</summary>
    public static byte[] Hash(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        ArgumentNullException.ThrowIfNull(timestamp);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(signingSecret));
        hmac.AppendData(Encoding.ASCII.GetBytes($"{Version}:{timestamp}:"));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>The X-Slack-Signature header value for a request with this timestamp and body.</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body) =>
        $"{Version}={Convert.ToHexStringLower(Hash(signingSecret, timestamp, body))}";
}
