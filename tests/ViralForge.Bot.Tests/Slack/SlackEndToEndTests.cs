using System.Net;
using System.Text.Json.Nodes;
using ViralForge.Bot.Slack;
using ViralForge.Core.Jobs;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>A real job through the local pipeline, reviewed in Slack (WireMock playing Slack's Web API).</summary>
public sealed class SlackEndToEndTests
{
    [Fact]
    public async Task A_job_is_reviewed_in_Slack_published_once_and_its_card_replaced_by_the_decision()
    {
        using var slack = SlackWire.Start();
        await using var host = await BotHost.StartAsync(settings: SlackTestHost.Settings(slack, [SlackTestHost.Ana]));
        var id = await host.SubmitAsync("Why octopuses have three hearts");

        await host.WaitForReviewAsync(id);
        var card = Assert.Single(await SlackWire.WaitForAsync(slack, "/api/chat.postMessage"));
        Assert.Equal(SlackTestHost.Channel, (string?)card["channel"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)card["text"]));
        var actions = card["blocks"]!.AsArray().Single(b => (string?)b!["type"] == "actions")!;
        var approve = actions["elements"]!.AsArray().Single(b => (string?)b!["action_id"] == SlackCards.ApproveAction)!;
        Assert.Equal($"{id:D}:1", (string?)approve["value"]);

        // Ana clicks Approve on the card Slack showed, twice (a double click).
        var click = SlackTestHost.Click(SlackCards.ApproveAction, id, 1, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack));
        using var first = await host.Client.SendAsync(SlackTestHost.Signed(click));
        using var second = await host.Client.SendAsync(SlackTestHost.Signed(
            SlackTestHost.Click(SlackCards.ApproveAction, id, 1, SlackTestHost.Ana, "Ana", SlackWire.ResponseUrl(slack), "second-trigger")));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var job = await host.WaitForJobAsync(id, j => j.Status == JobStatus.Published);
        Assert.Equal(JobStatus.Published, job.Status);
        var update = Assert.Single(await SlackWire.WaitForAsync(slack, "/api/chat.update"));
        Assert.Equal(SlackTestHost.Channel, (string?)update["channel"]);
        Assert.Equal(SlackWire.PostedTs, (string?)update["ts"]);
        Assert.DoesNotContain(update["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Contains("Approved by Ana at", string.Concat(update["blocks"]!.AsArray().Select(b => b!["text"]?["text"]?.ToString() ?? "")), StringComparison.Ordinal);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM review_decisions WHERE job_id = @job", ("job", id)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @job AND kind = 'completed' AND stage = 'publish'", ("job", id)));
        var told = await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath, 2);
        Assert.Contains(told, m => ((string?)m["text"])!.StartsWith("Already decided: Approved by Ana", StringComparison.Ordinal));
        // Only the card: no second post, and the one update.
        await Task.Delay(500);
        Assert.Single(SlackWire.Calls(slack, "/api/chat.postMessage"));
        Assert.Single(SlackWire.Calls(slack, "/api/chat.update"));
    }

    [Fact]
    public async Task A_job_rejected_through_the_Slack_modal_ends_rejected_with_the_reason_on_its_card()
    {
        using var slack = SlackWire.Start();
        await using var host = await BotHost.StartAsync(settings: SlackTestHost.Settings(slack, [SlackTestHost.Ben]));
        var id = await host.SubmitAsync("Why octopuses have three hearts");
        await host.WaitForReviewAsync(id);
        await SlackWire.WaitForAsync(slack, "/api/chat.postMessage");

        using var click = await host.PostSignedAsync(
            SlackTestHost.Click(SlackCards.RejectAction, id, 1, SlackTestHost.Ben, "Ben", SlackWire.ResponseUrl(slack), "trigger-e2e"));
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        // Slack echoes the modal's private_metadata back in the submission, as it does with the real modal.
        var opened = Assert.Single(SlackWire.Bodies(slack, "/api/views.open"));
        Assert.Equal("trigger-e2e", (string?)opened["trigger_id"]);
        var metadata = (string)opened["view"]!["private_metadata"]!;
        var reason = new JsonObject
        {
            [SlackCards.ReasonBlock] = new JsonObject
            {
                [SlackCards.ReasonInput] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Music is off-brand & too loud" },
            },
        };
        using var submit = await host.PostSignedAsync(SlackTestHost.Submit(SlackCards.RejectModal, metadata, reason, SlackTestHost.Ben, "Ben"));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);

        var job = await host.WaitForJobAsync(id, j => j.Status == JobStatus.Rejected);
        Assert.Contains("Music is off-brand & too loud", job.Error, StringComparison.Ordinal);
        var update = Assert.Single(await SlackWire.WaitForAsync(slack, "/api/chat.update"));
        Assert.DoesNotContain(update["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        var texts = string.Concat(update["blocks"]!.AsArray().Select(b => b!["text"]?["text"]?.ToString() ?? ""));
        Assert.Contains("Rejected by Ben at", texts, StringComparison.Ordinal);
        Assert.Contains("Music is off-brand &amp; too loud", texts, StringComparison.Ordinal);
        var told = Assert.Single(await SlackWire.WaitForAsync(slack, SlackWire.ResponsePath));
        Assert.StartsWith("Rejected by Ben at", (string?)told["text"], StringComparison.Ordinal);
    }
}
