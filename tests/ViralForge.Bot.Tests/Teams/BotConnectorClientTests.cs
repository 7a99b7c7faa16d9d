using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Bot.Teams;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>The Connector client and the poster against WireMock playing the Bot Connector and the token endpoint.</summary>
public sealed class BotConnectorClientTests
{
    private static ServiceProvider Services(BotFrameworkFake teams, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = teams.Settings();
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddTeamsReview(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        return services.BuildServiceProvider();
    }

    private static IReviewPoster Poster(ServiceProvider services) => services.GetServices<IReviewPoster>().Single(p => p.Surface == "teams");

    private static ReviewRequest Card() =>
        new(Guid.CreateVersion7(), 1, "octopus facts", "Five facts about octopuses", "Three hearts.", new Uri("https://storage.example.com/v.mp4"),
            29.5, Platforms.YouTube, null);

    private static RecordedDecision Approved(ReviewRequest r) =>
        new(r.JobId, r.Generation, ReviewVerdict.Approve, "aad-ana", "Ana", "teams", null, null, null, new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    private static PostedReviewMessage Posted(BotFrameworkFake teams, ReviewRequest r, string activityId = "1:activity-7", string? serviceUrl = null) =>
        new(r.JobId, r.Generation, "teams",
            JsonSerializer.Serialize(new TeamsAddress(serviceUrl ?? teams.ServiceUrl, BotFrameworkFake.ConversationId, activityId), TeamsJson.Default.TeamsAddress),
            DateTimeOffset.UnixEpoch);

    /// <summary>Answers the first matching call with <paramref name="first"/>, every later one with <paramref name="then"/>.</summary>
    private static void FirstThen(WireMockServer server, IRequestBuilder request, IResponseBuilder first, IResponseBuilder then)
    {
        var scenario = Guid.NewGuid().ToString("N");
        server.Given(request).AtPriority(1).InScenario(scenario).WillSetStateTo("answered").RespondWith(first);
        server.Given(request).AtPriority(1).InScenario(scenario).WhenStateIs("answered").RespondWith(then);
    }

    private static IRequestBuilder Put(BotFrameworkFake teams) =>
        Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(teams.ActivitiesPath + "/*")).UsingPut();

    private static IRequestBuilder Post(BotFrameworkFake teams) => Request.Create().WithPath(teams.ActivitiesPath).UsingPost();

    private static IResponseBuilder Ok(int status = 200, string body = """{"id":"1:activity-7"}""") =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    [Fact]
    public async Task Post_sends_the_card_with_the_bot_token_and_records_where_it_went()
    {
        using var teams = new BotFrameworkFake();
        await using var services = Services(teams);
        var request = Card();

        var posted = await Poster(services).PostAsync(request, CancellationToken.None);

        Assert.Equal(request.JobId, posted.JobId);
        Assert.Equal("teams", posted.Surface);
        var address = JsonNode.Parse(posted.Address)!.AsObject();
        Assert.Equal(teams.ServiceUrl, address["serviceUrl"]!.GetValue<string>());
        Assert.Equal(BotFrameworkFake.ConversationId, address["conversationId"]!.GetValue<string>());
        Assert.Equal("1:activity-1", address["activityId"]!.GetValue<string>());
        var call = Assert.Single(teams.ConnectorCalls("POST"));
        Assert.Equal($"Bearer {BotFrameworkFake.AccessToken}", call.RequestMessage.Headers!["Authorization"].Single());
        Assert.Equal(teams.ActivitiesPath, call.RequestMessage.Path);
        var body = JsonNode.Parse(call.RequestMessage.Body!)!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["attachments"]![0]!["contentType"]!.GetValue<string>());
        Assert.Equal(TeamsCards.Review(request).ToJsonString(), body["attachments"]![0]!["content"]!.ToJsonString());
        var token = Assert.Single(teams.Login.LogEntries, e => e.RequestMessage.Path == BotFrameworkFake.TokenPath);
        Assert.Equal(
            $"grant_type=client_credentials&client_id={BotFrameworkFake.AppId}&client_secret=test-secret~not-a-real-one&scope=https%3A%2F%2Fapi.botframework.com%2F.default",
            token.RequestMessage.Body);
        Assert.False(token.RequestMessage.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task The_token_is_kept_and_fetched_again_shortly_before_it_expires()
    {
        using var teams = new BotFrameworkFake();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        await using var services = Services(teams, time);
        var poster = Poster(services);

        await poster.PostAsync(Card(), CancellationToken.None);
        await poster.PostAsync(Card(), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(54));
        await poster.PostAsync(Card(), CancellationToken.None);
        Assert.Equal(1, teams.TokenRequests);

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1)); // 55 min: within 5 min of the hour
        await poster.PostAsync(Card(), CancellationToken.None);

        Assert.Equal(2, teams.TokenRequests);
        Assert.Equal(4, teams.ConnectorCalls("POST").Count);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(412)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Update_is_retried_when_Teams_throttles_or_a_gateway_fails(int status)
    {
        using var teams = new BotFrameworkFake();
        var first = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
            .WithBody("""{"error":{"code":"Throttled","message":"slow down"}}""");
        if (status == 429)
        {
            first = first.WithHeader("Retry-After", "1");
        }
        FirstThen(teams.Connector, Put(teams), first, Ok());
        await using var services = Services(teams);
        var request = Card();

        var started = TimeProvider.System.GetTimestamp();
        await Poster(services).ShowDecisionAsync(Posted(teams, request), request, Approved(request), CancellationToken.None);

        var puts = teams.ConnectorCalls("PUT");
        Assert.Equal(2, puts.Count);
        Assert.All(puts, p => Assert.Equal($"{teams.ActivitiesPath}/1:activity-7", p.RequestMessage.Path));
        var body = JsonNode.Parse(puts[1].RequestMessage.Body!)!;
        Assert.Equal("1:activity-7", body["id"]!.GetValue<string>());
        Assert.Null(body["attachments"]![0]!["content"]!["actions"]);
        if (status == 429)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "Retry-After: 1 was not waited out");
        }
    }

    [Fact]
    public async Task Update_is_retried_after_an_attempt_times_out()
    {
        using var teams = new BotFrameworkFake();
        FirstThen(teams.Connector, Put(teams), Ok().WithDelay(TimeSpan.FromSeconds(3)), Ok());
        await using var services = Services(teams, settings: new Dictionary<string, string?> { ["Teams:AttemptTimeout"] = "00:00:01" });
        var request = Card();

        await Poster(services).ShowDecisionAsync(Posted(teams, request), request, Approved(request), CancellationToken.None);

        Assert.Equal(2, teams.ConnectorCalls("PUT").Count);
    }

    [Fact]
    public async Task Update_gives_up_after_the_retries_with_a_clear_error()
    {
        using var teams = new BotFrameworkFake();
        teams.Connector.Given(Put(teams)).AtPriority(1).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0")
            .WithHeader("Content-Type", "application/json").WithBody("""{"error":{"code":"Throttled","message":"Too many requests"}}"""));
        await using var services = Services(teams, settings: new Dictionary<string, string?> { ["Teams:MaxRetryAttempts"] = "2" });
        var request = Card();

        var e = await Assert.ThrowsAsync<TeamsApiException>(() =>
            Poster(services).ShowDecisionAsync(Posted(teams, request), request, Approved(request), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, e.Status);
        Assert.Equal("Throttled", e.Code);
        Assert.Contains("429 (Teams is throttling the bot): Throttled: Too many requests", e.Message);
        Assert.Equal(3, teams.ConnectorCalls("PUT").Count);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(500)]
    public async Task Post_is_not_retried_when_Teams_may_have_posted_already(int status)
    {
        using var teams = new BotFrameworkFake();
        FirstThen(teams.Connector, Post(teams), Response.Create().WithStatusCode(status).WithBody("<html>Bad gateway</html>"), Ok(201));
        await using var services = Services(teams);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => Poster(services).PostAsync(Card(), CancellationToken.None));

        Assert.Equal((HttpStatusCode)status, e.Status);
        Assert.Contains($"with {status}", e.Message);
        Assert.Single(teams.ConnectorCalls("POST"));
    }

    [Fact]
    public async Task Post_is_not_retried_after_a_timeout()
    {
        using var teams = new BotFrameworkFake();
        FirstThen(teams.Connector, Post(teams), Ok(201).WithDelay(TimeSpan.FromSeconds(3)), Ok(201));
        await using var services = Services(teams, settings: new Dictionary<string, string?> { ["Teams:AttemptTimeout"] = "00:00:01" });

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Poster(services).PostAsync(Card(), CancellationToken.None));

        Assert.Contains("Teams:AttemptTimeout", e.Message);
        // WireMock logs a call once it has answered it: wait out the slow answer, and a retry's, had there been one.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Single(teams.ConnectorCalls("POST"));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(412)]
    public async Task Post_is_retried_when_Teams_refused_it_before_doing_anything(int status)
    {
        using var teams = new BotFrameworkFake();
        FirstThen(teams.Connector, Post(teams), Response.Create().WithStatusCode(status).WithHeader("Retry-After", "0"), Ok(201, """{"id":"1:second-try"}"""));
        await using var services = Services(teams);

        var posted = await Poster(services).PostAsync(Card(), CancellationToken.None);

        Assert.Contains("1:second-try", posted.Address);
        Assert.Equal(2, teams.ConnectorCalls("POST").Count);
    }

    [Theory]
    [InlineData("not json at all", "a body that is not JSON")]
    [InlineData("{}", "but no activity id")]
    [InlineData("""{"id":""}""", "but no activity id")]
    public async Task A_malformed_answer_to_a_post_is_a_clear_error(string body, string expected)
    {
        using var teams = new BotFrameworkFake();
        teams.Connector.Given(Post(teams)).AtPriority(1).RespondWith(Ok(201, body));
        await using var services = Services(teams);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => Poster(services).PostAsync(Card(), CancellationToken.None));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task A_refusal_from_the_Connector_says_what_to_check()
    {
        using var teams = new BotFrameworkFake();
        teams.Connector.Given(Post(teams)).AtPriority(1).RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json")
            .WithBody("""{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}"""));
        await using var services = Services(teams);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => Poster(services).PostAsync(Card(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, e.Status);
        Assert.Equal("ConversationNotFound", e.Code);
        Assert.Contains("Teams:ConversationId", e.Message);
        Assert.Contains("Conversation not found.", e.Message);
    }

    [Fact]
    public async Task Bad_credentials_are_reported_naming_the_settings_and_nothing_reaches_the_Connector()
    {
        using var teams = new BotFrameworkFake();
        teams.Login.Given(Request.Create().WithPath(BotFrameworkFake.TokenPath).UsingPost()).AtPriority(1).RespondWith(Response.Create()
            .WithStatusCode(401).WithHeader("Content-Type", "application/json")
            .WithBody("""{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}"""));
        await using var services = Services(teams);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => Poster(services).PostAsync(Card(), CancellationToken.None));

        Assert.Equal("invalid_client", e.Code);
        Assert.Contains("AADSTS7000215", e.Message);
        Assert.Contains("Teams:AppPassword", e.Message);
        Assert.DoesNotContain(BotFrameworkFake.AppPassword, e.Message);
        Assert.Empty(teams.Connector.LogEntries);
    }

    [Theory]
    [InlineData("<html>maintenance</html>", "not JSON")]
    [InlineData("""{"token_type":"Bearer"}""", "without access_token")]
    public async Task A_malformed_token_answer_is_a_clear_error(string body, string expected)
    {
        using var teams = new BotFrameworkFake();
        teams.Login.Given(Request.Create().WithPath(BotFrameworkFake.TokenPath).UsingPost()).AtPriority(1).RespondWith(Ok(200, body));
        await using var services = Services(teams);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => Poster(services).PostAsync(Card(), CancellationToken.None));

        Assert.Contains(expected, e.Message);
        Assert.Empty(teams.Connector.LogEntries);
    }

    [Fact]
    public async Task A_token_endpoint_hiccup_is_retried()
    {
        using var teams = new BotFrameworkFake();
        FirstThen(teams.Login, Request.Create().WithPath(BotFrameworkFake.TokenPath).UsingPost(), Response.Create().WithStatusCode(503),
            Ok(200, $$"""{"token_type":"Bearer","expires_in":3600,"access_token":"{{BotFrameworkFake.AccessToken}}"}"""));
        await using var services = Services(teams);

        await Poster(services).PostAsync(Card(), CancellationToken.None);

        Assert.Equal(2, teams.TokenRequests);
        Assert.Single(teams.ConnectorCalls("POST"));
    }

    [Fact]
    public async Task The_token_never_goes_to_a_service_url_other_than_the_configured_one()
    {
        using var teams = new BotFrameworkFake();
        using var elsewhere = WireMockServer.Start();
        elsewhere.Given(Request.Create().UsingAnyMethod()).RespondWith(Ok());
        await using var services = Services(teams);
        var request = Card();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Poster(services).ShowDecisionAsync(Posted(teams, request, serviceUrl: elsewhere.Url + "/teams/"), request, Approved(request), CancellationToken.None));

        Assert.Contains("Teams:ServiceUrl", e.Message);
        Assert.Empty(elsewhere.LogEntries);
        Assert.Empty(teams.Connector.LogEntries);
        Assert.Equal(0, teams.TokenRequests);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/v3/conversations/x/activities", "https://smba.trafficmanager.net/teams/", true)]
    [InlineData("https://smba.trafficmanager.net/teams/v3/x", "https://smba.trafficmanager.net/teams", true)]
    [InlineData("https://smba.trafficmanager.net.evil.example/teams/v3/x", "https://smba.trafficmanager.net/teams/", false)]
    [InlineData("http://smba.trafficmanager.net/teams/v3/x", "https://smba.trafficmanager.net/teams/", false)]
    [InlineData("https://smba.trafficmanager.net:444/teams/v3/x", "https://smba.trafficmanager.net/teams/", false)]
    [InlineData("https://smba.trafficmanager.net/emea/v3/x", "https://smba.trafficmanager.net/teams/", false)]
    public void Only_urls_under_the_service_url_get_the_token(string url, string serviceUrl, bool expected)
    {
        Assert.Equal(expected, BotConnectorClient.IsUnder(new Uri(url), new Uri(serviceUrl)));
    }

    [Fact]
    public async Task A_reminder_is_a_reply_under_the_card()
    {
        using var teams = new BotFrameworkFake();
        await using var services = Services(teams);
        var request = Card();

        await Poster(services).RemindAsync(Posted(teams, request), request, CancellationToken.None);

        var call = Assert.Single(teams.ConnectorCalls("POST"));
        Assert.Equal($"{teams.ActivitiesPath}/1:activity-7", call.RequestMessage.Path);
        var body = JsonNode.Parse(call.RequestMessage.Body!)!;
        Assert.Equal("message", body["type"]!.GetValue<string>());
        Assert.Equal("1:activity-7", body["replyToId"]!.GetValue<string>());
        Assert.Contains("Five facts about octopuses", body["text"]!.GetValue<string>());
        Assert.Contains("still waiting for a review", body["text"]!.GetValue<string>());
    }
}
