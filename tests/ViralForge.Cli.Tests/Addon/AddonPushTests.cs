using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using ViralForge.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ViralForge.Cli.Tests.Addon;

/// <summary>`vf addon push` end to end: an add-on folder on disk in, one projects.updateContent call to WireMock out.</summary>
public sealed class AddonPushTests : IDisposable
{
    private const string ScriptId = "1qWeRtYuIoP-asdfghjkl_zxcvbnm1234567890QWERTYUIOPasdfgh";
    private const string ContentPath = "/v1/projects/" + ScriptId + "/content";
    private const string Backend = "https://vf-addon-123456789012.europe-west1.run.app";

    private const string Manifest = """
        {
          "timeZone": "Etc/UTC",
          "runtimeVersion": "V8",
          "oauthScopes": ["openid", "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/script.external_request"],
          "urlFetchWhitelist": ["https://BACKEND_URL/"]
        }
        """;

    private readonly TempFolder folder = new();
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly StringWriter output = new();
    private readonly IAnsiConsole console;

    public AddonPushTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 400;
        Write("appsscript.json", Manifest);
        Write("Config.gs", "var VF_BACKEND_URL = 'https://BACKEND_URL/';\n");
        Write("Code.gs", "function onOpen(e) {\n  SpreadsheetApp.getUi().createAddonMenu().addItem('Open', 'showSidebar').addToUi();\n}\n");
        Write("Sidebar.html", "<!DOCTYPE html>\n<html><body><p>Rows go to https://BACKEND_URL/jobs</p></body></html>\n");
        Write("README.md", "not part of the project");
        Write(Path.Combine("tests", "Code.test.gs"), "not part of the project either");
    }

    [Fact]
    public async Task Push_uploads_the_manifest_scripts_and_html_with_the_backend_url_and_prints_them()
    {
        AnswerWithContent();

        var exit = await PushAsync(token: "ya29.user-token");

        Assert.Equal(0, exit);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("PUT", request.Method);
        Assert.Equal(ContentPath, request.Path);
        Assert.Equal("Bearer ya29.user-token", request.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        var files = body.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Type: f.GetProperty("type").GetString()!, Source: f.GetProperty("source").GetString()!))
            .ToList();
        Assert.Equal([("appsscript", "JSON"), ("Code", "SERVER_JS"), ("Config", "SERVER_JS"), ("Sidebar", "HTML")], files.Select(f => (f.Name, f.Type)));
        Assert.Equal(Manifest.Replace("https://BACKEND_URL/", Backend + "/", StringComparison.Ordinal), files[0].Source);
        using (var manifest = JsonDocument.Parse(files[0].Source))
        {
            Assert.Equal(Backend + "/", manifest.RootElement.GetProperty("urlFetchWhitelist")[0].GetString());
        }
        Assert.Equal($"var VF_BACKEND_URL = '{Backend}/';\n", files[2].Source);
        Assert.Contains($"{Backend}/jobs", files[3].Source, StringComparison.Ordinal);
        Assert.DoesNotContain(files, f => f.Source.Contains("https://BACKEND_URL/", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(folder.File("Code.gs")), files[1].Source);

        var printed = output.ToString();
        Assert.Contains($"Uploaded 4 files to script {ScriptId}", printed, StringComparison.Ordinal);
        foreach (var name in new[] { "appsscript", "Code", "Config", "Sidebar" })
        {
            Assert.Contains(name, printed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_token_comes_from_a_file_before_the_environment()
    {
        AnswerWithContent();
        var tokenFile = folder.File("token.txt");
        File.WriteAllText(tokenFile, "ya29.from-the-file\n");

        var exit = await PushAsync(token: "ya29.from-the-environment", tokenFile: tokenFile);

        Assert.Equal(0, exit);
        Assert.Equal("Bearer ya29.from-the-file", Assert.Single(server.LogEntries).RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task A_429_then_success_uploads_once_more_and_succeeds()
    {
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).InScenario("quota").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0")
                .WithBody("""{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"""));
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).InScenario("quota").WhenStateIs("once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ContentJson()));

        Assert.Equal(0, await PushAsync(token: "ya29.user-token"));
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Theory]
    [InlineData(401, """{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}""", "Google refused the token (401")]
    [InlineData(403, """{"error":{"code":403,"message":"User has not enabled the Apps Script API.","status":"PERMISSION_DENIED"}}""", "script.google.com/home/usersettings")]
    [InlineData(404, """{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}""", "There is no Apps Script project")]
    [InlineData(429, """{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}""", "quota for the Apps Script API is used up")]
    [InlineData(503, "<html>Service Unavailable</html>", "repeating it is safe")]
    [InlineData(200, "{\"files\": [", "answer was not a project")]
    public async Task Each_failure_is_explained_and_exits_1(int status, string body, string expected)
    {
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Retry-After", "0").WithBody(body));

        var exit = await PushAsync(token: "ya29.user-token");

        Assert.Equal(1, exit);
        Assert.Contains(expected, output.ToString().ReplaceLineEndings(""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_token_is_refused_before_any_call()
    {
        var exit = await PushAsync(token: null);

        Assert.Equal(2, exit);
        Assert.Contains("No token: pass --token-file FILE or set VF_APPS_SCRIPT_TOKEN", output.ToString().ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_missing_manifest_is_refused_before_any_call()
    {
        File.Delete(folder.File("appsscript.json"));

        var exit = await PushAsync(token: "ya29.user-token");

        Assert.Equal(2, exit);
        Assert.Contains("No manifest at", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_manifest_that_is_not_json_is_refused_before_any_call()
    {
        Write("appsscript.json", "{ \"timeZone\": ");

        Assert.Equal(2, await PushAsync(token: "ya29.user-token"));
        Assert.Contains("is not valid JSON", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_script_and_a_page_with_the_same_name_are_refused_before_any_call()
    {
        Write("Sidebar.gs", "function sidebar() {}");

        Assert.Equal(2, await PushAsync(token: "ya29.user-token"));
        Assert.Contains("Two files are named \"Sidebar\"", output.ToString().ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Theory]
    [InlineData("http://vf-addon.example")]
    [InlineData("vf-addon.example")]
    [InlineData("https://vf-addon.example/?x=1")]
    public async Task A_backend_url_that_is_not_https_is_refused(string url)
    {
        Assert.Equal(2, await PushAsync(token: "ya29.user-token", backendUrl: url));
        Assert.Contains("--backend-url", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task The_vf_command_runs_addon_push()
    {
        AnswerWithContent();
        var vf = Path.Combine(AppContext.BaseDirectory, "vf.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { vf, "addon", "push", "--script-id", ScriptId, "--backend-url", Backend, "--folder", folder.Path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["VF_APPS_SCRIPT_TOKEN"] = "ya29.from-the-environment";
        start.Environment["Google__AppsScript__BaseAddress"] = server.Url + "/";
        start.Environment["COLUMNS"] = "300";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout} {await stderr}");
        Assert.Contains("Uploaded 4 files", await stdout, StringComparison.Ordinal);
        Assert.Equal("Bearer ya29.from-the-environment", Assert.Single(server.LogEntries).RequestMessage.Headers!["Authorization"].Single());
    }

    private Task<int> PushAsync(string? token, string? tokenFile = null, string backendUrl = Backend)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VF_APPS_SCRIPT_TOKEN"] = token,
            ["Google:AppsScript:BaseAddress"] = server.Url + "/",
            ["Google:AppsScript:RetryBaseDelay"] = "00:00:00.010",
            ["Google:AppsScript:MaxRetryAttempts"] = "2",
        }).Build();
        return AddonPush.RunAsync(
            new AddonPushArguments(ScriptId, backendUrl, tokenFile is null ? null : new FileInfo(tokenFile), new DirectoryInfo(folder.Path)),
            console, configuration, CancellationToken.None);
    }

    private void AnswerWithContent() =>
        server.Given(Request.Create().WithPath(ContentPath).UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBody(ContentJson()));

    private static string ContentJson() => $$"""
        {"scriptId": "{{ScriptId}}", "files": [
          {"name": "appsscript", "type": "JSON", "source": "{}"},
          {"name": "Code", "type": "SERVER_JS", "source": ""},
          {"name": "Config", "type": "SERVER_JS", "source": ""},
          {"name": "Sidebar", "type": "HTML", "source": ""}
        ]}
        """;

    private void Write(string name, string text)
    {
        var path = folder.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        server.Dispose();
        output.Dispose();
        folder.Dispose();
    }
}
