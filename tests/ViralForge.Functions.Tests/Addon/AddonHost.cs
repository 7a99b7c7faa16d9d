using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ViralForge.Functions.Tests.Auth;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>
/// The functions host (local profile, its own database) with the add-on on: Google's keys served by WireMock, tokens
/// minted as Apps Script's ScriptApp.getIdentityToken() makes them (aud the add-on's OAuth client id).
/// </summary>
public sealed class AddonHost : IAsyncDisposable
{
    public const string ClientId = "1234567890-abcdefghijklmnop.apps.googleusercontent.com";
    public const string Ana = "ana@example.com";
    public const string SpreadsheetId = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";

    private AddonHost(TestHost host, JwksServer jwks, TestSigningKey google)
    {
        Host = host;
        Jwks = jwks;
        Google = google;
    }

    public TestHost Host { get; }

    public JwksServer Jwks { get; }

    /// <summary>The key Google signs with here.</summary>
    public TestSigningKey Google { get; }

    public HttpClient Client => Host.Client;

    /// <summary>Ana is allowed by email; anyone at allowed.example is allowed by domain.</summary>
    public static async Task<AddonHost> StartAsync(bool dispatch = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var jwks = new JwksServer();
        var google = new TestSigningKey("google-addon-key");
        jwks.Serve([google]);
        var all = new Dictionary<string, string?>
        {
            ["Addon:OAuthClientId"] = ClientId,
            ["Addon:AllowedEmails:0"] = Ana,
            ["Addon:AllowedDomains:0"] = "allowed.example",
            ["Google:Auth:JwksUri"] = jwks.JwksUri,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        try
        {
            return new AddonHost(await TestHost.StartAsync(dispatch: dispatch, settings: all), jwks, google);
        }
        catch
        {
            jwks.Dispose();
            google.Dispose();
            throw;
        }
    }

    /// <summary>The claims of an identity token Apps Script makes for a user with the openid and userinfo.email scopes.</summary>
    public static JsonObject IdentityClaims(string email, DateTimeOffset? now = null, string audience = ClientId)
    {
        var claims = TestSigningKey.Claims(audience, email, now ?? TimeProvider.System.GetUtcNow());
        claims["azp"] = ClientId;
        claims["sub"] = "109876543210987654321";
        return claims;
    }

    /// <summary>A genuine identity token for <paramref name="email"/>.</summary>
    public string IdentityToken(string email = Ana) => Google.Mint(IdentityClaims(email));

    public static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return request;
    }

    public async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? bearer, string? json = null)
    {
        using var request = Request(method, path, bearer, json);
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>POST /jobs with Ana's identity token.</summary>
    public Task<(HttpResponseMessage Response, JsonNode? Body)> SubmitAsync(string json, string? bearer = null) =>
        SendAsync(HttpMethod.Post, "/jobs", bearer ?? IdentityToken(), json);

    /// <summary>A new API key for the email, from POST /keys.</summary>
    public async Task<string> IssueKeyAsync(string email = Ana)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "/keys", IdentityToken(email));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (string)body!["key"]!;
    }

    /// <summary>A POST /jobs body with the given rows, each { rowNumber, cells }.</summary>
    public static string Batch(IEnumerable<(int RowNumber, string Topic, string Duration)> rows, string sheetName = "Ideas", string? defaults = null)
    {
        var array = new JsonArray();
        foreach (var (rowNumber, topic, duration) in rows)
        {
            array.Add(new JsonObject
            {
                ["rowNumber"] = rowNumber,
                ["cells"] = new JsonObject
                {
                    ["Topic"] = topic, ["Platform"] = "", ["Duration"] = duration, ["Style"] = "", ["Voice"] = "",
                    ["Language"] = "", ["Publish At"] = "", ["Hashtags"] = "", ["Notes"] = "",
                },
            });
        }
        var body = new JsonObject
        {
            ["spreadsheetId"] = SpreadsheetId,
            ["sheetName"] = sheetName,
            ["rows"] = array,
            ["defaults"] = JsonNode.Parse(defaults ?? """{ "Platform": "youtube", "Style": "clean", "Voice": "default", "Duration": "30" }"""),
        };
        return body.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Jwks.Dispose();
        Google.Dispose();
    }
}
