using System.Text;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Bot.Teams;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>
/// The bot's host (<see cref="BotHost"/>) with Teams pointed at a <see cref="BotFrameworkFake"/> (or no Teams settings),
/// two reviewers (<see cref="Ana"/>, <see cref="Ben"/>) and the queue's dispatcher off, so a test sees exactly what a
/// click recorded and queued.
/// </summary>
public sealed class TeamsHost : IAsyncDisposable
{
    public const string Ana = "aad-ana-0001";
    public const string Ben = "aad-ben-0002";

    private TeamsHost(BotHost host) => Host = host;

    public BotHost Host { get; }

    public HttpClient Client => Host.Client;

    public T Get<T>() where T : notnull => Host.Get<T>();

    public static async Task<TeamsHost> StartAsync(
        BotFrameworkFake? teams, IReadOnlyDictionary<string, string?>? settings = null, bool dispatch = false, RecordingLoggerProvider? log = null)
    {
        var all = Settings(teams);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }
        return new TeamsHost(await BotHost.StartAsync(
            services: log is null ? null : s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log), settings: all, dispatch: dispatch));
    }

    /// <summary>The reviewers and, when given, the Teams settings of the fake.</summary>
    public static Dictionary<string, string?> Settings(BotFrameworkFake? teams)
    {
        var all = new Dictionary<string, string?>
        {
            ["ViralForge:Review:Reviewers:0"] = Ana,
            ["ViralForge:Review:Reviewers:1"] = Ben,
        };
        foreach (var (k, v) in teams?.Settings() ?? [])
        {
            all[k] = v;
        }
        return all;
    }

    /// <summary>A job whose review stage has posted its video and waits for a decision, and the card's request.</summary>
    public async Task<ReviewRequest> AwaitingReviewAsync(string title = "Five facts about octopuses")
    {
        var store = Get<IJobStore>();
        var video = new VideoRequest("octopus facts", Platforms.Both, 30, "bold-pop", "en", "en", null, ["ocean"], "");
        var job = (await store.SubmitAsync("teams-test-sheet", Guid.NewGuid().ToString("N"), video, CancellationToken.None)).Job;
        await store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Review), StageName.Review, CancellationToken.None);
        await store.ClaimStageAsync(job.Id, StageName.Review, job.Generation, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.AwaitApprovalAsync(job.Id, StageName.Review, job.Generation, JsonDocument.Parse("{}").RootElement, CancellationToken.None);
        return new ReviewRequest(job.Id, job.Generation, video.Topic, title, "Octopuses have three hearts.",
            new Uri($"https://storage.example.com/{job.Id:N}/preview.mp4"), 29.5, Platforms.Both, null,
            new Uri($"https://storage.example.com/{job.Id:N}/thumb.jpg"), 0.42m);
    }

    /// <summary>The invoke Teams sends for an Action.Execute click: the action's data with the inputs merged in.</summary>
    public static JsonObject Invoke(BotFrameworkFake teams, ReviewRequest request, string verb, string aadObjectId = Ana, string name = "Ana Silva",
        IReadOnlyDictionary<string, string>? inputs = null)
    {
        var data = TeamsCards.Data(request);
        foreach (var (k, v) in inputs ?? new Dictionary<string, string>())
        {
            data[k] = v;
        }
        return new JsonObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["id"] = "f:" + Guid.NewGuid().ToString("N"),
            ["timestamp"] = "2026-11-29T19:30:00.123Z",
            ["serviceUrl"] = teams.ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = "29:1" + aadObjectId, ["name"] = name, ["aadObjectId"] = aadObjectId },
            ["recipient"] = new JsonObject { ["id"] = "28:" + BotFrameworkFake.AppId, ["name"] = "ViralForge" },
            ["conversation"] = new JsonObject
            {
                ["id"] = BotFrameworkFake.ConversationId + ";messageid=1:activity-1",
                ["conversationType"] = "channel",
                ["tenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            },
            ["replyToId"] = "1:activity-1",
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
                ["trigger"] = "manual",
            },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "72f988bf-86f1-41af-91ab-2d7cd011db47" } },
        };
    }

    /// <summary>POSTs an activity to /api/messages with this Authorization header (none when null).</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(JsonObject activity, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TeamsServiceCollectionExtensions.MessagesPath)
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>POSTs an activity with a genuine Connector token for it, and reads the invoke answer.</summary>
    public async Task<JsonObject> ClickAsync(BotFrameworkFake teams, JsonObject activity)
    {
        var token = teams.Key.Mint(BotFrameworkFake.AppId, teams.ServiceUrl, TimeProvider.System.GetUtcNow());
        using var response = await PostActivityAsync(activity, "Bearer " + token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/api/messages answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
