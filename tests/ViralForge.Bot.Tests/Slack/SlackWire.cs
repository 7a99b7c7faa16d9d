using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>WireMock answering as Slack's Web API does (HTTP 200, JSON, ok true or false), and reading back what it got.</summary>
public static class SlackWire
{
    public const string ResponsePath = "/actions/T0TEAM/1234567890/a1B2c3D4e5";
    public const string PostedTs = "1700000000.000100";

    public static string ResponseUrl(WireMockServer slack) => slack.Url + ResponsePath;

    /// <summary>chat.postMessage, chat.update, views.open and the response_url, all answering success.</summary>
    public static WireMockServer Start()
    {
        var slack = WireMockServer.Start();
        Ok(slack, "chat.postMessage", $$$"""{"ok":true,"channel":"{{{SlackTestHost.Channel}}}","ts":"{{{PostedTs}}}","message":{"type":"message","text":"x","ts":"{{{PostedTs}}}"}}""");
        Ok(slack, "chat.update", $$"""{"ok":true,"channel":"{{SlackTestHost.Channel}}","ts":"{{PostedTs}}","text":"x"}""");
        Ok(slack, "views.open", """{"ok":true,"view":{"id":"V0MODAL","type":"modal"}}""");
        slack.Given(Request.Create().WithPath(ResponsePath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody("""{"ok":true}"""));
        return slack;
    }

    public static void Ok(WireMockServer slack, string method, string body) =>
        slack.Given(Request.Create().WithPath("/api/" + method).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body));

    public static IReadOnlyList<ILogEntry> Calls(WireMockServer slack, string path) =>
        [.. slack.LogEntries.Where(e => e.RequestMessage.Path == path)];

    public static IReadOnlyList<JsonObject> Bodies(WireMockServer slack, string path) =>
        [.. Calls(slack, path).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsObject())];

    /// <summary>Waits (the responder works off the request path) until <paramref name="count"/> calls reached the path.</summary>
    public static async Task<IReadOnlyList<JsonObject>> WaitForAsync(WireMockServer slack, string path, int count = 1, double seconds = 10)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Calls(slack, path).Count < count)
        {
            if (watch.Elapsed.TotalSeconds > seconds)
            {
                throw new TimeoutException($"{path} got {Calls(slack, path).Count} calls, not {count}.");
            }
            await Task.Delay(50);
        }
        return Bodies(slack, path);
    }
}
