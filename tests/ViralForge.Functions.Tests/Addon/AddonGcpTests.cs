using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Core.Ports;
using ViralForge.Functions.Tests.Simulated;
using ViralForge.Testing;

namespace ViralForge.Functions.Tests.Addon;

/// <summary>
/// The add-on on the production profile: Cloud Tasks' tokens and the add-on's identity tokens checked side by side
/// with one key cache, the first stage enqueued on (simulated) Cloud Tasks, and Cloud Tasks out of reach answered 503.
/// </summary>
public sealed class AddonGcpTests
{
    private const string Invoker = "vf-tasks-invoker@viralforge-test.iam.gserviceaccount.com";

    [Fact]
    public async Task On_gcp_rows_become_cloud_tasks_and_both_kinds_of_token_read_the_job()
    {
        using var google = new SimulatedGoogleCloud();
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        await using var host = await TestHost.StartAsync(dispatch: false, settings: Settings(google, url, scratch.Path, google.BaseUrl), url: url, replace: SimulatedCredentials);
        var now = TimeProvider.System.GetUtcNow();

        using var submit = Post(url + "/jobs", AddonHost.Batch([(5, "Three tips for sourdough", "30")]), google.Tokens.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now)));
        using var submitted = await host.Client.SendAsync(submit);
        var body = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(1, google.TaskCreates);
        var jobId = (string)body["results"]![0]!["jobId"]!;
        foreach (var token in new[] { google.Tokens.Mint(url, Invoker, now), google.Tokens.Mint(AddonHost.IdentityClaims(AddonHost.Ana, now)) })
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/jobs/{jobId}");
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await host.Client.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        // A Cloud Tasks token does not open the add-on's endpoints: its audience is the service, not the add-on.
        using var wrong = Post(url + "/jobs", AddonHost.Batch([(6, "Why cats sleep so much", "30")]), google.Tokens.Mint(url, Invoker, now));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task With_cloud_tasks_out_of_reach_the_rows_are_answered_503_and_sending_again_makes_nothing_twice()
    {
        using var google = new SimulatedGoogleCloud();
        using var scratch = new TempFolder();
        using var refused = new RefusedPort();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        await using var host = await TestHost.StartAsync(dispatch: false, settings: Settings(google, url, scratch.Path, refused.Url), url: url, replace: SimulatedCredentials);
        var batch = AddonHost.Batch([(5, "Three tips for sourdough", "30")]);

        using var first = Post(url + "/jobs", batch, google.Tokens.Mint(AddonHost.IdentityClaims(AddonHost.Ana, TimeProvider.System.GetUtcNow())));
        using var response = await host.Client.SendAsync(first);
        using var again = Post(url + "/jobs", batch, google.Tokens.Mint(AddonHost.IdentityClaims(AddonHost.Ana, TimeProvider.System.GetUtcNow())));
        using var second = await host.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Contains("could not queue the rows", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Single(await host.Get<IJobStore>().ListBySheetAsync($"gsheet:{AddonHost.SpreadsheetId}/Ideas", CancellationToken.None));
    }

    private static HttpRequestMessage Post(string url, string json, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    private static void SimulatedCredentials(IServiceCollection services) =>
        services.AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource("test-access-token"));

    private static Dictionary<string, string?> Settings(SimulatedGoogleCloud google, string url, string workFolder, string tasksBaseAddress) => new()
    {
        ["ViralForge:Profile"] = "gcp",
        ["ViralForge:WorkFolder"] = workFolder,
        ["Addon:OAuthClientId"] = AddonHost.ClientId,
        ["Addon:AllowedEmails:0"] = AddonHost.Ana,
        ["Google:Auth:Audience"] = url,
        ["Google:Auth:AllowedServiceAccounts:0"] = Invoker,
        ["Google:Auth:JwksUri"] = google.BaseUrl + "oauth2/v3/certs",
        ["Google:Tasks:ProjectId"] = "viralforge-test",
        ["Google:Tasks:Location"] = "europe-west1",
        ["Google:Tasks:BaseAddress"] = tasksBaseAddress,
        ["Google:Tasks:MaxRetryAttempts"] = "0",
        ["Google:Tasks:UrlTemplate"] = url,
        ["Google:Tasks:InvokerServiceAccount"] = Invoker,
        ["Google:Storage:Bucket"] = "vf-test-bucket",
        ["Google:Storage:BaseAddress"] = google.BaseUrl,
        ["Google:Storage:SigningServiceAccountEmail"] = "vf-runtime@viralforge-test.iam.gserviceaccount.com",
        ["Google:Storage:IamCredentialsBaseAddress"] = google.BaseUrl,
        ["Google:CloudRun:ProjectId"] = "viralforge-test",
        ["Google:CloudRun:Region"] = "europe-west1",
        ["Google:CloudRun:BaseAddress"] = google.BaseUrl,
        ["Google:Sheets:BaseAddress"] = google.BaseUrl,
    };
}
