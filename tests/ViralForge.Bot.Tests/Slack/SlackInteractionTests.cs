using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Bot.Slack;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>Clicks and modal submissions through POST /slack/interactions, with WireMock as Slack.</summary>
public sealed class SlackInteractionTests
{
    [Fact]
    public async Task A_valid_click_is_answered_quickly_and_records_one_decision()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        var watch = Stopwatch.StartNew();
        using var response = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack)));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"answered after {watch.Elapsed}");
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None);
        Assert.NotNull(decision);
        Assert.Equal(ReviewVerdict.Approve, decision.Verdict);
        Assert.Equal(SlackTestHost.Ana, decision.ReviewerId);
        Assert.Equal("Ana", decision.ReviewerName);
        Assert.Equal("slack", decision.Surface);
        Assert.Equal(1, await host.DecisionCountAsync(job.Id));
        Assert.Equal(1, await host.ApplyTaskCountAsync());
        var told = Assert.Single(await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath));
        Assert.Equal("ephemeral", (string?)told["response_type"]);
        Assert.StartsWith("Approved by Ana at ", (string?)told["text"], StringComparison.Ordinal);
        // The token goes to Slack's API only, never to a response_url.
        Assert.False(SlackWire.Calls(slack, SlackWire.ResponsePath)[0].RequestMessage.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Double_click_yields_one_decision_and_the_second_clicker_is_told_who_decided_first()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        using var first = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack)));
        using var second = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ben, "Ben", SlackWire.ResponseUrl(slack), "another-trigger"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await host.DecisionCountAsync(job.Id));
        Assert.Equal(1, await host.ApplyTaskCountAsync());
        var told = await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath, 2);
        Assert.Contains(told, m => ((string?)m["text"])!.StartsWith("Already decided: Approved by Ana at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_reviewers_racing_yield_one_decision()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => host.PostSignedAsync(SlackTestHost.Click(
                SlackCards.ApproveAction, job.Id, job.Generation, i % 2 == 0 ? SlackTestHost.Ana : SlackTestHost.Ben, i % 2 == 0 ? "Ana" : "Ben",
                SlackWire.ResponseUrl(slack), $"trigger-{i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await host.DecisionCountAsync(job.Id));
        Assert.Equal(1, await host.ApplyTaskCountAsync());
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None);
        var told = await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath, 6);
        Assert.Single(told, m => ((string?)m["text"])!.StartsWith("Approved by", StringComparison.Ordinal));
        Assert.Equal(5, told.Count(m => ((string?)m["text"])!.StartsWith($"Already decided: Approved by {decision!.ReviewerName}", StringComparison.Ordinal)));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_non_reviewer_is_refused_and_told_so()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        using var response = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Eve, "Eve", SlackWire.ResponseUrl(slack)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
        Assert.Equal(0, await host.ApplyTaskCountAsync());
        var told = Assert.Single(await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath));
        Assert.Contains("not on the reviewers list", (string?)told["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_reviewers_nobody_can_decide_nor_open_a_form()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack, reviewers: []);
        var job = await host.AwaitingJobAsync();

        using var approve = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack)));
        using var reject = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.RejectAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack), "t2"));

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
        Assert.Empty(SlackWire.Calls(slack, "/api/views.open"));
        var told = await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath, 2);
        Assert.All(told, m => Assert.Contains("not on the reviewers list", (string?)m["text"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reject_opens_the_reason_modal_with_the_clicks_trigger_id_and_decides_nothing_yet()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        using var response = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.RejectAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack), "trigger-reject-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(SlackWire.Calls(slack, "/api/views.open"));
        Assert.Equal("Bearer " + SlackTestHost.Token, call.RequestMessage.Headers!["Authorization"].ToString());
        Assert.Equal("application/json; charset=utf-8", call.RequestMessage.Headers["Content-Type"].ToString());
        var body = JsonNode.Parse(call.RequestMessage.Body!)!;
        Assert.Equal("trigger-reject-1", (string?)body["trigger_id"]);
        Assert.Equal("modal", (string?)body["view"]!["type"]);
        Assert.Equal(SlackCards.RejectModal, (string?)body["view"]!["callback_id"]);
        var metadata = JsonNode.Parse((string)body["view"]!["private_metadata"]!)!;
        Assert.Equal(job.Id, Guid.Parse((string)metadata["job_id"]!));
        Assert.Equal(job.Generation, (int)metadata["generation"]!);
        Assert.Equal(SlackTestHost.Channel, (string?)metadata["channel"]);
        Assert.Equal(SlackWire.PostedTs, (string?)metadata["ts"]);
        Assert.Contains("Three hearts &amp; one brain", body["view"]!["blocks"]![0]!["text"]!["text"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
    }

    [Theory]
    [InlineData("slow")]
    [InlineData("expired_trigger_id")]
    public async Task When_the_modal_cannot_open_the_click_is_still_answered_in_time_and_the_clicker_told(string failure)
    {
        using var slack = WireMockServer.Start();
        var views = slack.Given(Request.Create().WithPath("/api/views.open").UsingPost());
        views.RespondWith(failure == "slow"
            ? Response.Create().WithDelay(TimeSpan.FromSeconds(6)).WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody("""{"ok":true}""")
            : Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody("""{"ok":false,"error":"expired_trigger_id"}"""));
        slack.Given(Request.Create().WithPath(SlackWire.ResponsePath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"ok":true}"""));
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        var watch = Stopwatch.StartNew();
        using var response = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.RegenerateAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack)));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"answered after {watch.Elapsed}");
        var told = Assert.Single(await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath));
        Assert.Contains("could not open the form", (string?)told["text"], StringComparison.Ordinal);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
    }

    [Fact]
    public async Task An_empty_reason_keeps_the_modal_open_with_an_error_and_decides_nothing()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        using var response = await host.PostSignedAsync(SlackTestHost.Submit(SlackCards.RejectModal, Metadata(job, slack),
            Reason("   "), SlackTestHost.Ana, "Ana"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", (string?)answer["response_action"]);
        Assert.Contains("Say why", (string?)answer["errors"]![SlackCards.ReasonBlock], StringComparison.Ordinal);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
    }

    [Fact]
    public async Task A_rejection_with_a_reason_is_recorded_and_the_clicker_told()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();

        using var response = await host.PostSignedAsync(SlackTestHost.Submit(SlackCards.RejectModal, Metadata(job, slack),
            Reason("Off-brand music <!channel>"), SlackTestHost.Ben, "Ben"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None);
        Assert.Equal(ReviewVerdict.Reject, decision!.Verdict);
        Assert.Equal("Off-brand music <!channel>", decision.Reason);
        Assert.Equal(SlackTestHost.Ben, decision.ReviewerId);
        var told = Assert.Single(await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath));
        Assert.StartsWith("Rejected by Ben at ", (string?)told["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regeneration_records_the_stage_and_feedback()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();
        var values = new JsonObject
        {
            [SlackCards.StageBlock] = new JsonObject
            {
                [SlackCards.StageInput] = new JsonObject { ["type"] = "radio_buttons", ["selected_option"] = new JsonObject { ["value"] = "voice" } },
            },
            [SlackCards.FeedbackBlock] = new JsonObject
            {
                [SlackCards.FeedbackInput] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "A calmer voice, please" },
            },
        };

        using var response = await host.PostSignedAsync(SlackTestHost.Submit(SlackCards.RegenerateModal, Metadata(job, slack), values, SlackTestHost.Ana, "Ana"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None);
        Assert.Equal(ReviewVerdict.Regenerate, decision!.Verdict);
        Assert.Equal(StageName.Voice, decision.RegenerateStage);
        Assert.Equal("A calmer voice, please", decision.Feedback);
    }

    [Fact]
    public async Task A_regeneration_of_a_stage_that_cannot_be_redone_is_refused_in_the_modal()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();
        var values = new JsonObject
        {
            [SlackCards.StageBlock] = new JsonObject
            {
                [SlackCards.StageInput] = new JsonObject { ["type"] = "radio_buttons", ["selected_option"] = new JsonObject { ["value"] = "publish" } },
            },
        };

        using var response = await host.PostSignedAsync(SlackTestHost.Submit(SlackCards.RegenerateModal, Metadata(job, slack), values, SlackTestHost.Ana, "Ana"));

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", (string?)answer["response_action"]);
        Assert.NotNull(answer["errors"]![SlackCards.StageBlock]);
        Assert.Equal(0, await host.DecisionCountAsync(job.Id));
    }

    [Fact]
    public async Task A_modal_submitted_after_someone_decided_says_who_and_keeps_the_first_decision()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);
        var job = await host.AwaitingJobAsync();
        using var approve = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.ApproveAction, job.Id, job.Generation, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack)));

        using var response = await host.PostSignedAsync(SlackTestHost.Submit(SlackCards.RejectModal, Metadata(job, slack),
            Reason("too loud"), SlackTestHost.Ben, "Ben"));

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("Already decided: Approved by Ana", (string?)answer["errors"]![SlackCards.ReasonBlock], StringComparison.Ordinal);
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(job.Id, job.Generation, CancellationToken.None);
        Assert.Equal(ReviewVerdict.Approve, decision!.Verdict);
    }

    [Theory]
    [InlineData("""{"type":"shortcut","callback_id":"x","trigger_id":"t"}""")]
    [InlineData("""{"type":"view_closed","view":{"callback_id":"vf_reject_modal"}}""")]
    [InlineData("""{"type":"block_actions","actions":[{"action_id":"some_other_button","value":"x"}]}""")]
    public async Task Payloads_it_does_not_handle_are_acknowledged_and_ignored(string payload)
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);

        using var response = await host.PostSignedAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(slack.LogEntries);
    }

    [Fact]
    public async Task A_signed_body_without_a_JSON_payload_is_a_bad_request()
    {
        using var slack = SlackWire.Start();
        await using var host = await SlackTestHost.StartAsync(slack);

        using var response = await host.PostSignedAsync("{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string Metadata(Job job, WireMock.Server.WireMockServer slack) =>
        new JsonObject
        {
            ["job_id"] = job.Id.ToString(),
            ["generation"] = job.Generation,
            ["channel"] = SlackTestHost.Channel,
            ["ts"] = SlackWire.PostedTs,
            ["response_url"] = SlackWire.ResponseUrl(slack),
        }.ToJsonString();

    private static JsonObject Reason(string text) => new()
    {
        [SlackCards.ReasonBlock] = new JsonObject
        {
            [SlackCards.ReasonInput] = new JsonObject { ["type"] = "plain_text_input", ["value"] = text },
        },
    };
}
