using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Bot.Slack;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>
/// The bot's host (<see cref="BotHost"/>) with Slack on, pointed at a WireMock playing the Slack Web API, and Slack's
/// side of the wire: signed interaction requests and payloads in Slack's shape. The queue's dispatcher is off unless
/// asked, so a decision stays recorded and enqueued for the test to look at.
/// </summary>
public static class SlackTestHost
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string Token = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";
    public const string Channel = "C0REVIEW";
    public const string Ana = "U0ANA";
    public const string Ben = "U0BEN";
    public const string Eve = "U0EVE";

    /// <param name="slack">Null: Slack is off (no Slack settings at all).</param>
    public static Task<BotHost> StartAsync(WireMockServer? slack, IReadOnlyList<string>? reviewers = null, bool dispatch = false) =>
        BotHost.StartAsync(settings: Settings(slack, reviewers ?? [Ana, Ben]), dispatch: dispatch);

    /// <summary>Slack's settings pointed at the WireMock, and the reviewers.</summary>
    public static Dictionary<string, string?> Settings(WireMockServer? slack, IReadOnlyList<string> reviewers)
    {
        var config = new Dictionary<string, string?>();
        if (slack is not null)
        {
            config["Slack:BotToken"] = Token;
            config["Slack:SigningSecret"] = Secret;
            config["Slack:Channel"] = Channel;
            config["Slack:ApiBaseUrl"] = slack.Url + "/api/";
            config["Slack:RetryBaseDelay"] = "00:00:00.050";
        }
        for (var i = 0; i < reviewers.Count; i++)
        {
            config[$"ViralForge:Review:Reviewers:{i}"] = reviewers[i];
        }
        return config;
    }

    /// <summary>A job whose review stage posted its video and waits for a decision, made directly in the store.</summary>
    public static async Task<Job> AwaitingJobAsync(this BotHost host)
    {
        var store = host.Get<IJobStore>();
        var request = new VideoRequest("Why octopuses have three hearts", Platforms.Both, 30, "facts", "default", "en", null, [], "");
        var job = (await store.SubmitAsync("sheet-" + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
        await store.ClaimStageAsync(job.Id, StageName.Review, job.Generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        using var output = JsonDocument.Parse("""{"posted":true}""");
        await store.AwaitApprovalAsync(job.Id, StageName.Review, job.Generation, output.RootElement.Clone(), CancellationToken.None);
        await store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        return (await store.GetAsync(job.Id, CancellationToken.None))!;
    }

    /// <summary>Decisions recorded for the job (the ledger keeps at most one; this counts rows to prove it).</summary>
    public static Task<long> DecisionCountAsync(this BotHost host, Guid jobId) =>
        host.ScalarAsync<long>("SELECT count(*) FROM review_decisions WHERE job_id = @job", ("job", jobId));

    /// <summary>Tasks queued to apply decisions.</summary>
    public static Task<long> ApplyTaskCountAsync(this BotHost host) =>
        host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = @queue", ("queue", ReviewDesk.DecisionQueue));

    public static Task<HttpResponseMessage> PostSignedAsync(this BotHost host, string payloadJson) => host.Client.SendAsync(Signed(payloadJson));

    /// <summary>An interaction request as Slack sends it: form-encoded payload, signed now with the app's secret.</summary>
    public static HttpRequestMessage Signed(string payloadJson, long? timestamp = null, string secret = Secret) =>
        SlackInteractionRequest.Signed(payloadJson, secret, timestamp ?? TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());

    public static string FormBody(string payloadJson) => SlackInteractionRequest.FormBody(payloadJson);

    public static HttpRequestMessage Request(byte[] body, string? timestamp, string? signature) => SlackInteractionRequest.Create(body, timestamp, signature);

    public static string Sign(string secret, string timestamp, byte[] body) => SlackRequestSigner.Sign(secret, timestamp, body);

    /// <summary>A block_actions payload in Slack's shape for a click on one of the card's buttons.</summary>
    public static string Click(string actionId, Guid jobId, int generation, string userId, string userName, string responseUrl, string triggerId = "13345224609.738474920.8088930838d88f008e0") =>
        new SlackButtonClick(actionId, jobId, generation, userId, userName, TeamId: "T0TEAM", AppId: "A0APP", Channel,
            CardTitle: "Three hearts & one brain", triggerId, ActionTs: "1700000005.123456", responseUrl).ToPayloadJson();

    /// <summary>A view_submission payload in Slack's shape for one of the modals.</summary>
    public static string Submit(string callbackId, string privateMetadata, JsonObject values, string userId, string userName) => new JsonObject
    {
        ["type"] = "view_submission",
        ["team"] = new JsonObject { ["id"] = "T0TEAM", ["domain"] = "viralforge" },
        ["user"] = new JsonObject { ["id"] = userId, ["username"] = userName.ToLowerInvariant(), ["name"] = userName, ["team_id"] = "T0TEAM" },
        ["api_app_id"] = "A0APP",
        ["trigger_id"] = "13345224609.738474920.8088930838d88f008e0",
        ["view"] = new JsonObject
        {
            ["id"] = "V0MODAL",
            ["type"] = "modal",
            ["callback_id"] = callbackId,
            ["private_metadata"] = privateMetadata,
            ["state"] = new JsonObject { ["values"] = values },
            ["hash"] = "156772938.1827394",
        },
        ["response_urls"] = new JsonArray(),
    }.ToJsonString();
}
