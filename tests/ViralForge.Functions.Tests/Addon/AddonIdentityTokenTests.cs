using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Ports;
using ViralForge.Functions.Tests.Auth;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>POST /jobs takes only the add-on's identity tokens: every kind of bad one is refused before a job is made.</summary>
public sealed class AddonIdentityTokenTests
{
    private const string CloudTasksAudience = "https://vf-stages-abc123-uc.a.run.app";

    public static TheoryData<string, HttpStatusCode> Breakages() => new()
    {
        { "missing-header", HttpStatusCode.Unauthorized },
        { "not-bearer", HttpStatusCode.Unauthorized },
        { "empty-bearer", HttpStatusCode.Unauthorized },
        { "malformed", HttpStatusCode.Unauthorized },
        { "alg-none", HttpStatusCode.Unauthorized },
        { "bad-signature", HttpStatusCode.Unauthorized },
        { "unknown-kid", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
        { "cloud-tasks-audience", HttpStatusCode.Unauthorized },
        { "wrong-issuer", HttpStatusCode.Unauthorized },
        { "api-key-instead", HttpStatusCode.Unauthorized },
        { "email-unverified", HttpStatusCode.Forbidden },
        { "no-email", HttpStatusCode.Forbidden },
        { "email-not-allowed", HttpStatusCode.Forbidden },
        { "domain-not-allowed", HttpStatusCode.Forbidden },
        { "allowed-domain-but-other-workspace", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_bad_identity_token_is_refused_and_no_job_is_made(string breakage, HttpStatusCode expected)
    {
        await using var addon = await AddonHost.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        string? authorization;
        switch (breakage)
        {
            case "missing-header": authorization = null; break;
            case "not-bearer": authorization = "Basic " + Convert.ToBase64String("ana:secret"u8.ToArray()); break;
            case "empty-bearer": authorization = "Bearer "; break;
            case "malformed": authorization = "Bearer not.a.jwt-at-all"; break;
            case "alg-none": authorization = "Bearer " + Unsigned(AddonHost.IdentityClaims(AddonHost.Ana, now)); break;
            case "bad-signature":
                using (var forger = new TestSigningKey(addon.Google.Kid))
                {
                    authorization = "Bearer " + forger.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now));
                }
                break;
            case "unknown-kid":
                using (var stranger = new TestSigningKey("not-googles-kid"))
                {
                    authorization = "Bearer " + stranger.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now));
                }
                break;
            case "expired": authorization = "Bearer " + addon.Google.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now.AddHours(-3))); break;
            case "cloud-tasks-audience": authorization = "Bearer " + addon.Google.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now, CloudTasksAudience)); break;
            case "wrong-issuer": authorization = "Bearer " + addon.Google.Mint(With(AddonHost.IdentityClaims(AddonHost.Ana, now), "iss", "https://evil.example.com")); break;
            case "api-key-instead": authorization = "Bearer " + await addon.IssueKeyAsync(); break;
            case "email-unverified": authorization = "Bearer " + addon.Google.Mint(With(AddonHost.IdentityClaims(AddonHost.Ana, now), "email_verified", false)); break;
            case "no-email":
                var claims = AddonHost.IdentityClaims(AddonHost.Ana, now);
                claims.Remove("email");
                authorization = "Bearer " + addon.Google.Mint(claims);
                break;
            case "email-not-allowed": authorization = "Bearer " + addon.IdentityToken("bob@example.com"); break;
            case "domain-not-allowed": authorization = "Bearer " + addon.IdentityToken("eve@gmail.com"); break;
            case "allowed-domain-but-other-workspace":
                authorization = "Bearer " + addon.Google.Mint(With(AddonHost.IdentityClaims("mallory@allowed.example", now), "hd", "other.example"));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage));
        }
        using var request = AddonHost.Request(HttpMethod.Post, "/jobs", null, AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await addon.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), "the sidebar shows the detail");
        Assert.Empty(await addon.Host.Get<IJobStore>().ListBySheetAsync($"gsheet:{AddonHost.SpreadsheetId}/Ideas", CancellationToken.None));
    }

    [Fact]
    public async Task A_person_not_allowed_is_told_so_by_email()
    {
        await using var addon = await AddonHost.StartAsync();

        var (response, body) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]), addon.IdentityToken("Bob@Example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("bob@example.com is not allowed to use ViralForge", (string)body!["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ana@example.com", null)]
    [InlineData("ANA@Example.com", null)]
    [InlineData("zed@allowed.example", "allowed.example")]
    [InlineData("zed@allowed.example", null)]
    public async Task Allowed_people_by_email_or_domain_get_their_rows_submitted(string email, string? hostedDomain)
    {
        await using var addon = await AddonHost.StartAsync();
        var claims = AddonHost.IdentityClaims(email);
        if (hostedDomain is not null)
        {
            claims["hd"] = hostedDomain;
        }

        var (response, body) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]), addon.Google.Mint(claims));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body!["results"]![0]!["created"]!);
    }

    [Fact]
    public async Task The_add_on_endpoints_are_not_served_without_an_oauth_client_id()
    {
        await using var addon = await AddonHost.StartAsync(settings: new Dictionary<string, string?> { ["Addon:OAuthClientId"] = null });

        foreach (var (method, path) in new[] { (HttpMethod.Post, "/jobs"), (HttpMethod.Post, "/jobs/status"), (HttpMethod.Post, "/keys"), (HttpMethod.Delete, "/keys") })
        {
            var (response, _) = await addon.SendAsync(method, path, addon.IdentityToken(), "{}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        // and the job status endpoint takes only the queue's callers, as before
        var (status, _) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{Guid.NewGuid()}", addon.IdentityToken());
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
    }

    [Fact]
    public async Task Job_status_takes_the_queue_token_an_identity_token_or_an_api_key()
    {
        await using var addon = await AddonHost.StartAsync();
        var (_, submitted) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        var jobId = (string)submitted!["results"]![0]!["jobId"]!;
        var key = await addon.IssueKeyAsync();

        foreach (var bearer in new[] { TestHost.Token, addon.IdentityToken(), key })
        {
            var (response, body) = await addon.SendAsync(HttpMethod.Get, $"/jobs/{jobId}", bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(jobId, (string)body!["id"]!);
            Assert.Equal("queued", (string)body["status"]!);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await addon.SendAsync(HttpMethod.Get, $"/jobs/{jobId}", null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await addon.SendAsync(HttpMethod.Get, $"/jobs/{jobId}", "vfk_" + new string('A', 43))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await addon.SendAsync(HttpMethod.Get, $"/jobs/{jobId}", addon.IdentityToken("bob@example.com"))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await addon.SendAsync(HttpMethod.Get, $"/jobs/{Guid.NewGuid()}", key)).Response.StatusCode);
    }

    private static JsonObject With(JsonObject claims, string name, JsonNode? value)
    {
        claims[name] = value;
        return claims;
    }

    private static string Unsigned(JsonObject claims) =>
        TestSigningKey.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + TestSigningKey.Encode(claims) + ".";
}
