using System.Globalization;
using System.Text.RegularExpressions;

namespace ViralForge.Adapters.Tests.Google.Storage;

/// <summary>What the session does to one PUT instead of answering it plainly.</summary>
internal abstract record Mishap
{
    /// <summary>Keeps the first <paramref name="Kept"/> bytes of the chunk, then answers <paramref name="Status"/>.</summary>
    public sealed record Fail(int Status, int Kept) : Mishap;

    /// <summary>Stores the chunk, but answers only after <paramref name="Delay"/>.</summary>
    public sealed record Slow(TimeSpan Delay) : Mishap;
}

/// <summary>
/// A resumable upload session as Cloud Storage runs one: the init POST answers a session URI in Location; each PUT
/// appends the bytes that follow what it holds and answers 308 with "Range: bytes=0-N" (none while empty), or 200 with
/// the object once all are in; "Content-Range: bytes */total" asks without sending. <see cref="Script"/> makes
/// particular PUTs (numbered from 1) misbehave.
/// </summary>
internal sealed partial class FakeUploadSession
{
    private readonly Lock gate = new();
    private readonly List<byte> stored = [];
    private int puts;

    /// <summary>
    /// WireMock.Net will not send a response header named Range (it treats it as restricted), so the session sends
    /// the value under this name and <see cref="TestNetwork"/> renames it before the client reads the answer.
    /// </summary>
    public const string RangeStandIn = "X-Test-Range";

    private readonly WireMockServer server;

    public FakeUploadSession(WireMockServer server, string bucket)
    {
        this.server = server;
        SessionPath = $"/upload/session/{Guid.NewGuid():N}";
        server.Given(Request.Create().WithPath($"/upload/storage/v1/b/{bucket}/o").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Location", server.Url + SessionPath + "?upload_id=xyz"));
        server.Given(Request.Create().WithPath(SessionPath).UsingPut()).RespondWith(Response.Create().WithCallback(AnswerAsync));
    }

    public string SessionPath { get; }

    /// <summary>The first PUT with this Content-Range gets a garbled answer (WireMock's malformed-chunk fault), and the session keeps none of it.</summary>
    public void GarbleOnce(string contentRange) =>
        server.Given(Request.Create().WithPath(SessionPath).UsingPut().WithHeader("Content-Range", contentRange))
            .AtPriority(0)
            .InScenario($"garble {contentRange}")
            .WillSetStateTo("garbled")
            .RespondWith(Response.Create().WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));

    public Func<int, Mishap?> Script { get; init; } = _ => null;

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

    private async Task<IResponseMessage> AnswerAsync(IRequestMessage request)
    {
        var match = ContentRange().Match(request.Headers!["Content-Range"].Single());
        var total = long.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture);
        var body = request.BodyAsBytes ?? [];
        int number;
        lock (gate)
        {
            number = ++puts;
        }
        var mishap = Script(number);
        var kept = mishap is Mishap.Fail fail ? fail.Kept : body.Length;
        lock (gate)
        {
            // Only the bytes that follow what the session has count; a resent overlap is ignored, as Cloud Storage does.
            if (match.Groups["first"].Success && long.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture) == stored.Count)
            {
                stored.AddRange(body.Take(kept));
            }
        }
        if (mishap is Mishap.Slow slow)
        {
            await Task.Delay(slow.Delay);
        }
        if (mishap is Mishap.Fail failed)
        {
            return Reply(failed.Status, """{"error":{"code":500,"message":"Backend Error"}}""");
        }
        lock (gate)
        {
            if (stored.Count == total)
            {
                return Reply(200, $$"""{"name":"x","bucket":"b","generation":"1712345","size":"{{total}}"}""");
            }
            var reply = Reply(308, "");
            if (stored.Count > 0)
            {
                reply.Headers = new Dictionary<string, WireMockList<string>> { [RangeStandIn] = new($"bytes=0-{stored.Count - 1}") };
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

/// <summary>
/// Test-only network trouble between the uploader and the session, and a fix-up: WireMock.Net will not send a Range
/// response header, so the session's <see cref="FakeUploadSession.RangeStandIn"/> is renamed back to Range here.
/// </summary>
internal sealed class TestNetwork(NetworkTrouble trouble) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var range = request.Content?.Headers.ContentRange?.ToString();
        var response = await base.SendAsync(request, cancellationToken);
        if (range is not null && trouble.DropAnswerOnce(range))
        {
            // The session got and kept the chunk; only its answer is lost, as when a connection resets on the way back.
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "test network: the connection was reset before the answer arrived");
        }
        if (response.Headers.TryGetValues(FakeUploadSession.RangeStandIn, out var values))
        {
            response.Headers.Remove(FakeUploadSession.RangeStandIn);
            response.Headers.TryAddWithoutValidation("Range", values);
        }
        return response;
    }
}

/// <summary>Which upload answers the <see cref="TestNetwork"/> loses.</summary>
internal sealed class NetworkTrouble
{
    private readonly HashSet<string> answersToDrop = [];

    /// <summary>The answer to the first PUT with this Content-Range never arrives.</summary>
    public NetworkTrouble LoseAnswerTo(string contentRange)
    {
        lock (answersToDrop)
        {
            answersToDrop.Add(contentRange);
        }
        return this;
    }

    public bool DropAnswerOnce(string contentRange)
    {
        lock (answersToDrop)
        {
            return answersToDrop.Remove(contentRange);
        }
    }
}
