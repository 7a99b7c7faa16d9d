using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>What a V4 signed URL grants: one method on one object, from <paramref name="SignedAt"/> for <paramref name="ValidFor"/>.</summary>
/// <param name="Endpoint">The storage host (https://storage.googleapis.com/); the URL is path style, /bucket/object.</param>
/// <param name="ServiceAccountEmail">The account whose key signs; the URL's credential names it.</param>
public sealed record V4SigningRequest(
    string Method,
    Uri Endpoint,
    string Bucket,
    string ObjectName,
    string ServiceAccountEmail,
    DateTimeOffset SignedAt,
    TimeSpan ValidFor);

/// <summary>
/// Cloud Storage V4 signed URLs (GOOG4-RSA-SHA256) signing only the host header: the canonical request, the string to
/// sign, and the URL with X-Goog-Signature. Kept as pure functions so tests can check them against Google's own vectors.
/// </summary>
public static class V4SignedUrl
{
    public const string Algorithm = "GOOG4-RSA-SHA256";

    /// <summary>The longest a V4 signature may be valid: 7 days (X-Goog-Expires 604800).</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromSeconds(604800);

    /// <summary>The URL's query parameters except the signature, in canonical order (sorted by name).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> QueryParameters(V4SigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var seconds = ExpiresSeconds(request.ValidFor);
        var at = request.SignedAt.UtcDateTime;
        return
        [
            new("X-Goog-Algorithm", Algorithm),
            new("X-Goog-Credential", $"{request.ServiceAccountEmail}/{Scope(at)}"),
            new("X-Goog-Date", at.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)),
            new("X-Goog-Expires", seconds.ToString(CultureInfo.InvariantCulture)),
            new("X-Goog-SignedHeaders", "host"),
        ];
    }

    /// <summary>
    /// Method, path, canonical query, canonical headers (with the blank line that ends them), signed headers and
    /// UNSIGNED-PAYLOAD, joined by newlines.
    /// </summary>
    public static string CanonicalRequest(V4SigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Join('\n',
            request.Method.ToUpperInvariant(),
            Path(request),
            CanonicalQuery(request),
            $"host:{request.Endpoint.Authority}",
            "",
            "host",
            "UNSIGNED-PAYLOAD");
    }

    /// <summary>The algorithm, the timestamp, the credential scope and the hex SHA-256 of the canonical request.</summary>
    public static string StringToSign(V4SigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var at = request.SignedAt.UtcDateTime;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalRequest(request))));
        return string.Join('\n', Algorithm, at.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), Scope(at), hash);
    }

    /// <summary>Signs the string to sign with <paramref name="signer"/> and returns the URL a browser can open.</summary>
    public static async Task<Uri> SignAsync(V4SigningRequest request, IUrlSigner signer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var signature = await signer.SignAsync(Encoding.UTF8.GetBytes(StringToSign(request)), cancellationToken);
        var root = request.Endpoint.GetLeftPart(UriPartial.Authority);
        return new Uri($"{root}{Path(request)}?{CanonicalQuery(request)}&X-Goog-Signature={Convert.ToHexStringLower(signature)}");
    }

    /// <summary>/bucket/object with every part of the object name percent-encoded (RFC 3986) except its slashes.</summary>
    public static string Path(V4SigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"/{Uri.EscapeDataString(request.Bucket)}/{string.Join('/', request.ObjectName.Split('/').Select(Uri.EscapeDataString))}";
    }

    private static string CanonicalQuery(V4SigningRequest request) =>
        string.Join('&', QueryParameters(request)
            .Select(p => (Name: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

    private static string Scope(DateTime at) => $"{at.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/auto/storage/goog4_request";

    private static long ExpiresSeconds(TimeSpan validFor)
    {
        // Whole seconds, rounded up so the URL never expires before it was asked to.
        var seconds = (long)Math.Ceiling(validFor.TotalSeconds);
        if (seconds < 1 || seconds > (long)MaxValidity.TotalSeconds)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validFor), validFor, $"A V4 signed URL is valid for 1 to {(long)MaxValidity.TotalSeconds} seconds (7 days); {validFor} is outside that.");
        }
        return seconds;
    }
}
