using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Functions.Tests.Simulated;

namespace ViralForge.Functions.Tests.Auth;

/// <summary>Every stage endpoint, with Cloud Tasks OIDC checks on, refuses each kind of bad token before its handler runs.</summary>
public sealed class GoogleOidcAuthTests
{
    private const string Audience = "https://vf-stages-abc123-uc.a.run.app";
    private const string Invoker = "vf-tasks-invoker@viralforge-prod.iam.gserviceaccount.com";

    public static TheoryData<string, string, HttpStatusCode> Cases()
    {
        var data = new TheoryData<string, string, HttpStatusCode>();
        (string Case, HttpStatusCode Status)[] cases =
        [
            ("missing-header", HttpStatusCode.Unauthorized),
            ("bearer-only", HttpStatusCode.Unauthorized),
            ("not-a-jwt", HttpStatusCode.Unauthorized),
            ("alg-none", HttpStatusCode.Unauthorized),
            ("bad-signature", HttpStatusCode.Unauthorized),
            ("unknown-kid", HttpStatusCode.Unauthorized),
            ("expired", HttpStatusCode.Unauthorized),
            ("wrong-audience", HttpStatusCode.Unauthorized),
            ("other-service", HttpStatusCode.Unauthorized),
            ("wrong-issuer", HttpStatusCode.Unauthorized),
            ("wrong-email", HttpStatusCode.Forbidden),
            ("email-unverified", HttpStatusCode.Forbidden),
        ];
        foreach (var stage in StageOrder.InOrder)
        {
            foreach (var (name, status) in cases)
            {
                data.Add(stage.Wire(), name, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_token_is_refused_before_the_stage_runs(string stage, string breakage, HttpStatusCode expected)
    {
        using var google = new SimulatedGoogleCloud();
        await using var host = await StartAsync(google);
        var job = await SubmitJobAsync(host);

        using var request = StageRequest(stage, job.Id);
        var now = TimeProvider.System.GetUtcNow();
        var authorization = breakage switch
        {
            "missing-header" => null,
            "bearer-only" => "Bearer ",
            "not-a-jwt" => "Bearer not.a.jwt-at-all",
            "alg-none" => "Bearer " + Unsigned(Audience, Invoker, now),
            "bad-signature" => "Bearer " + ForeignKey(google.Tokens.Kid).Mint(Audience, Invoker, now),
            "unknown-kid" => "Bearer " + ForeignKey("some-other-kid").Mint(Audience, Invoker, now),
            "expired" => "Bearer " + google.Tokens.Mint(Audience, Invoker, now.AddHours(-3), TimeSpan.FromHours(1)),
            "wrong-audience" => "Bearer " + google.Tokens.Mint("https://example.com", Invoker, now),
            "other-service" => "Bearer " + google.Tokens.Mint("https://vf-publish-zzz999-uc.a.run.app", Invoker, now),
            "wrong-issuer" => "Bearer " + google.Tokens.Mint(Audience, Invoker, now, issuer: "https://evil.example.com"),
            "wrong-email" => "Bearer " + google.Tokens.Mint(Audience, "someone@viralforge-prod.iam.gserviceaccount.com", now),
            "email-unverified" => "Bearer " + google.Tokens.Mint(Audience, Invoker, now, emailVerified: false),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        var store = host.Get<IJobStore>();
        Assert.Empty(await store.ListStageRunsAsync(job.Id, CancellationToken.None));
        Assert.DoesNotContain(await store.ListEventsAsync(job.Id, CancellationToken.None), e => e.Kind == "started");
    }

    public static TheoryData<string> Stages() => [.. StageOrder.InOrder.Select(s => s.Wire())];

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task A_genuine_cloud_tasks_token_reaches_the_handler(string stage)
    {
        using var google = new SimulatedGoogleCloud();
        await using var host = await StartAsync(google);
        using var request = StageRequest(stage, Guid.NewGuid());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", google.Tokens.Mint(Audience, Invoker, TimeProvider.System.GetUtcNow()));

        using var response = await host.Client.SendAsync(request);

        // The stage runner answered: the job does not exist, so there is nothing to do.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("skipped", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_keys_out_of_reach_answer_503_so_the_queue_retries_and_the_stage_does_not_run()
    {
        using var jwks = new JwksServer();
        jwks.Fail(500);
        using var google = new SimulatedGoogleCloud();
        await using var host = await StartAsync(jwksUri: jwks.JwksUri);
        var job = await SubmitJobAsync(host);
        using var request = StageRequest("script", job.Id);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", google.Tokens.Mint(Audience, Invoker, TimeProvider.System.GetUtcNow()));

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.True(jwks.Fetches >= 2, $"the resilience handler retries the GET; {jwks.Fetches} fetch(es)");
        Assert.Empty(await host.Get<IJobStore>().ListStageRunsAsync(job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Job_status_needs_a_token_too()
    {
        using var google = new SimulatedGoogleCloud();
        await using var host = await StartAsync(google);

        using var response = await host.Client.GetAsync($"/jobs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Google:Auth:Audience", null, "Google:Auth:Audience")]
    [InlineData("Google:Auth:Audience", "vf-script", "Google:Auth:Audience")]
    [InlineData("Google:Auth:AllowedServiceAccounts:0", null, "Google:Auth:AllowedServiceAccounts")]
    [InlineData("Google:Auth:ClockSkew", "00:10:00", "Google:Auth:ClockSkew")]
    [InlineData("Google:Auth:KeyCacheDuration", "00:00:05", "Google:Auth:KeyCacheDuration")]
    [InlineData("Google:Auth:JwksUri", "certs.json", "Google:Auth:JwksUri")]
    [InlineData("Google:Auth:AllowedServiceAccounts:0", " ", "Google:Auth:AllowedServiceAccounts:0")]
    [InlineData("Google:Auth:Issuers:0", "", "Google:Auth:Issuers:2 is empty")] // bound lists add to their defaults
    public async Task Start_up_names_a_bad_auth_setting(string key, string? value, string named)
    {
        using var google = new SimulatedGoogleCloud();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(google.BaseUrl + "oauth2/v3/certs", (key, value)));

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_refuses_an_unknown_inbound_auth_mode()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(dispatch: false, settings: new Dictionary<string, string?>
        {
            ["ViralForge:InboundAuth"] = "oidc",
        }));

        Assert.Contains("ViralForge:InboundAuth 'oidc'", error.Message, StringComparison.Ordinal);
    }

    private static Task<TestHost> StartAsync(SimulatedGoogleCloud google) => StartAsync(google.BaseUrl + "oauth2/v3/certs");

    private static Task<TestHost> StartAsync(string jwksUri, (string Key, string? Value)? change = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ViralForge:InboundAuth"] = "google-oidc",
            ["Google:Auth:Audience"] = Audience,
            ["Google:Auth:AllowedServiceAccounts:0"] = Invoker,
            ["Google:Auth:JwksUri"] = jwksUri,
        };
        if (change is { Value: null } removal)
        {
            settings.Remove(removal.Key);
        }
        else if (change is { } c)
        {
            settings[c.Key] = c.Value;
        }
        return TestHost.StartAsync(dispatch: false, settings: settings);
    }

    private static async Task<Job> SubmitJobAsync(TestHost host)
    {
        var request = new VideoRequest("Why cats sleep so much", Platforms.YouTube, 30, "energetic", "en", "en", null, [], "");
        var submission = await host.Get<IJobStore>().SubmitAsync("auth-test.csv", Guid.NewGuid().ToString("N"), request, CancellationToken.None);
        return submission.Job;
    }

    private static HttpRequestMessage StageRequest(string stage, Guid jobId) =>
        new(HttpMethod.Post, $"/stages/{stage}")
        {
            Content = new StringContent($$"""{"jobId":"{{jobId}}","generation":1}""", Encoding.UTF8, "application/json"),
        };

    /// <summary>A token signed by a key Google never published (optionally claiming Google's kid).</summary>
    private static TestSigningKey ForeignKey(string kid) => new(kid);

    /// <summary>An "alg":"none" token with perfect claims: must never be accepted.</summary>
    private static string Unsigned(string audience, string email, DateTimeOffset now)
    {
        var handler = new JwtSecurityTokenHandler();
        var token = new JwtSecurityToken(
            TestSigningKey.GoogleIssuer, audience, [new Claim("email", email), new Claim("email_verified", "true", ClaimValueTypes.Boolean)],
            now.UtcDateTime, now.AddHours(1).UtcDateTime);
        return handler.WriteToken(token);
    }
}
