using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Bot.Teams;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>
/// The whole Teams round trip on the bot's host with the real local pipeline: the card is posted to the Connector, a
/// signed click decides, /review/apply publishes once and replaces the posted card for everyone.
/// </summary>
public sealed class TeamsEndToEndTests
{
    [Fact]
    public async Task A_signed_approve_publishes_once_and_replaces_the_card_for_everyone()
    {
        using var teams = new BotFrameworkFake();
        await using var host = await TeamsHost.StartAsync(teams, dispatch: true);

        var jobId = await host.Host.SubmitAsync("Why octopuses have three hearts");
        await host.Host.WaitForReviewAsync(jobId);

        // The review stage posted the card once, with the bot's token, to the configured conversation.
        var post = Assert.Single(teams.ConnectorCalls("POST"));
        Assert.Equal(teams.ActivitiesPath, post.RequestMessage.Path);
        Assert.Equal($"Bearer {BotFrameworkFake.AccessToken}", post.RequestMessage.Headers!["Authorization"].Single());
        var activity = JsonNode.Parse(post.RequestMessage.Body!)!.AsObject();
        Assert.Equal("message", activity["type"]!.GetValue<string>());
        var attachment = Assert.Single(activity["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!.AsObject();
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        var approve = card["actions"]!.AsArray().Single(a => a!["verb"]?.GetValue<string>() == "approve")!;
        var data = approve["data"]!.Deserialize(TeamsJson.Default.CardActionData)!;
        Assert.Equal(jobId, data.JobId);
        Assert.Equal(1, data.Generation);
        var token = Assert.Single(teams.Login.LogEntries, e => e.RequestMessage.Path == BotFrameworkFake.TokenPath);
        Assert.Contains("grant_type=client_credentials", token.RequestMessage.Body);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", token.RequestMessage.Body);
        var posted = Assert.Single(await host.Get<IReviewLedger>().ListPostedAsync(jobId, 1, CancellationToken.None));
        Assert.Equal("teams", posted.Surface);
        var address = JsonSerializer.Deserialize(posted.Address, TeamsJson.Default.TeamsAddress)!;
        Assert.Equal(teams.ServiceUrl, address.ServiceUrl);
        Assert.Equal(BotFrameworkFake.ConversationId, address.ConversationId);
        Assert.Equal("1:activity-1", address.ActivityId);

        // Ana clicks Approve, then Yes, approve; the answer is the decided card.
        var confirm = await host.ClickAsync(teams, TeamsHost.Invoke(teams, data.Request!, "approve"));
        Assert.Contains("Approve and publish?", confirm.ToJsonString());
        var answer = await host.ClickAsync(teams, TeamsHost.Invoke(teams, data.Request!, "approve-confirmed"));
        Assert.Contains("Approved by Ana Silva at ", answer["value"]!.ToJsonString());

        var job = await host.Host.WaitForJobAsync(jobId, j => j.IsTerminal);
        Assert.Equal(JobStatus.Published, job.Status);
        await BotHost.WaitUntilAsync(() => Task.FromResult(teams.ConnectorCalls("PUT").Count > 0), TimeSpan.FromSeconds(30), "the card's update");
        await BotHost.WaitUntilAsync(
            async () => await host.Get<IReviewLedger>().GetAppliedAtAsync(jobId, 1, CancellationToken.None) is not null, TimeSpan.FromSeconds(30), "the decision to be marked applied");

        // A late second click changes nothing and learns who decided.
        var late = await host.ClickAsync(teams, TeamsHost.Invoke(teams, data.Request!, "approve-confirmed", TeamsHost.Ben, "Ben Okafor"));
        Assert.Contains("Already decided: Approved by Ana Silva", late["value"]!.ToJsonString());

        var put = Assert.Single(teams.ConnectorCalls("PUT"));
        Assert.Equal($"{teams.ActivitiesPath}/1:activity-1", put.RequestMessage.Path);
        Assert.Equal($"Bearer {BotFrameworkFake.AccessToken}", put.RequestMessage.Headers!["Authorization"].Single());
        var replaced = JsonNode.Parse(put.RequestMessage.Body!)!.AsObject();
        Assert.Equal("1:activity-1", replaced["id"]!.GetValue<string>());
        var decidedCard = replaced["attachments"]![0]!["content"]!.AsObject();
        Assert.Null(decidedCard["actions"]);
        Assert.DoesNotContain("Action.", decidedCard.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Approved by Ana Silva at ", decidedCard.ToJsonString());
        var decision = await host.Get<IReviewLedger>().GetDecisionAsync(jobId, 1, CancellationToken.None);
        Assert.Equal(TeamsHost.Ana, decision!.ReviewerId);
        var runs = await host.Get<IJobStore>().ListStageRunsAsync(jobId, CancellationToken.None);
        Assert.Single(runs, r => r.Stage == StageName.Publish);
        Assert.Single(teams.ConnectorCalls("POST"));
        Assert.Equal(1, teams.TokenRequests);
    }
}
