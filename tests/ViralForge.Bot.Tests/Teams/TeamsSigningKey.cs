using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>
/// An RSA key playing one of Bot Framework's signing keys: its JWKS entry (with "endorsements", as
/// login.botframework.com publishes them) and compact JWS tokens signed with it from JSON written in the test, so any
/// claim can be bent or left out.
/// </summary>
public sealed class TeamsSigningKey(string kid, params string[] endorsements) : IDisposable
{
    public const string Issuer = "https://api.botframework.com";

    private readonly RSA rsa = RSA.Create(2048);

    public string Kid { get; } = kid;

    /// <summary>One entry of the key set as Bot Framework serves it: kty, use, kid, x5t, n, e, endorsements.</summary>
    public JsonObject Jwk()
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["x5t"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)JsonValue.Create(e))]),
        };
    }

    public JsonObject Header() => new() { ["alg"] = "RS256", ["kid"] = Kid, ["x5t"] = Kid, ["typ"] = "JWT" };

    /// <summary>The claims of a Connector-to-bot token: issuer, the bot as audience, an hour's life, and the serviceurl claim.</summary>
    public static JsonObject Claims(string appId, string serviceUrl, DateTimeOffset now) => new()
    {
        ["serviceurl"] = serviceUrl,
        ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["iss"] = Issuer,
        ["aud"] = appId,
    };

    public string Sign(JsonObject header, JsonObject payload)
    {
        var input = Encode(header) + "." + Encode(payload);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    public string Mint(JsonObject payload) => Sign(Header(), payload);

    public string Mint(string appId, string serviceUrl, DateTimeOffset now) => Mint(Claims(appId, serviceUrl, now));

    public static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));

    public void Dispose() => rsa.Dispose();
}
