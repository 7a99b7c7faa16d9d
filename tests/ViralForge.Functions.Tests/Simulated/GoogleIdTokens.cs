using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Tests.Simulated;

/// <summary>
/// Plays Google's token issuer in tests: an RSA key published as a JSON Web Key Set (the shape of
/// https://www.googleapis.com/oauth2/v3/certs) and ID tokens signed with it, as Cloud Tasks sends them.
/// </summary>
public sealed class GoogleIdTokens : IDisposable
{
    public const string Issuer = "https://accounts.google.com";

    private readonly RSA rsa = RSA.Create(2048);

    public GoogleIdTokens(string keyId = "test-key-1")
    {
        KeyId = keyId;
    }

    public string KeyId { get; }

    /// <summary>The key set as Google serves it: {"keys":[{kty, alg, use, kid, n, e}]}.</summary>
    public string JwksJson()
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", alg = "RS256", use = "sig", kid = KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });
    }

    /// <summary>An ID token as Cloud Tasks mints it for an OIDC HTTP task: iss, aud, email, email_verified, iat, exp.</summary>
    public string Mint(string audience, string email, DateTimeOffset now, TimeSpan? lifetime = null, string issuer = Issuer, bool emailVerified = true)
    {
        var handler = new JwtSecurityTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(1)).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("email", email), new Claim("email_verified", emailVerified ? "true" : "false", ClaimValueTypes.Boolean), new Claim("sub", "1234567890")]),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        return handler.CreateEncodedJwt(descriptor);
    }

    public void Dispose() => rsa.Dispose();
}
