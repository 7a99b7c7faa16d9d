using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Tests.Auth;

/// <summary>The token checks one by one, on a fake clock, against a key set served by WireMock.</summary>
public sealed class GoogleOidcAuthenticatorTests : IDisposable
{
    private const string Audience = "https://vf-script-123456789012.europe-west1.run.app";
    private const string Invoker = "vf-tasks-invoker@viralforge-prod.iam.gserviceaccount.com";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly JwksServer jwks = new();
    private readonly TestSigningKey google = new("google-key-1");
    private readonly HttpClient http = new();
    private readonly GoogleOidcAuthenticator authenticator;

    public GoogleOidcAuthenticatorTests()
    {
        jwks.Serve([google]);
        var options = Options.Create(new GoogleOidcOptions
        {
            Audience = Audience,
            AllowedServiceAccounts = [Invoker],
            JwksUri = jwks.JwksUri,
        });
        authenticator = new GoogleOidcAuthenticator(options, new GoogleSigningKeys(http, options, time, NullLogger<GoogleSigningKeys>.Instance), time);
    }

    private DateTimeOffset Now => time.GetUtcNow();

    [Fact]
    public async Task A_genuine_cloud_tasks_token_is_trusted()
    {
        var decision = await AuthenticateAsync(google.Mint(TestSigningKey.Claims(Audience, Invoker, Now)));

        Assert.Equal(InboundVerdict.Trusted, decision.Verdict);
    }

    [Fact]
    public async Task The_issuer_without_a_scheme_is_Google_too()
    {
        var claims = TestSigningKey.Claims(Audience, Invoker, Now);
        claims["iss"] = "accounts.google.com";

        Assert.Equal(InboundVerdict.Trusted, (await AuthenticateAsync(google.Mint(claims))).Verdict);
    }

    [Theory]
    [InlineData(-1, InboundVerdict.Trusted)]
    [InlineData(59, InboundVerdict.Trusted)]          // within the 60 s skew
    [InlineData(61, InboundVerdict.Unauthenticated)]
    [InlineData(3600, InboundVerdict.Unauthenticated)]
    public async Task Expiry_is_judged_on_the_injected_clock_with_the_skew(int secondsPastExpiry, InboundVerdict expected)
    {
        var token = google.Mint(TestSigningKey.Claims(Audience, Invoker, Now));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(secondsPastExpiry));

        Assert.Equal(expected, (await AuthenticateAsync(token)).Verdict);
    }

    [Theory]
    [InlineData("nbf", 59, InboundVerdict.Trusted)]
    [InlineData("nbf", 61, InboundVerdict.Unauthenticated)]
    [InlineData("iat", 59, InboundVerdict.Trusted)]
    [InlineData("iat", 61, InboundVerdict.Unauthenticated)]
    public async Task A_token_from_the_future_is_refused_beyond_the_skew(string claim, int secondsAhead, InboundVerdict expected)
    {
        var claims = TestSigningKey.Claims(Audience, Invoker, Now);
        claims[claim] = Now.AddSeconds(secondsAhead).ToUnixTimeSeconds();

        Assert.Equal(expected, (await AuthenticateAsync(google.Mint(claims))).Verdict);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("aud")]
    [InlineData("iss")]
    public async Task A_token_missing_a_required_claim_is_refused(string claim)
    {
        var claims = TestSigningKey.Claims(Audience, Invoker, Now);
        claims.Remove(claim);

        Assert.Equal(InboundVerdict.Unauthenticated, (await AuthenticateAsync(google.Mint(claims))).Verdict);
    }

    public static TheoryData<string?, InboundVerdict> EmailVerifiedValues() => new()
    {
        { "true", InboundVerdict.Trusted },
        { "\"true\"", InboundVerdict.Trusted }, // older Google tokens carry it as a string
        { "false", InboundVerdict.Forbidden },
        { "\"false\"", InboundVerdict.Forbidden },
        { "1", InboundVerdict.Forbidden },
        { null, InboundVerdict.Forbidden },
    };

    [Theory]
    [MemberData(nameof(EmailVerifiedValues))]
    public async Task Only_a_verified_email_counts(string? emailVerified, InboundVerdict expected)
    {
        var claims = TestSigningKey.Claims(Audience, Invoker, Now);
        claims["email_verified"] = emailVerified is null ? null : JsonNode.Parse(emailVerified);
        if (emailVerified is null)
        {
            claims.Remove("email_verified");
        }

        Assert.Equal(expected, (await AuthenticateAsync(google.Mint(claims))).Verdict);
    }

    [Fact]
    public async Task A_genuine_token_without_an_email_is_forbidden()
    {
        var claims = TestSigningKey.Claims(Audience, Invoker, Now);
        claims.Remove("email");

        Assert.Equal(InboundVerdict.Forbidden, (await AuthenticateAsync(google.Mint(claims))).Verdict);
    }

    [Fact]
    public async Task The_allow_list_ignores_the_case_of_an_email()
    {
        var token = google.Mint(TestSigningKey.Claims(Audience, Invoker.ToUpperInvariant(), Now));

        Assert.Equal(InboundVerdict.Trusted, (await AuthenticateAsync(token)).Verdict);
    }

    [Fact]
    public async Task An_HS256_token_keyed_with_Googles_public_key_is_refused()
    {
        // The classic algorithm confusion: the public modulus, which anyone can read from the JWKS, used as an HMAC secret.
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = google.Kid, ["typ"] = "JWT" };
        var signingInput = TestSigningKey.Encode(header) + "." + TestSigningKey.Encode(TestSigningKey.Claims(Audience, Invoker, Now));
        var secret = Base64UrlEncoder.DecodeBytes(google.Jwk()["n"]!.GetValue<string>());
        var mac = System.Security.Cryptography.HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));

        var decision = await AuthenticateAsync(signingInput + "." + Base64UrlEncoder.Encode(mac));

        Assert.Equal(InboundVerdict.Unauthenticated, decision.Verdict);
    }

    [Fact]
    public async Task A_token_with_a_signature_cut_off_is_refused()
    {
        var token = google.Mint(TestSigningKey.Claims(Audience, Invoker, Now));

        Assert.Equal(InboundVerdict.Unauthenticated, (await AuthenticateAsync(token[..(token.LastIndexOf('.') + 1)])).Verdict);
    }

    [Fact]
    public async Task A_payload_changed_after_signing_is_refused()
    {
        var genuine = google.Mint(TestSigningKey.Claims(Audience, "someone-else@viralforge-prod.iam.gserviceaccount.com", Now)).Split('.');
        var forged = genuine[0] + "." + TestSigningKey.Encode(TestSigningKey.Claims(Audience, Invoker, Now)) + "." + genuine[2];

        Assert.Equal(InboundVerdict.Unauthenticated, (await AuthenticateAsync(forged)).Verdict);
    }

    [Fact]
    public async Task The_reason_never_repeats_the_token()
    {
        var token = google.Mint(TestSigningKey.Claims("https://elsewhere.example", Invoker, Now));

        var decision = await AuthenticateAsync(token);

        Assert.Equal(InboundVerdict.Unauthenticated, decision.Verdict);
        Assert.DoesNotContain(token.Split('.')[1], decision.Reason!, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], decision.Reason!, StringComparison.Ordinal);
    }

    private ValueTask<InboundDecision> AuthenticateAsync(string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer " + token;
        return authenticator.AuthenticateAsync(context.Request, CancellationToken.None);
    }

    public void Dispose()
    {
        http.Dispose();
        jwks.Dispose();
        google.Dispose();
    }
}
