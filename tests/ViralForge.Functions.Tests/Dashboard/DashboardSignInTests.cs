using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Functions.Dashboard;
using ViralForge.Functions.Tests.Addon;
using ViralForge.Functions.Tests.Auth;

namespace ViralForge.Functions.Tests.Dashboard;

/// <summary>
/// The dashboard behind Google sign-in (Dashboard:Auth google), as production serves it: a Google ID token for the
/// dashboard's own OAuth client, in the sign-in cookie or an Authorization header, whose verified email is on the
/// add-on's allow-list. Google's keys are served by WireMock.
/// </summary>
public sealed class DashboardSignInTests
{
    public const string WebClientId = "99887766-dashboardwebclient.apps.googleusercontent.com";

    private static Task<AddonHost> StartAsync() => AddonHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Dashboard:Auth"] = "google",
        ["Dashboard:OAuthClientId"] = WebClientId,
    });

    private static JsonObject Claims(string email, DateTimeOffset now) => AddonHost.IdentityClaims(email, now, WebClientId);

    public static TheoryData<string, HttpStatusCode> Breakages => new()
    {
        { "no-token", HttpStatusCode.Unauthorized },
        { "empty-cookie", HttpStatusCode.Unauthorized },
        { "malformed", HttpStatusCode.Unauthorized },
        { "alg-none", HttpStatusCode.Unauthorized },
        { "bad-signature", HttpStatusCode.Unauthorized },
        { "unknown-kid", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
        { "add-on-audience", HttpStatusCode.Unauthorized },
        { "wrong-issuer", HttpStatusCode.Unauthorized },
        { "email-unverified", HttpStatusCode.Forbidden },
        { "no-email", HttpStatusCode.Forbidden },
        { "email-not-allowed", HttpStatusCode.Forbidden },
        { "allowed-domain-but-other-workspace", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_bad_sign_in_sees_no_job_and_changes_nothing(string breakage, HttpStatusCode expected)
    {
        await using var host = await StartAsync();
        var job = await DashboardSeed.SubmitAsync(host.Host, "Secret topic nobody may see");
        var now = TimeProvider.System.GetUtcNow();
        string? cookie;
        switch (breakage)
        {
            case "no-token": cookie = null; break;
            case "empty-cookie": cookie = ""; break;
            case "malformed": cookie = "not.a.jwt-at-all"; break;
            case "alg-none":
                cookie = TestSigningKey.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + TestSigningKey.Encode(Claims(AddonHost.Ana, now)) + ".";
                break;
            case "bad-signature":
                using (var forger = new TestSigningKey(host.Google.Kid))
                {
                    cookie = forger.Mint(Claims(AddonHost.Ana, now));
                }
                break;
            case "unknown-kid":
                using (var stranger = new TestSigningKey("not-googles-kid"))
                {
                    cookie = stranger.Mint(Claims(AddonHost.Ana, now));
                }
                break;
            case "expired": cookie = host.Google.Mint(Claims(AddonHost.Ana, now.AddHours(-3))); break;
            case "add-on-audience": cookie = host.IdentityToken(); break; // a genuine token, but for the add-on's client
            case "wrong-issuer": cookie = host.Google.Mint(With(Claims(AddonHost.Ana, now), "iss", "https://evil.example.com")); break;
            case "email-unverified": cookie = host.Google.Mint(With(Claims(AddonHost.Ana, now), "email_verified", false)); break;
            case "no-email":
                var claims = Claims(AddonHost.Ana, now);
                claims.Remove("email");
                cookie = host.Google.Mint(claims);
                break;
            case "email-not-allowed": cookie = host.Google.Mint(Claims("bob@example.com", now)); break;
            case "allowed-domain-but-other-workspace":
                cookie = host.Google.Mint(With(Claims("mallory@allowed.example", now), "hd", "other.example"));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage));
        }

        foreach (var path in new[] { "/", $"/job/{job}", "/events" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (cookie is not null)
            {
                request.Headers.TryAddWithoutValidation("Cookie", $"{DashboardOptions.TokenCookie}={cookie}");
            }
            using var response = await host.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{path}: {response.StatusCode} {body}");
            Assert.DoesNotContain("Secret topic", body, StringComparison.Ordinal);
            if (path == "/" && expected == HttpStatusCode.Unauthorized)
            {
                // The sign-in page asks Google Identity Services for a token for the dashboard's client.
                Assert.Contains($"data-client_id=\"{WebClientId}\"", body, StringComparison.Ordinal);
                Assert.Contains("https://accounts.google.com/gsi/client", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            }
        }

        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/job/{job}/cancel")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["generation"] = "1" }),
        };
        cancel.Headers.TryAddWithoutValidation("Origin", host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        if (cookie is not null)
        {
            cancel.Headers.TryAddWithoutValidation("Cookie", $"{DashboardOptions.TokenCookie}={cookie}");
        }
        using var refused = await host.Client.SendAsync(cancel);
        Assert.Equal(expected, refused.StatusCode);
        Assert.Equal("queued", (await host.Host.Get<Core.Ports.IJobStore>().GetAsync(job, CancellationToken.None))!.Status);
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("bearer")]
    public async Task An_allowed_person_signed_in_with_google_sees_every_job(string carrier)
    {
        await using var host = await StartAsync();
        await DashboardSeed.SubmitAsync(host.Host, "Sourdough in three steps");
        var token = host.Google.Mint(Claims("lee@allowed.example", TimeProvider.System.GetUtcNow()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (carrier == "cookie")
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{DashboardOptions.TokenCookie}={token}");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }
        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sourdough in three steps", body, StringComparison.Ordinal);
        Assert.Contains("lee@allowed.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_auth_without_a_client_id_serves_no_dashboard()
    {
        await using var host = await AddonHost.StartAsync(settings: new Dictionary<string, string?> { ["Dashboard:Auth"] = "google" });
        using var response = await host.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static JsonObject With(JsonObject claims, string name, JsonNode? value)
    {
        claims[name] = value;
        return claims;
    }
}
