using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Publishing;
using ViralForge.Adapters.Tests.Google.Storage;
using ViralForge.Adapters.YouTube;
using ViralForge.Core;
using ViralForge.Core.Ports;
using WireMock.Models;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>
/// YouTube's upload API as WireMock plays it, with the exact wire format: the resumable insert POST answers 200 with the
/// session URI in Location; each PUT to the session appends the bytes that follow what it holds and answers 308 with
/// "Range: bytes=0-N" (none while empty), or 200 with the video resource once all are in; "Content-Range: bytes */total"
/// asks without sending. thumbnails.set and videos.delete answer as a test sets them up.
/// </summary>
internal sealed partial class FakeYouTube
{
    public const string VideoId = "vf_Test_Vid1";

    public const string InsertPath = "/upload/youtube/v3/videos";

    public const string ThumbnailPath = "/upload/youtube/v3/thumbnails/set";

    public const string DeletePath = "/youtube/v3/videos";

    private readonly Lock gate = new();
    private readonly List<byte> stored = [];
    private readonly WireMockServer server;

    public FakeYouTube(WireMockServer server)
    {
        this.server = server;
        server.Given(Request.Create().WithPath(InsertPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(Start));
        server.Given(Request.Create().WithPath(InsertPath).UsingPut().WithParam("upload_id"))
            .RespondWith(Response.Create().WithCallback(Answer));
        server.Given(Request.Create().WithPath(ThumbnailPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"kind":"youtube#thumbnailSetResponse","items":[{"default":{"url":"https://i.ytimg.com/vi/x/default.jpg"}}]}"""));
    }

    private readonly List<string> sessions = [];
    private string status = """{"uploadStatus":"uploaded","privacyStatus":"private"}""";
    private readonly HashSet<string> expired = [];

    /// <summary>The session URIs handed out, oldest first.</summary>
    public IReadOnlyList<string> Sessions
    {
        get
        {
            lock (gate)
            {
                return [.. sessions];
            }
        }
    }

    /// <summary>The session answers every PUT 404 from now on, as an expired one does.</summary>
    public void Expire(string session)
    {
        lock (gate)
        {
            expired.Add(new Uri(session).Query);
        }
    }

    /// <summary>Runs at the first PUT that carries bytes (a test checks the session was stored before it).</summary>
    public Action? BeforeFirstBytes { get; set; }


    public byte[] Stored
    {
        get
        {
            lock (gate)
            {
                return [.. stored];
            }
        }
    }

    /// <summary>The first PUT with this Content-Range gets a connection cut mid-answer (WireMock's fault), and the session keeps none of it.</summary>
    public void DropConnectionOnce(string contentRange) =>
        server.Given(Request.Create().WithPath(InsertPath).UsingPut().WithHeader("Content-Range", contentRange))
            .AtPriority(0)
            .InScenario($"drop {contentRange}")
            .WillSetStateTo("dropped")
            .RespondWith(Response.Create().WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));

    public IEnumerable<WireMock.Logging.ILogEntry> Requests(string method, string path) =>
        server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path);

    private ResponseMessage Start(IRequestMessage request)
    {
        var session = $"{server.Url}{InsertPath}?uploadType=resumable&upload_id=session-{Guid.NewGuid():N}";
        // The finished video's status echoes what the insert declared, as YouTube's resource does.
        var declared = System.Text.Json.Nodes.JsonNode.Parse(request.Body ?? "{}")?["status"];
        lock (gate)
        {
            sessions.Add(session);
            // A new session holds nothing yet.
            stored.Clear();
            status = declared is null ? """{"uploadStatus":"uploaded","privacyStatus":"private"}"""
                : new System.Text.Json.Nodes.JsonObject { ["uploadStatus"] = "uploaded", ["privacyStatus"] = (string?)declared["privacyStatus"], ["publishAt"] = (string?)declared["publishAt"] }.ToJsonString();
        }
        var reply = Reply(200, "");
        reply.Headers = new Dictionary<string, WireMockList<string>> { ["Location"] = new(session) };
        return reply;
    }

    private IResponseMessage Answer(IRequestMessage request)
    {
        lock (gate)
        {
            if (expired.Contains(new Uri(request.Url).Query))
            {
                return Reply(404, """{"error":{"code":404,"message":"Not Found"}}""");
            }
        }
        var match = ContentRange().Match(request.Headers!["Content-Range"].Single());
        var total = long.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture);
        var body = request.BodyAsBytes ?? [];
        if (body.Length > 0 && BeforeFirstBytes is { } check)
        {
            BeforeFirstBytes = null;
            check();
        }
        lock (gate)
        {
            // Only the bytes that follow what the session has count; a resent overlap is ignored.
            if (match.Groups["first"].Success && long.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture) == stored.Count)
            {
                stored.AddRange(body);
            }
            if (stored.Count == total)
            {
                return Reply(200, $$$"""{"kind":"youtube#video","id":"{{{VideoId}}}","status":{{{status}}} }""");
            }
            var reply = Reply(308, "");
            if (stored.Count > 0)
            {
                reply.Headers = new Dictionary<string, WireMockList<string>> { [FakeUploadSession.RangeStandIn] = new($"bytes=0-{stored.Count - 1}") };
            }
            return reply;
        }
    }

    private static ResponseMessage Reply(int status, string body) => new()
    {
        StatusCode = status,
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
    };

    [GeneratedRegex(@"^bytes (?:(?<first>\d+)-(?<last>\d+)|\*)/(?<total>\d+)$")]
    private static partial Regex ContentRange();
}

/// <summary>The connected accounts as a test scripts them: tokens handed out in turn, or a refusal.</summary>
internal sealed class FakePlatformTokens(params string[] tokens) : IPlatformTokens
{
    public static readonly PlatformAccount Channel = new("youtube", "UC_test_channel", "Cat Facts Daily");

    private int asked;

    public int Asked => Volatile.Read(ref asked);

    /// <summary>Thrown by every request for a token (a revoked grant).</summary>
    public Exception? Refusal { get; set; }

    public List<string?> Channels { get; } = [];

    public Task<PlatformAccess> GetAccessAsync(string platform, string? channel, CancellationToken cancellationToken)
    {
        Channels.Add(channel);
        if (Refusal is { } refusal)
        {
            return Task.FromException<PlatformAccess>(refusal);
        }
        var index = Interlocked.Increment(ref asked) - 1;
        return Task.FromResult(new PlatformAccess(Channel, tokens[Math.Min(index, tokens.Length - 1)]));
    }

    /// <summary>The tokens a publisher said were refused before their expiry.</summary>
    public List<string> Forgotten { get; } = [];

    public void Forget(PlatformAccess access) => Forgotten.Add(access.AccessToken);

    public Task<IReadOnlyList<PlatformAccount>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlatformAccount>>([Channel]);
}

/// <summary>The process dies as it sends the first bytes of the upload: nothing after the session's start happens.</summary>
internal sealed class CrashBeforeBytes : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Method == HttpMethod.Put ? throw new ProcessKilledException() : base.SendAsync(request, cancellationToken);
}

internal sealed class ProcessKilledException() : Exception("test: the process was killed");

/// <summary>The publishers as the host registers them (AddPublishing), on WireMock, a fake clock and the given ledger.</summary>
internal static class YouTubeServices
{
    public static ServiceProvider Build(
        WireMockServer server, IPlatformTokens tokens, ICostLedger ledger, TimeProvider time, string workFolder,
        Dictionary<string, string?>? settings = null, bool crashBeforeBytes = false, bool youtube = true)
    {
        var values = new Dictionary<string, string?>
        {
            ["YouTube:UploadBaseUrl"] = $"{server.Url}/upload/youtube/v3",
            ["YouTube:ApiBaseUrl"] = $"{server.Url}/youtube/v3",
            ["YouTube:ChunkBytes"] = YouTubePublisher.ChunkUnit.ToString(CultureInfo.InvariantCulture),
            // No wait between resumes: the publisher waits on the test's fake clock, which does not move by itself.
            ["YouTube:RetryBaseDelay"] = "00:00:00",
            ["YouTube:CategoryId"] = "24",
        };
        if (youtube)
        {
            values["YouTube:ClientId"] = "1234-test.apps.googleusercontent.com";
        }
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(tokens)
            .AddSingleton(ledger)
            .AddSingleton(time)
            .AddSingleton(Options.Create(new ViralForgeOptions { WorkFolder = workFolder }));
        services.AddPublishing(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var trouble = new NetworkTrouble();
        var client = services.AddHttpClient(YouTubePublisher.HttpClientName);
        if (crashBeforeBytes)
        {
            client.AddHttpMessageHandler(() => new CrashBeforeBytes());
        }
        client.AddHttpMessageHandler(() => new TestNetwork(trouble));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
