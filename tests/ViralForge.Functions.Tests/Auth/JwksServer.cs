using System.Text.Json.Nodes;

namespace ViralForge.Functions.Tests.Auth;

/// <summary>A WireMock server (port 0, one per test) serving a key set at Google's path, in Google's format: {"keys":[...]}.</summary>
public sealed class JwksServer : IDisposable
{
    public const string Path = "/oauth2/v3/certs";

    private readonly WireMockServer server = WireMockServer.Start();

    /// <summary>Where the key set is, for Google:Auth:JwksUri.</summary>
    public string JwksUri => server.Url + Path;

    /// <summary>GETs of the key set so far.</summary>
    public int Fetches => server.LogEntries.Count(e => e.RequestMessage?.Path == Path);

    /// <summary>Serves these keys from now on; Cache-Control as Google sends it (public, max-age=..., must-revalidate, no-transform).</summary>
    public void Serve(IEnumerable<TestSigningKey> keys, TimeSpan? maxAge = null)
    {
        var set = new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.Jwk())]) };
        var response = Response.Create()
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json; charset=UTF-8")
            .WithBody(set.ToJsonString());
        if (maxAge is { } age)
        {
            response = response.WithHeader("Cache-Control", $"public, max-age={(int)age.TotalSeconds}, must-revalidate, no-transform");
        }
        Answer(response);
    }

    /// <summary>Answers every fetch with this status and body.</summary>
    public void Fail(int status, string body = "") =>
        Answer(Response.Create().WithStatusCode(status).WithBody(body));

    private void Answer(IResponseBuilder response)
    {
        server.ResetMappings();
        server.Given(Request.Create().WithPath(Path).UsingGet()).RespondWith(response);
    }

    public void Dispose() => server.Dispose();
}
