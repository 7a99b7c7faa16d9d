using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Tests.Auth;

/// <summary>
/// An RSA key playing one of Google's token signing keys: its public half as a JSON Web Key, and compact JWS tokens
/// signed with it from header and payload JSON written out in the test, so any claim can be bent or left out.
/// </summary>
public sealed class TestSigningKey(string kid) : IDisposable
{
    public const string GoogleIssuer = "https://accounts.google.com";

    private readonly RSA rsa = RSA.Create(2048);

    public string Kid { get; } = kid;

    /// <summary>One entry of Google's key set, with the members Google publishes: kty, alg, use, kid, n, e.</summary>
    public JsonObject Jwk()
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>The header Google puts on its ID tokens.</summary>
    public JsonObject Header() => new() { ["alg"] = "RS256", ["kid"] = Kid, ["typ"] = "JWT" };

    /// <summary>The claims of an ID token Cloud Tasks mints for an OIDC HTTP task, valid for an hour from <paramref name="now"/>.</summary>
    public static JsonObject Claims(string audience, string email, DateTimeOffset now) => new()
    {
        ["aud"] = audience,
        ["azp"] = "112233445566778899000",
        ["email"] = email,
        ["email_verified"] = true,
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["iss"] = GoogleIssuer,
        ["sub"] = "112233445566778899000",
    };

    /// <summary>header.payload.signature, RS256 over the first two with this key.</summary>
    public string Sign(JsonObject header, JsonObject payload)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>A genuine token: this key's header, the given claims.</summary>
    public string Mint(JsonObject payload) => Sign(Header(), payload);

    /// <summary>An ID token as Cloud Tasks sends it, with the usual knobs bent by name: lifetime, issuer, email_verified.</summary>
    public string Mint(string audience, string email, DateTimeOffset now, TimeSpan? lifetime = null, string issuer = GoogleIssuer, bool emailVerified = true)
    {
        var claims = Claims(audience, email, now);
        claims["exp"] = now.Add(lifetime ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        claims["iss"] = issuer;
        claims["email_verified"] = emailVerified;
        return Mint(claims);
    }

    /// <summary>A key set holding only this key, as Google serves it: {"keys":[...]}.</summary>
    public string JwksJson() => new JsonObject { ["keys"] = new JsonArray(Jwk()) }.ToJsonString();

    public static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));

    public void Dispose() => rsa.Dispose();
}
