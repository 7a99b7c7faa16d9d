using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Bot.Slack;
using ViralForge.Core.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>
/// The reviewer's real name from users.info, against WireMock answering in Slack's wire format (GET with the bot token,
/// HTTP 200 with ok true or false, 429 with Retry-After), and the payload's handle whenever Slack cannot say.
/// </summary>
public sealed class SlackUserNamesTests
{
    private const string Json = "application/json; charset=utf-8";

    private const string AnaInfo = """
        {"ok":true,"user":{"id":"U0ANA","team_id":"T0TEAM","name":"ana","deleted":false,"real_name":"Ana Lima",
         "tz":"Europe/Lisbon","profile":{"real_name":"Ana Lima","display_name":"ana.l","email":"ana@example.com"},
         "is_admin":false,"is_bot":false}}
        """;

    [Fact]
    public async Task A_click_records_the_reviewers_real_name_from_users_info_not_their_handle()
    {
        using var slack = SlackWire.Start();
        UsersInfo(slack, 200, AnaInfo);
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        using var response = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "ana", SlackWire.ResponseUrl(slack)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None);
        Assert.Equal(("Ana Lima", SlackTestHost.Ana), (decision!.ReviewerName, decision.ReviewerId));
        var call = Assert.Single(SlackWire.Calls(slack, "/api/users.info"));
        Assert.Equal("GET", call.RequestMessage.Method);
        Assert.Equal(SlackTestHost.Ana, call.RequestMessage.Query!["user"].Single());
        Assert.Equal($"Bearer {SlackTestHost.Token}", call.RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task A_name_is_looked_up_once_per_user_and_then_served_from_the_cache()
    {
        using var slack = WireMockServer.Start();
        UsersInfo(slack, 200, AnaInfo);
        using var services = SlackWebApiClientTests.Services(slack);
        var names = services.GetRequiredService<SlackUserNames>();

        var first = await names.NameAsync(SlackTestHost.Ana, "ana", CancellationToken.None);
        var second = await names.NameAsync(SlackTestHost.Ana, "ana", CancellationToken.None);

        Assert.Equal(("Ana Lima", "Ana Lima"), (first, second));
        Assert.Single(SlackWire.Calls(slack, "/api/users.info"));
    }

    [Fact]
    public async Task Without_a_real_name_the_profiles_display_name_is_used()
    {
        using var slack = WireMockServer.Start();
        UsersInfo(slack, 200, """{"ok":true,"user":{"id":"U0BEN","name":"ben","real_name":"","profile":{"real_name":"","display_name":"Ben K."}}}""");
        using var services = SlackWebApiClientTests.Services(slack);

        Assert.Equal("Ben K.", await services.GetRequiredService<SlackUserNames>().NameAsync(SlackTestHost.Ben, "ben", CancellationToken.None));
    }

    [Fact]
    public async Task Without_the_users_read_scope_the_handle_is_recorded_and_slack_is_not_asked_again_on_every_click()
    {
        using var slack = WireMockServer.Start();
        UsersInfo(slack, 200, """{"ok":false,"error":"missing_scope","needed":"users:read","provided":"chat:write"}""");
        using var services = SlackWebApiClientTests.Services(slack);
        var names = services.GetRequiredService<SlackUserNames>();

        var first = await names.NameAsync(SlackTestHost.Ana, "ana", CancellationToken.None);
        var other = await names.NameAsync(SlackTestHost.Ben, "ben", CancellationToken.None);

        Assert.Equal(("ana", "ben"), (first, other));
        Assert.Single(SlackWire.Calls(slack, "/api/users.info"));
    }

    [Fact]
    public async Task A_rate_limited_lookup_falls_back_at_once_without_retrying_and_waits_out_Retry_After()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/users.info").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30").WithBody(""));
        using var services = SlackWebApiClientTests.Services(slack);
        var names = services.GetRequiredService<SlackUserNames>();

        var watch = Stopwatch.StartNew();
        var first = await names.NameAsync(SlackTestHost.Ana, "ana", CancellationToken.None);
        var second = await names.NameAsync(SlackTestHost.Ben, "ben", CancellationToken.None);

        Assert.Equal(("ana", "ben"), (first, second));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}: it waited for Retry-After instead of falling back");
        Assert.Single(SlackWire.Calls(slack, "/api/users.info"));
    }

    [Theory]
    [InlineData(500, "upstream error")]
    [InlineData(503, "")]
    [InlineData(200, "<html>not json</html>")]
    [InlineData(200, """{"ok":true}""")]
    public async Task A_server_error_or_a_body_that_is_not_slacks_json_records_the_handle(int status, string body)
    {
        using var slack = WireMockServer.Start();
        UsersInfo(slack, status, body);
        using var services = SlackWebApiClientTests.Services(slack);

        var names = services.GetRequiredService<SlackUserNames>();

        var name = await names.NameAsync(SlackTestHost.Ana, "ana", CancellationToken.None);
        var next = await names.NameAsync(SlackTestHost.Ben, "ben", CancellationToken.None);

        Assert.Equal(("ana", "ben"), (name, next));
        Assert.Single(SlackWire.Calls(slack, "/api/users.info")); // the next click does not pay for the same failure
    }

    [Fact]
    public async Task A_lookup_slower_than_the_lookup_timeout_records_the_handle_in_time()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/users.info").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", Json).WithBody(AnaInfo).WithDelay(TimeSpan.FromSeconds(3)));
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackTestHost.Token,
            ["Slack:SigningSecret"] = SlackTestHost.Secret,
            ["Slack:Channel"] = SlackTestHost.Channel,
            ["Slack:ApiBaseUrl"] = slack.Url + "/api/",
            ["Slack:UserLookupTimeout"] = "00:00:00.300",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSlackReview(config).BuildServiceProvider();

        var watch = Stopwatch.StartNew();
        var name = await services.GetRequiredService<SlackUserNames>().NameAsync(SlackTestHost.Ana, "ana", CancellationToken.None);

        Assert.Equal("ana", name);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    private static void UsersInfo(WireMockServer slack, int status, string body) =>
        slack.Given(Request.Create().WithPath("/api/users.info").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", Json).WithBody(body));
}
