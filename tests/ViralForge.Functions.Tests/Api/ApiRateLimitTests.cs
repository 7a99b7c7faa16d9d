using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Functions.Api;

namespace ViralForge.Functions.Tests.Api;

/// <summary>Requests per minute per API key or Google account: over it, 429 problem+json with Retry-After.</summary>
public sealed class ApiRateLimitTests
{
    [Fact]
    public async Task Over_the_limit_a_key_gets_429_with_retry_after_and_other_keys_do_not()
    {
        await using var api = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "3" });
        var busy = await api.KeyAsync(ApiScope.Read, owner: "zapier");
        var sameOwner = await api.KeyAsync(ApiScope.Read, owner: "zapier");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/v1/jobs", busy)).Status);
        }

        var refused = await api.SendAsync(HttpMethod.Get, "/v1/jobs", busy);
        var other = await api.SendAsync(HttpMethod.Get, "/v1/jobs", sameOwner);
        var google = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.GoogleToken());

        refused.AssertProblem(HttpStatusCode.TooManyRequests);
        var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After in seconds");
        Assert.InRange(retryAfter.TotalSeconds, 1, 60);
        Assert.Equal($"Too many requests with this API key: 3 a minute are allowed; try again in {(int)retryAfter.TotalSeconds} s.", (string)refused.Body!["detail"]!);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(HttpStatusCode.OK, google.Status);
    }

    [Fact]
    public async Task A_google_account_has_its_own_limit()
    {
        await using var api = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "1" });

        var first = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.GoogleToken());
        var second = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.GoogleToken());
        var zed = await api.SendAsync(HttpMethod.Get, "/v1/jobs", api.GoogleToken("zed@allowed.example"));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("this Google account", (string)second.Body!["detail"]!, StringComparison.Ordinal);
        second.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, zed.Status);
    }

    [Fact]
    public void The_window_is_a_minute_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero));
        var limiter = new ApiRateLimiter(Options.Create(new ApiOptions { RequestsPerMinute = 2 }), time);

        Assert.True(limiter.TryAcquire("key:1", out _));
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(limiter.TryAcquire("key:1", out _));
        Assert.False(limiter.TryAcquire("key:1", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(10), retryAfter);
        Assert.True(limiter.TryAcquire("key:2", out _));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("key:1", out _));
    }

    [Theory]
    [InlineData("Api:RequestsPerMinute", "0")]
    [InlineData("Api:MaxRowsPerRequest", "5000")]
    [InlineData("Api:DefaultPageSize", "500")]
    [InlineData("Api:IdempotencyWindow", "00:00:10")]
    public void A_bad_setting_is_named(string setting, string value)
    {
        var options = new ApiOptions();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        configuration.GetSection(ApiOptions.SectionName).Bind(options);

        var result = new ApiOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }
}
