using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Functions.Addon;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>Each person's requests per minute: over the limit the answer is 429 with Retry-After and the contract's sentence.</summary>
public sealed class AddonRateLimitTests
{
    [Fact]
    public async Task Over_the_limit_a_person_gets_429_with_retry_after_and_the_sentence()
    {
        await using var addon = await AddonHost.StartAsync(settings: new Dictionary<string, string?> { ["Addon:RequestsPerMinute"] = "3" });
        var key = await addon.IssueKeyAsync(); // 1
        const string Ids = """{"jobIds": []}""";
        Assert.Equal(HttpStatusCode.OK, (await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, Ids)).Response.StatusCode); // 2
        Assert.Equal(HttpStatusCode.OK, (await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, Ids)).Response.StatusCode); // 3

        var (response, body) = await addon.SendAsync(HttpMethod.Post, "/jobs/status", key, Ids);
        var (submit, _) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]));
        var (other, _) = await addon.SubmitAsync(AddonHost.Batch([(5, "Three tips for sourdough", "30")]), addon.IdentityToken("zed@allowed.example"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After in seconds");
        Assert.InRange(retryAfter.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"Too many requests from ana@example.com: 3 a minute are allowed; try again in {(int)retryAfter.TotalSeconds} s.", (string)body!["detail"]!);
        // The limit is the person's, over every endpoint: Ana's identity token is refused too, Zed's is not.
        Assert.Equal(HttpStatusCode.TooManyRequests, submit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_queue_is_not_rate_limited_on_job_status()
    {
        await using var addon = await AddonHost.StartAsync(settings: new Dictionary<string, string?> { ["Addon:RequestsPerMinute"] = "1" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await addon.SendAsync(HttpMethod.Get, $"/jobs/{Guid.NewGuid()}", TestHost.Token)).Response.StatusCode);
        }
    }

    [Fact]
    public void The_window_is_a_minute_on_the_injected_clock_and_retry_after_counts_down()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 18, 0, 0, TimeSpan.Zero));
        var limiter = new AddonRateLimiter(Options.Create(new AddonOptions { RequestsPerMinute = 2 }), time);

        Assert.True(limiter.TryAcquire("ana@example.com", out _));
        time.Advance(TimeSpan.FromSeconds(48));
        Assert.True(limiter.TryAcquire("ANA@example.com", out _));
        Assert.False(limiter.TryAcquire("ana@example.com", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(12), retryAfter);
        Assert.True(limiter.TryAcquire("bo@example.com", out _));

        time.Advance(TimeSpan.FromSeconds(12));
        Assert.True(limiter.TryAcquire("ana@example.com", out _));
    }
}
