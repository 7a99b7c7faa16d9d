using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Functions.Api;
using ViralForge.Functions.Tests.Addon;
using ViralForge.Functions.Tests.Auth;

namespace ViralForge.Functions.Tests.Api;

/// <summary>
/// Who may call /v1: API keys with their scope, and Google ID tokens of allow-listed people. Every kind of bad
/// credential is refused with problem+json before the handler runs, so nothing is made.
/// </summary>
public sealed class ApiAuthTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private const string CloudTasksAudience = "https://vf-stages-abc123-uc.a.run.app";

    private ApiHost Api => fixture.Api;

    public static TheoryData<string, string, HttpStatusCode> KeyBreakages() => new()
    {
        { "missing-header", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "not-bearer", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "empty-bearer", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "malformed-key", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "key-with-a-character-more", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "unknown-key", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "revoked-key", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "revoked-key", "GET /v1/jobs", HttpStatusCode.Unauthorized },
        { "add-on-key", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "queue-token", "POST /v1/jobs", HttpStatusCode.Unauthorized },
        { "read-key", "POST /v1/jobs", HttpStatusCode.Forbidden },
        { "read-key", "POST /v1/keys", HttpStatusCode.Forbidden },
        { "read-key", "GET /v1/keys", HttpStatusCode.Forbidden },
        { "read-key", "POST /v1/jobs/{id}/cancel", HttpStatusCode.Forbidden },
        { "read-key", "POST /v1/jobs/{id}/approve", HttpStatusCode.Forbidden },
        { "read-key", "DELETE /v1/keys/1", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(KeyBreakages))]
    public async Task A_bad_or_insufficient_api_key_is_refused_and_changes_nothing(string breakage, string endpoint, HttpStatusCode expected)
    {
        var api = Api;
        var sheet = $"auth-{Guid.NewGuid():N}";
        var target = ApiHost.Ids(await api.CreateAsync(await api.KeyAsync(), sheet, "Three tips for sourdough"))[0];
        string? authorization;
        switch (breakage)
        {
            case "missing-header": authorization = null; break;
            case "not-bearer": authorization = "Basic " + Convert.ToBase64String("zapier:secret"u8.ToArray()); break;
            case "empty-bearer": authorization = "Bearer "; break;
            case "malformed-key": authorization = "Bearer vfa_not-a-key"; break;
            case "key-with-a-character-more": authorization = "Bearer " + await api.KeyAsync() + "A"; break;
            case "unknown-key": authorization = "Bearer " + ApiKeys.Prefix + new string('A', 43); break;
            case "revoked-key":
                var revoked = await api.KeyAsync();
                var id = (await api.Host.Get<ApiKeys>().ListAsync(CancellationToken.None)).First().Id;
                Assert.True(await api.Host.Get<ApiKeys>().RevokeAsync(id, CancellationToken.None));
                authorization = "Bearer " + revoked;
                break;
            case "add-on-key": authorization = "Bearer " + await api.Addon.IssueKeyAsync(); break;
            case "queue-token": authorization = "Bearer " + TestHost.Token; break;
            case "read-key": authorization = "Bearer " + await api.KeyAsync(ApiScope.Read); break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage));
        }
        var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1].Replace("{id}", target.ToString(), StringComparison.Ordinal));
        var body = path == "/v1/jobs" ? ApiHost.Rows(sheet, "Why cats purr") : path == "/v1/keys" ? """{ "scope": "write" }""" : null;

        var answer = await SendRawAsync(new HttpMethod(method), path, authorization, body);

        answer.AssertProblem(expected);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", answer.Headers.WwwAuthenticate.ToString());
        }
        Assert.Single(await api.Jobs.ListBySheetAsync("api:" + sheet, CancellationToken.None));
        Assert.Equal("queued", (await api.Jobs.GetAsync(target, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_read_key_reads_and_a_write_key_writes()
    {
        var api = Api;
        var read = await api.KeyAsync(ApiScope.Read);
        var write = await api.KeyAsync(ApiScope.Write);

        var created = await api.CreateAsync(write, $"auth-{Guid.NewGuid():N}", "Three tips for sourdough");
        var id = ApiHost.Ids(created)[0];

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/v1/jobs/{id}", read)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/v1/jobs?limit=1", read)).Status);
    }

    public static TheoryData<string, HttpStatusCode> TokenBreakages() => new()
    {
        { "malformed", HttpStatusCode.Unauthorized },
        { "alg-none", HttpStatusCode.Unauthorized },
        { "bad-signature", HttpStatusCode.Unauthorized },
        { "unknown-kid", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
        { "wrong-audience", HttpStatusCode.Unauthorized },
        { "wrong-issuer", HttpStatusCode.Unauthorized },
        { "email-unverified", HttpStatusCode.Forbidden },
        { "no-email", HttpStatusCode.Forbidden },
        { "email-not-allowed", HttpStatusCode.Forbidden },
        { "domain-not-allowed", HttpStatusCode.Forbidden },
        { "allowed-domain-but-other-workspace", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(TokenBreakages))]
    public async Task A_bad_google_id_token_is_refused_and_no_job_is_made(string breakage, HttpStatusCode expected)
    {
        var api = Api;
        var google = api.Google;
        var now = TimeProvider.System.GetUtcNow();
        var token = breakage switch
        {
            "malformed" => "not.a.jwt-at-all",
            "alg-none" => TestSigningKey.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + TestSigningKey.Encode(AddonHost.IdentityClaims(AddonHost.Ana, now)) + ".",
            "bad-signature" => Forged(google.Kid, AddonHost.IdentityClaims(AddonHost.Ana, now)),
            "unknown-kid" => Forged("not-googles-kid", AddonHost.IdentityClaims(AddonHost.Ana, now)),
            "expired" => google.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now.AddHours(-3))),
            "wrong-audience" => google.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now, CloudTasksAudience)),
            "wrong-issuer" => google.Mint(With(AddonHost.IdentityClaims(AddonHost.Ana, now), "iss", "https://evil.example.com")),
            "email-unverified" => google.Mint(With(AddonHost.IdentityClaims(AddonHost.Ana, now), "email_verified", false)),
            "no-email" => google.Mint(Without(AddonHost.IdentityClaims(AddonHost.Ana, now), "email")),
            "email-not-allowed" => api.GoogleToken("bob@example.com"),
            "domain-not-allowed" => api.GoogleToken("eve@gmail.com"),
            "allowed-domain-but-other-workspace" => google.Mint(With(AddonHost.IdentityClaims("mallory@allowed.example", now), "hd", "other.example")),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };
        var sheet = $"auth-{Guid.NewGuid():N}";

        var answer = await api.SendAsync(HttpMethod.Post, "/v1/jobs", token, ApiHost.Rows(sheet, "Three tips for sourdough"));

        answer.AssertProblem(expected);
        Assert.Empty(await api.Jobs.ListBySheetAsync("api:" + sheet, CancellationToken.None));
    }

    [Fact]
    public async Task An_allow_listed_google_account_may_write_and_is_named_as_the_caller()
    {
        var api = Api;
        var sheet = $"auth-{Guid.NewGuid():N}";

        var created = await api.CreateAsync(api.GoogleToken("zed@allowed.example"), sheet, "Three tips for sourdough");
        var key = await api.SendAsync(HttpMethod.Post, "/v1/keys", api.GoogleToken(), """{ "scope": "read" }""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Created, key.Status);
        Assert.Equal("ana@example.com", (string)key.Body!["info"]!["owner"]!);
    }

    [Fact]
    public async Task Without_an_audience_the_api_takes_only_keys_and_says_so()
    {
        await using var api = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Addon:OAuthClientId"] = null });

        var token = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.GoogleToken());
        var key = await api.SendAsync(HttpMethod.Get, "/v1/jobs", await api.KeyAsync(ApiScope.Read));

        token.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("Api:GoogleAudience", (string)token.Body!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, key.Status);
    }

    [Fact]
    public async Task Api_google_audience_names_the_audience_tokens_must_carry()
    {
        const string Audience = "987654321-integrations.apps.googleusercontent.com";
        await using var api = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Api:GoogleAudience"] = Audience });
        var now = TimeProvider.System.GetUtcNow();

        var ours = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.Google.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now, Audience)));
        var addons = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.GoogleToken());

        Assert.Equal(HttpStatusCode.OK, ours.Status);
        addons.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_openapi_document_needs_no_credentials()
    {
        var answer = await Api.SendAsync(HttpMethod.Get, "/v1/openapi.json", null);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("3.1.0", (string)answer.Body!["openapi"]!);
    }

    private async Task<ApiAnswer> SendRawAsync(HttpMethod method, string path, string? authorization, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await Api.Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, text, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string Forged(string kid, JsonObject claims)
    {
        using var forger = new TestSigningKey(kid);
        return forger.Mint(claims);
    }

    private static JsonObject With(JsonObject claims, string name, JsonNode? value)
    {
        claims[name] = value;
        return claims;
    }

    private static JsonObject Without(JsonObject claims, string name)
    {
        claims.Remove(name);
        return claims;
    }
}
