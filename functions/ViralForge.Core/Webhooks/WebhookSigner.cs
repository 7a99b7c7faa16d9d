using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Core.Webhooks;

/// <summary>
/// Signs deliveries the Standard Webhooks way (standardwebhooks.com): the secret is "whsec_" + base64 of the key, the
/// signed content is "{webhook-id}.{webhook-timestamp}.{body}", and webhook-signature is "v1," + base64 of its
/// HMAC-SHA256. A receiver verifies with any Standard Webhooks library.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    /// <summary>Key bytes in a new secret: Standard Webhooks asks for 24 to 64.</summary>
    public const int SecretBytes = 32;

    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new random secret, "whsec_" + base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The key of a "whsec_" secret; a <see cref="FormatException"/> names what is wrong (never the secret).</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"A webhook secret starts with {SecretPrefix}.");
        }
        var key = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret[SecretPrefix.Length..], key, out var written) || written < 24 || written > 64)
        {
            throw new FormatException($"A webhook secret is {SecretPrefix} followed by base64 of 24 to 64 bytes.");
        }
        return key[..written];
    }

    /// <summary>The webhook-signature value: "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")).</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(body);
        var key = KeyOf(secret);
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"));
        var mac = HMACSHA256.HashData(key, content);
        CryptographicOperations.ZeroMemory(key);
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>The webhook-timestamp value: whole seconds since the Unix epoch.</summary>
    public static long Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds();
}
