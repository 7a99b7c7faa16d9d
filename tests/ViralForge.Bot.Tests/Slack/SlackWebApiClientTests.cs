using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Bot.Slack;
using ViralForge.Core.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>The Web API client against WireMock answering as Slack does, failures included.</summary>
public sealed class SlackWebApiClientTests
{
    private const string Json = "application/json; charset=utf-8";

    [Fact]
    public async Task A_rate_limited_call_waits_for_Retry_After_and_then_goes_through()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).InScenario("rate").WillSetStateTo("served")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody(""));
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).InScenario("rate").WhenStateIs("served")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", Json).WithBody("""{"ok":true,"channel":"C0REVIEW","ts":"1.2"}"""));
        using var services = Services(slack);

        var watch = Stopwatch.StartNew();
        var posted = await services.GetRequiredService<SlackWebApiClient>().PostMessageAsync(new SlackPostMessage("C0REVIEW", "hi"), CancellationToken.None);

        Assert.Equal("1.2", posted.Ts);
        Assert.Equal(2, SlackWire.Calls(slack, "/api/chat.postMessage").Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}, before Retry-After's second");
    }

    [Fact]
    public async Task A_call_still_rate_limited_after_every_retry_names_the_method_and_ratelimited()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBody(""));
        using var services = Services(slack, retries: 2);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => Update(services));

        Assert.Equal("chat.update", error.Method);
        Assert.Equal("ratelimited", error.Error);
        Assert.Equal(3, SlackWire.Calls(slack, "/api/chat.update").Count);
    }

    [Fact]
    public async Task An_update_is_retried_after_a_500_and_succeeds()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("upstream error"));
        slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", Json).WithBody("""{"ok":true,"channel":"C0REVIEW","ts":"1.2"}"""));
        using var services = Services(slack);

        var updated = await Update(services);

        Assert.True(updated.Ok);
        Assert.Equal(2, SlackWire.Calls(slack, "/api/chat.update").Count);
    }

    [Fact]
    public async Task A_post_message_is_not_repeated_after_a_500_because_it_may_have_been_posted()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("upstream error"));
        using var services = Services(slack);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            services.GetRequiredService<SlackWebApiClient>().PostMessageAsync(new SlackPostMessage("C0REVIEW", "hi"), CancellationToken.None));

        Assert.Equal("chat.postMessage", error.Method);
        Assert.Equal("http_500", error.Error);
        Assert.Single(SlackWire.Calls(slack, "/api/chat.postMessage"));
    }

    [Fact]
    public async Task Ok_false_becomes_an_exception_naming_the_method_and_Slacks_error()
    {
        using var slack = WireMockServer.Start();
        SlackWire.Ok(slack, "chat.postMessage", """{"ok":false,"error":"channel_not_found"}""");
        using var services = Services(slack);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            services.GetRequiredService<SlackWebApiClient>().PostMessageAsync(new SlackPostMessage("C0GONE", "hi"), CancellationToken.None));

        Assert.Equal("chat.postMessage", error.Method);
        Assert.Equal("channel_not_found", error.Error);
        Assert.Contains("chat.postMessage", error.Message, StringComparison.Ordinal);
        Assert.Contains("channel_not_found", error.Message, StringComparison.Ordinal);
        Assert.Single(SlackWire.Calls(slack, "/api/chat.postMessage"));
    }

    [Fact]
    public async Task Invalid_blocks_carry_Slacks_detail()
    {
        using var slack = WireMockServer.Start();
        SlackWire.Ok(slack, "chat.update", """{"ok":false,"error":"invalid_blocks","response_metadata":{"messages":["[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"]}}""");
        using var services = Services(slack);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => Update(services));

        Assert.Equal("invalid_blocks", error.Error);
        Assert.Contains("/blocks/1/text/text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_Slacks_JSON_is_a_clear_error()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/views.open").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>captive portal</html>"));
        using var services = Services(slack);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            services.GetRequiredService<SlackWebApiClient>().OpenViewAsync(new SlackOpenView("t", new JsonObject { ["type"] = "modal" }), CancellationToken.None));

        Assert.Equal("views.open", error.Method);
        Assert.Equal("malformed_response", error.Error);
        Assert.Contains("captive portal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_that_times_out_is_tried_again_and_then_reported_as_a_timeout()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(2)).WithStatusCode(200).WithHeader("Content-Type", Json).WithBody("""{"ok":true}"""));
        using var services = Services(slack, timeout: "00:00:00.200", retries: 2);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Update(services));

        Assert.Contains("chat.update", error.Message, StringComparison.Ordinal);
        Assert.Contains("Slack:RequestTimeout", error.Message, StringComparison.Ordinal);
        // WireMock logs a delayed request once its answer is written, after the client gave up on it.
        Assert.Equal(3, (await SlackWire.WaitForAsync(slack, "/api/chat.update", 3)).Count);
    }

    [Fact]
    public async Task A_post_message_that_times_out_is_not_repeated()
    {
        // A repeat would be answered at once and succeed; only a client that does not repeat sees the timeout.
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).InScenario("slow").WillSetStateTo("fast")
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(2)).WithStatusCode(200).WithHeader("Content-Type", Json).WithBody("""{"ok":true,"channel":"C0REVIEW","ts":"1.1"}"""));
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).InScenario("slow").WhenStateIs("fast")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", Json).WithBody("""{"ok":true,"channel":"C0REVIEW","ts":"1.2"}"""));
        using var services = Services(slack, timeout: "00:00:00.200", retries: 2);

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            services.GetRequiredService<SlackWebApiClient>().PostMessageAsync(new SlackPostMessage("C0REVIEW", "hi"), CancellationToken.None));

        Assert.Contains("chat.postMessage", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 attempt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_carry_the_bot_token_and_JSON_in_Slacks_names()
    {
        using var slack = SlackWire.Start();
        using var services = Services(slack);

        await services.GetRequiredService<SlackWebApiClient>().PostMessageAsync(
            new SlackPostMessage("C0REVIEW", "fallback", [new JsonObject { ["type"] = "divider" }], ThreadTs: "1.2"), CancellationToken.None);

        var call = Assert.Single(SlackWire.Calls(slack, "/api/chat.postMessage"));
        Assert.Equal("Bearer " + SlackTestHost.Token, call.RequestMessage.Headers!["Authorization"].ToString());
        Assert.Equal(Json, call.RequestMessage.Headers["Content-Type"].ToString());
        var body = JsonNode.Parse(call.RequestMessage.Body!)!;
        Assert.Equal("C0REVIEW", (string?)body["channel"]);
        Assert.Equal("fallback", (string?)body["text"]);
        Assert.Equal("1.2", (string?)body["thread_ts"]);
        Assert.Equal("divider", (string?)body["blocks"]![0]!["type"]);
        Assert.Null(body["unfurl_links"]);
    }

    [Theory]
    [InlineData("xoxb-1-2-abc", null, "C0REVIEW", "Slack:SigningSecret")]
    [InlineData(null, "secret", null, "Slack:BotToken and Slack:Channel")]
    [InlineData(null, null, "C0REVIEW", "Slack:BotToken and Slack:SigningSecret")]
    [InlineData("xoxp-12345678901-abc", "secret", "C0REVIEW", "Slack:BotToken must be a bot token")]
    [InlineData("not a token at all", "secret", "C0REVIEW", "Slack:BotToken must be a bot token")]
    public void Half_or_wrong_Slack_settings_fail_at_start_naming_what_is_wrong(string? token, string? secret, string? channel, string expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = token,
            ["Slack:SigningSecret"] = secret,
            ["Slack:Channel"] = channel,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSlackReview(config).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SlackOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxp-12345678901-abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_Slack_settings_Slack_is_off_and_no_poster_is_registered()
    {
        var config = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddLogging().AddSlackReview(config).BuildServiceProvider();

        Assert.False(services.GetRequiredService<IOptions<SlackOptions>>().Value.IsConfigured);
        Assert.Empty(services.GetServices<IReviewPoster>());
        Assert.Null(services.GetService<SlackWebApiClient>());
    }

    [Fact]
    public void With_Slack_settings_the_poster_is_registered()
    {
        using var slack = WireMockServer.Start();
        using var services = Services(slack);

        var poster = Assert.Single(services.GetServices<IReviewPoster>());
        Assert.Equal("slack", poster.Surface);
    }

    internal static ServiceProvider Services(WireMockServer slack, string timeout = "00:00:05", int retries = 3)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackTestHost.Token,
            ["Slack:SigningSecret"] = SlackTestHost.Secret,
            ["Slack:Channel"] = SlackTestHost.Channel,
            ["Slack:ApiBaseUrl"] = slack.Url + "/api/",
            ["Slack:RequestTimeout"] = timeout,
            ["Slack:MaxRetryAttempts"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Slack:RetryBaseDelay"] = "00:00:00.020",
        }).Build();
        return new ServiceCollection().AddLogging().AddSlackReview(config).BuildServiceProvider();
    }

    private static Task<SlackApiResponse> Update(ServiceProvider services) =>
        services.GetRequiredService<SlackWebApiClient>().UpdateMessageAsync(new SlackUpdateMessage("C0REVIEW", "1.2", "t", []), CancellationToken.None);
}
