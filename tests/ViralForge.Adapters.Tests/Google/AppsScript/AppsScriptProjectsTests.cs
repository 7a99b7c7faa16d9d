using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.AppsScript;

namespace ViralForge.Adapters.Tests.Google.AppsScript;

/// <summary>projects.updateContent against WireMock playing the Apps Script API: the exact request, retries, and each kind of failure.</summary>
public sealed class AppsScriptProjectsTests
{
    private const string ScriptId = "1a2B3c4D5e6F7g8H9i0J-kLmNoPqRsTuVwXyZ_abcdefghijklmnopq";
    private const string ContentPath = "/v1/projects/" + ScriptId + "/content";

    private static readonly AppsScriptFile[] Files =
    [
        new(AppsScriptFile.ManifestName, AppsScriptFileType.Json, """{"timeZone":"Etc/UTC","runtimeVersion":"V8"}"""),
        new("Code", AppsScriptFileType.ServerJs, "function onOpen() {\n  return \"é\";\n}\n"),
        new("Sidebar", AppsScriptFileType.Html, "<!DOCTYPE html><p>ViralForge</p>"),
    ];

    /// <summary>What Google answers: the Content resource, its files with their metadata.</summary>
    private static string ContentAnswer(string scriptId = ScriptId) => $$$"""
        {
          "scriptId": "{{{scriptId}}}",
          "files": [
            {"name": "appsscript", "type": "JSON", "source": "{}", "lastModifyUser": {"email": "ana@example.com"}, "createTime": "2026-11-29T18:00:00.000Z", "updateTime": "2026-11-29T18:00:00.000Z"},
            {"name": "Code", "type": "SERVER_JS", "source": "…", "functionSet": {"values": [{"name": "onOpen"}]}},
            {"name": "Sidebar", "type": "HTML", "source": "…"}
          ]
        }
        """;

    [Fact]
    public async Task Update_puts_every_file_to_the_project_path_with_the_bearer_token()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBody(ContentAnswer()));
        await using var services = Create(server);

        var content = await services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, Files, CancellationToken.None);

        Assert.Equal(ScriptId, content.ScriptId);
        Assert.Equal([("appsscript", "JSON"), ("Code", "SERVER_JS"), ("Sidebar", "HTML")], content.Files);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("PUT", request.Method);
        Assert.Equal(ContentPath, request.Path);
        Assert.Equal("Bearer user-oauth-token", request.Headers!["Authorization"].Single());
        Assert.StartsWith("application/json", request.Headers["Content-Type"].Single(), StringComparison.Ordinal);
        var expected = """{"files":[{"name":"appsscript","type":"JSON","source":"{\u0022timeZone\u0022:\u0022Etc/UTC\u0022,\u0022runtimeVersion\u0022:\u0022V8\u0022}"},{"name":"Code","type":"SERVER_JS","source":"function onOpen() {\n  return \u0022\u00E9\u0022;\n}\n"},{"name":"Sidebar","type":"HTML","source":"\u003C!DOCTYPE html\u003E\u003Cp\u003EViralForge\u003C/p\u003E"}]}""";
        Assert.Equal(expected, request.Body);
        // and, read back, exactly the files sent
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal(Files.Select(f => (f.Name, f.Type, f.Source)),
            body.RootElement.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!, f.GetProperty("source").GetString()!)));
    }

    [Fact]
    public async Task A_429_is_retried_and_the_second_answer_counts()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).InScenario("quota").WillSetStateTo("refused once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0")
                .WithBody("""{"error":{"code":429,"message":"Quota exceeded for quota metric 'Management requests'","status":"RESOURCE_EXHAUSTED"}}"""));
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).InScenario("quota").WhenStateIs("refused once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ContentAnswer()));
        await using var services = Create(server);

        var content = await services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, Files, CancellationToken.None);

        Assert.Equal(3, content.Files.Count);
        Assert.Equal(2, server.LogEntries.Count());
        Assert.Equal(server.LogEntries.First().RequestMessage.Body, server.LogEntries.Last().RequestMessage.Body);
    }

    [Fact]
    public async Task A_lasting_500_is_an_error_after_the_retries()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ContentPath).UsingPut())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("""{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}"""));
        await using var services = Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, Files, CancellationToken.None));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal("INTERNAL", error.Status);
        Assert.Contains("Internal error encountered.", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.LogEntries.Count()); // the first attempt and MaxRetryAttempts (2) retries
    }

    [Fact]
    public async Task A_403_with_Googles_envelope_is_not_retried_and_keeps_the_message()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).RespondWith(Response.Create().WithStatusCode(403).WithBody("""
            {
              "error": {
                "code": 403,
                "message": "User has not enabled the Apps Script API. Enable it by visiting https://script.google.com/home/usersettings then retry.",
                "status": "PERMISSION_DENIED"
              }
            }
            """));
        await using var services = Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, Files, CancellationToken.None));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("PERMISSION_DENIED", error.Status);
        Assert.Contains("User has not enabled the Apps Script API", error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Theory]
    [InlineData("{\"scriptId\": \"x\", \"files\": [", "malformed JSON")]
    [InlineData("<html>Bad gateway</html>", "malformed JSON")]
    [InlineData("{\"scriptId\": \"x\"}", "without the project's files")]
    [InlineData("{\"files\": [{\"type\": \"HTML\"}]}", "without the project's files")]
    public async Task A_malformed_answer_is_a_clear_error(string body, string expected)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
        await using var services = Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, Files, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<AppsScriptFile[], string> BadProjects() => new()
    {
        { [new("Code", AppsScriptFileType.ServerJs, "")], "exactly one manifest" },
        { [Files[0], Files[0] with { Source = "{}" }], "exactly one manifest" },
        { [Files[0], new("settings", AppsScriptFileType.Json, "{}")], "no other JSON file" },
        { [Files[0], new("Sidebar", AppsScriptFileType.ServerJs, ""), new("Sidebar", AppsScriptFileType.Html, "")], "Two files are named \"Sidebar\"" },
        { [Files[0], new("Code", "JAVASCRIPT", "")], "use SERVER_JS, HTML or JSON" },
    };

    [Theory]
    [MemberData(nameof(BadProjects))]
    public async Task Files_that_are_not_a_project_are_refused_before_any_call(AppsScriptFile[] files, string expected)
    {
        using var server = WireMockServer.Start();
        await using var services = Create(server);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, files, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc/../other")]
    [InlineData("abc?x=1")]
    public async Task A_script_id_that_is_not_one_is_refused_before_any_call(string scriptId)
    {
        using var server = WireMockServer.Start();
        await using var services = Create(server);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(scriptId, Files, CancellationToken.None));

        Assert.Contains("is not a script id", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_silent_server_is_a_timeout_naming_the_setting()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ContentPath).UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ContentAnswer()).WithDelay(TimeSpan.FromSeconds(2)));
        await using var services = Create(server, new Dictionary<string, string?> { ["Google:AppsScript:AttemptTimeout"] = "00:00:00.200", ["Google:AppsScript:MaxRetryAttempts"] = "1" });

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            services.GetRequiredService<IAppsScriptProjects>().UpdateContentAsync(ScriptId, Files, CancellationToken.None));

        Assert.Contains("Google:AppsScript:AttemptTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("in 2 attempts", error.Message, StringComparison.Ordinal);
        // WireMock logs a request once its delayed answer is done: both attempts arrive.
        for (var i = 0; i < 50 && server.LogEntries.Count() < 2; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(2, server.LogEntries.Count());
    }

    private static ServiceProvider Create(WireMockServer server, IDictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Google:AppsScript:BaseAddress"] = server.Url + "/",
            ["Google:AppsScript:AttemptTimeout"] = "00:00:05",
            ["Google:AppsScript:RetryBaseDelay"] = "00:00:00.010",
            ["Google:AppsScript:MaxRetryAttempts"] = "2",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource("user-oauth-token"));
        services.AddAppsScriptProjects(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
