using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Testing.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks delivery, written from the specification's text (standardwebhooks.com,
/// "Verifying webhooks") and sharing no code with the product's signer: the secret is "whsec_" + base64 of the key; the
/// signed content is "{webhook-id}.{webhook-timestamp}.{body}"; webhook-signature is a space-separated list of
/// "v1,{base64 HMAC-SHA256}"; the timestamp must be within the tolerance of now. HMAC is computed here by RFC 2104 over
/// SHA-256 itself (not HMACSHA256), so a mistake in how the product calls HMAC cannot cancel out.
/// </summary>
public static class StandardWebhooksVerifier
{
    /// <summary>The tolerance the specification's reference libraries use: five minutes either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Null when the delivery verifies; otherwise why not.</summary>
    public static string? Verify(string secret, string? id, string? timestamp, string? signatureHeader, string body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return $"webhook-timestamp '{timestamp}' is not whole seconds";
        }
        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (sent < now - Tolerance || sent > now + Tolerance)
        {
            return $"webhook-timestamp {sent:u} is too far from now {now:u}";
        }
        var expected = Expected(secret, id, timestamp, body);
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || part[..comma] != "v1")
            {
                continue;
            }
            byte[] presented;
            try
            {
                presented = Convert.FromBase64String(part[(comma + 1)..]);
            }
            catch (FormatException)
            {
                continue;
            }
            if (CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return null;
            }
        }
        return "no v1 signature matches";
    }

    /// <summary>"v1," + base64 of the expected HMAC, for comparing with a published vector.</summary>
    public static string ExpectedHeader(string secret, string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(Expected(secret, id, timestamp, body));

    private static byte[] Expected(string secret, string id, string timestamp, string body)
    {
        const string prefix = "whsec_";
        var key = Convert.FromBase64String(secret.StartsWith(prefix, StringComparison.Ordinal) ? secret[prefix.Length..] : secret);
        return Hmac(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
    }

    /// <summary>RFC 2104: H((K ^ opad) || H((K ^ ipad) || m)), block size 64 bytes for SHA-256.</summary>
    private static byte[] Hmac(byte[] key, byte[] message)
    {
        const int block = 64;
        if (key.Length > block)
        {
            key = SHA256.HashData(key);
        }
        var padded = new byte[block];
        key.CopyTo(padded, 0);
        var inner = new byte[block + message.Length];
        var outer = new byte[block + 32];
        for (var i = 0; i < block; i++)
        {
            inner[i] = (byte)(padded[i] ^ 0x36);
            outer[i] = (byte)(padded[i] ^ 0x5c);
        }
        message.CopyTo(inner, block);
        SHA256.HashData(inner).CopyTo(outer, block);
        return SHA256.HashData(outer);
    }
}
