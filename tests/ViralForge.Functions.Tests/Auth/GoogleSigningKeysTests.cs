using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Tests.Auth;

/// <summary>Fetching, caching and refetching Google's key set: key rotation, forged key ids, Google being down.</summary>
public sealed class GoogleSigningKeysTests : IDisposable
{
    private const string Audience = "https://vf-voice-123456789012.europe-west1.run.app";
    private const string Invoker = "vf-tasks-invoker@viralforge-prod.iam.gserviceaccount.com";
    private static readonly TimeSpan CacheDuration = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly JwksServer jwks = new();
    private readonly TestSigningKey current = new("google-key-1");
    private readonly TestSigningKey next = new("google-key-2");
    private readonly HttpClient http = new();
    private readonly GoogleOidcAuthenticator authenticator;

    public GoogleSigningKeysTests()
    {
        var options = Options.Create(new GoogleOidcOptions
        {
            Audience = Audience,
            AllowedServiceAccounts = [Invoker],
            JwksUri = jwks.JwksUri,
            KeyCacheDuration = CacheDuration,
        });
        authenticator = new GoogleOidcAuthenticator(options, new GoogleSigningKeys(http, options, time, NullLogger<GoogleSigningKeys>.Instance), time);
    }

    [Fact]
    public async Task The_key_set_is_fetched_once_for_many_tokens()
    {
        jwks.Serve([current]);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(current))));

        Assert.Equal(1, jwks.Fetches);
    }

    [Fact]
    public async Task The_key_set_is_fetched_again_when_the_cache_duration_ends()
    {
        jwks.Serve([current]);
        await VerdictAsync(current);

        time.Advance(CacheDuration - TimeSpan.FromSeconds(1));
        await VerdictAsync(current);
        Assert.Equal(1, jwks.Fetches);

        time.Advance(TimeSpan.FromSeconds(2));
        await VerdictAsync(current);
        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task A_shorter_max_age_from_Google_wins()
    {
        jwks.Serve([current], maxAge: TimeSpan.FromMinutes(2));
        await VerdictAsync(current);

        time.Advance(TimeSpan.FromMinutes(2));
        await VerdictAsync(current);

        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task A_token_signed_with_a_newly_published_key_is_trusted_after_one_refetch()
    {
        jwks.Serve([current]);
        Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(current));

        // Google publishes the next key, then starts signing with it, well inside the cache duration.
        jwks.Serve([current, next]);
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(next));
        Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(current));
        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task Forged_key_ids_cannot_make_the_service_hammer_Google()
    {
        jwks.Serve([current]);
        await VerdictAsync(current);
        time.Advance(GoogleSigningKeys.MinRefetchInterval);

        for (var i = 0; i < 25; i++)
        {
            using var forger = new TestSigningKey($"forged-{i}");
            Assert.Equal(InboundVerdict.Unauthenticated, await VerdictAsync(forger));
        }

        Assert.Equal(2, jwks.Fetches); // one refetch for the first unknown kid, none for the rest
    }

    [Fact]
    public async Task Google_down_from_the_start_answers_unavailable_until_a_fetch_succeeds()
    {
        jwks.Fail(500);
        Assert.Equal(InboundVerdict.Unavailable, await VerdictAsync(current));

        jwks.Serve([current]);
        Assert.Equal(InboundVerdict.Unavailable, await VerdictAsync(current)); // too soon to ask Google again
        Assert.Equal(1, jwks.Fetches);

        time.Advance(GoogleSigningKeys.MinRefetchInterval);
        Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(current));
        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task Google_down_later_keeps_the_keys_fetched_before()
    {
        jwks.Serve([current]);
        await VerdictAsync(current);
        jwks.Fail(503);

        time.Advance(CacheDuration + TimeSpan.FromMinutes(1));
        Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(current));
        Assert.Equal(InboundVerdict.Trusted, await VerdictAsync(current));

        Assert.Equal(2, jwks.Fetches); // the failed refetch is not repeated by every request
    }

    [Theory]
    [InlineData("<html>Sorry</html>")]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""{"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":"k","n":"","e":""}]}""")]
    public async Task A_body_that_is_not_a_usable_key_set_counts_as_a_failed_fetch(string body)
    {
        jwks.Fail(200, body);

        Assert.Equal(InboundVerdict.Unavailable, await VerdictAsync(current));
    }

    private async Task<InboundVerdict> VerdictAsync(TestSigningKey key)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer " + key.Mint(TestSigningKey.Claims(Audience, Invoker, time.GetUtcNow()));
        return (await authenticator.AuthenticateAsync(context.Request, CancellationToken.None)).Verdict;
    }

    public void Dispose()
    {
        http.Dispose();
        jwks.Dispose();
        current.Dispose();
        next.Dispose();
    }
}
