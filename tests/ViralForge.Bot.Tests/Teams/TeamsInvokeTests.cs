using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>Card clicks (adaptiveCard/action invokes) through the real endpoint: one decision per card, answered at once.</summary>
public sealed class TeamsInvokeTests
{
    [Fact]
    public async Task First_approve_click_asks_for_confirmation_and_decides_nothing()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "approve"));

        Assert.Equal(200, answer["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        var card = answer["value"]!.AsObject();
        Assert.Contains("Approve and publish?", card.ToJsonString());
        Assert.Equal(["approve-confirmed", "show"], Verbs(card));
        Assert.Equal("Yes, approve", card["actions"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("Cancel", card["actions"]![1]!["title"]!.GetValue<string>());
        Assert.Null(await Decision(host, request));
    }

    [Fact]
    public async Task Cancel_shows_the_review_card_again()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "show"));

        Assert.Equal(TeamsCardsJson(Bot.Teams.TeamsCards.Review(request)), answer["value"]!.ToJsonString());
        Assert.Null(await Decision(host, request));
    }

    [Fact]
    public async Task Confirmed_approve_records_the_decision_and_answers_the_decided_card()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "approve-confirmed"));

        var decision = await Decision(host, request);
        Assert.NotNull(decision);
        Assert.Equal(ReviewVerdict.Approve, decision.Verdict);
        Assert.Equal(TeamsHost.Ana, decision.ReviewerId);
        Assert.Equal("Ana Silva", decision.ReviewerName);
        Assert.Equal("teams", decision.Surface);
        var card = answer["value"]!.AsObject();
        Assert.Null(card["actions"]);
        Assert.Contains("Approved by Ana Silva at ", card.ToJsonString());
        Assert.Contains("Five facts about octopuses", card.ToJsonString());
    }

    [Fact]
    public async Task Double_click_yields_one_decision_and_the_second_answer_names_who_decided()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var first = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "approve-confirmed"));
        var second = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "reject", inputs: new Dictionary<string, string> { ["reason"] = "changed my mind" }));

        Assert.Contains("Approved by Ana Silva", first["value"]!.ToJsonString());
        var text = second["value"]!.ToJsonString();
        Assert.Contains("Already decided: Approved by Ana Silva at ", text);
        var decision = await Decision(host, request);
        Assert.Equal(ReviewVerdict.Approve, decision!.Verdict);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public async Task Two_reviewers_racing_yield_one_decision()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var clicks = await Task.WhenAll(
            host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "approve-confirmed", TeamsHost.Ana, "Ana Silva")),
            host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "reject", TeamsHost.Ben, "Ben Okafor",
                new Dictionary<string, string> { ["reason"] = "the hook is wrong" })));

        var decision = await Decision(host, request);
        Assert.NotNull(decision);
        var winner = decision.ReviewerName;
        var texts = clicks.Select(c => c["value"]!.ToJsonString()).ToList();
        // One answer is the winner's decided card; the other names the winner.
        Assert.Single(texts, t => !t.Contains("Already decided", StringComparison.Ordinal) && t.Contains($"by {winner} at", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains($"Already decided: ", StringComparison.Ordinal) && t.Contains($"by {winner} at", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clicker_not_on_the_reviewers_list_is_refused()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var confirm = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "approve", "aad-mallory", "Mallory"));
        var approve = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "approve-confirmed", "aad-mallory", "Mallory"));

        Assert.Contains("You are not on the reviewers list", confirm["value"]!.ToJsonString());
        Assert.Contains("You are not on the reviewers list", approve["value"]!.ToJsonString());
        Assert.Null(await Decision(host, request));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public async Task Reject_without_a_reason_is_a_400_for_the_clicker(string reason)
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "reject", inputs: new Dictionary<string, string> { ["reason"] = reason }));

        Assert.Equal(400, answer["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", answer["type"]!.GetValue<string>());
        Assert.Equal("BadRequest", answer["value"]!["code"]!.GetValue<string>());
        Assert.Equal("Give a reason to reject the video.", answer["value"]!["message"]!.GetValue<string>());
        Assert.Null(await Decision(host, request));
    }

    [Fact]
    public async Task Reject_with_a_reason_records_it_trimmed()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "reject", inputs: new Dictionary<string, string> { ["reason"] = "  Off-brand [music]  " }));

        var decision = await Decision(host, request);
        Assert.Equal(ReviewVerdict.Reject, decision!.Verdict);
        Assert.Equal("Off-brand [music]", decision.Reason);
        // Shown as written: the brackets are escaped so that Markdown cannot make them a link.
        Assert.Contains(@"Off-brand \\[music\\]", answer["value"]!.ToJsonString());
    }

    [Fact]
    public async Task Regenerate_records_the_stage_and_the_feedback()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "regenerate", inputs: new Dictionary<string, string> { ["stage"] = "visuals", ["feedback"] = "brighter" }));

        var decision = await Decision(host, request);
        Assert.Equal(ReviewVerdict.Regenerate, decision!.Verdict);
        Assert.Equal(StageName.Visuals, decision.RegenerateStage);
        Assert.Equal("brighter", decision.Feedback);
    }

    [Fact]
    public async Task The_clickers_Teams_display_name_is_what_the_decision_and_the_jobs_history_record()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "regenerate", TeamsHost.Ben, "Ben Okafor",
            new Dictionary<string, string> { ["stage"] = "voice", ["feedback"] = "Use a female voice, a bit slower" }));
        var applied = await host.Get<ReviewTasks>().ApplyAsync(new Core.Stages.StageMessage(request.JobId, request.Generation), CancellationToken.None);

        var decision = await Decision(host, request);
        Assert.Equal((TeamsHost.Ben, "Ben Okafor"), (decision!.ReviewerId, decision.ReviewerName));
        Assert.IsType<Core.Stages.StageOutcome.Completed>(applied);
        var store = host.Get<IJobStore>();
        var review = (await store.ListStageRunsAsync(request.JobId, CancellationToken.None)).Single(r => r.Stage == StageName.Review && r.Generation == 1);
        Assert.Equal("Ben Okafor", Core.Stages.StageJson.FromElement<Core.Stages.ReviewOutput>(review.Output!.Value).Reviewer);
        Assert.Contains(await store.ListEventsAsync(request.JobId, CancellationToken.None),
            e => e.Message == "regenerate from voice asked by Ben Okafor; reviewer feedback: Use a female voice, a bit slower");
    }

    [Theory]
    [InlineData("render")]
    [InlineData("")]
    public async Task Regenerate_of_a_stage_not_offered_is_a_400(string stage)
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "regenerate", inputs: new Dictionary<string, string> { ["stage"] = stage }));

        Assert.Equal(400, answer["statusCode"]!.GetValue<int>());
        Assert.Null(await Decision(host, request));
    }

    [Fact]
    public async Task An_unknown_verb_is_a_400()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, request, "publish-now"));

        Assert.Equal(400, answer["statusCode"]!.GetValue<int>());
        Assert.Contains("publish-now", answer["value"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_click_on_a_card_of_an_older_generation_changes_nothing()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();
        var old = request with { Generation = request.Generation + 5 };

        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, old, "approve-confirmed"));

        Assert.Contains("not waiting for review", answer["value"]!.ToJsonString());
        Assert.Null(await Decision(host, old));
        Assert.Null(await Decision(host, request));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("conversationUpdate")]
    [InlineData("invoke")]
    public async Task Other_activities_get_200_and_are_ignored(string type)
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams);
        var request = await host.AwaitingReviewAsync();
        var activity = TeamsHost.Invoke(teams, request, "approve-confirmed");
        activity["type"] = type;
        activity["name"] = type == "invoke" ? "composeExtension/query" : null;

        using var response = await host.PostActivityAsync(activity, "Bearer " + teams.Key.Mint(BotFrameworkFake.AppId, teams.ServiceUrl, TimeProvider.System.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await Decision(host, request));
    }

    private static Task<RecordedDecision?> Decision(TeamsHost host, ReviewRequest request) =>
        host.Get<IReviewLedger>().GetDecisionAsync(request.JobId, request.Generation, CancellationToken.None);

    private static List<string> Verbs(JsonObject card) =>
        [.. card["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>())];

    private static string TeamsCardsJson(JsonObject card) => card.ToJsonString();
}
