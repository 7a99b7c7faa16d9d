using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Webhooks;
using ViralForge.Testing.Webhooks;

namespace ViralForge.Functions.Tests.Webhooks;

public sealed class WebhookEndpointsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_receiver_answering_500_then_200_gets_the_same_signed_event_again_after_a_backoff_and_both_attempts_are_logged()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(500));
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200));
        await using var host = await WebhookHost.StartAsync(allowPrivateNetworks: true);
        var (id, secret) = await SubscribeAsync(host, $"http://127.0.0.1:{receiver.Port}/hook", WebhookEventTypes.StatusChanged);
        var job = await NewJobAsync(host);

        // The row's sync is where every status change passes: the host's writer queues the webhook.
        await host.Get<SheetStatusWriter>().SyncAsync(job.Id, CancellationToken.None);
        var entries = await WaitForAsync(receiver, 2);
        var log = await WaitForLogAsync(host, id, 2);

        Assert.Equal(2, entries.Count);
        Assert.Equal(Header(entries[0], "webhook-id"), Header(entries[1], "webhook-id"));
        foreach (var entry in entries)
        {
            Assert.Null(StandardWebhooksVerifier.Verify(secret, Header(entry, "webhook-id"), Header(entry, "webhook-timestamp"), Header(entry, "webhook-signature"),
                entry.RequestMessage.Body!, TimeProvider.System.GetUtcNow()));
            using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
            Assert.Equal("job.status_changed", body.RootElement.GetProperty("type").GetString());
            Assert.Equal(job.Id, body.RootElement.GetProperty("data").GetProperty("jobId").GetGuid());
            Assert.Equal("queued", body.RootElement.GetProperty("data").GetProperty("status").GetString());
        }
        // The queue waited its backoff (MinBackoff 300 ms) before the second attempt.
        Assert.True(entries[1].RequestMessage.DateTime - entries[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(250));
        Assert.Equal([2, 1], log.Select(d => d.GetProperty("attempt").GetInt32()));
        Assert.Equal([200, 500], log.Select(d => d.GetProperty("statusCode").GetInt32()));
        Assert.True(log[0].GetProperty("succeeded").GetBoolean());
        Assert.Equal("the receiver answered 500", log[1].GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_same_job_state_seen_again_and_a_redelivered_task_send_nothing_twice()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        await using var host = await WebhookHost.StartAsync(allowPrivateNetworks: true);
        var (id, _) = await SubscribeAsync(host, $"http://127.0.0.1:{receiver.Port}/hook");
        var job = await NewJobAsync(host);
        var writer = host.Get<SheetStatusWriter>();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => writer.SyncAsync(job.Id, CancellationToken.None)));
        var first = Assert.Single(await WaitForAsync(receiver, 1));
        await WaitForLogAsync(host, id, 1);
        await writer.SyncAsync(job.Id, CancellationToken.None);
        // The queue delivering the same task again (at least once) finds it delivered and sends nothing.
        using var redelivery = new HttpRequestMessage(HttpMethod.Post, WebhookQueue.DeliverPath)
        {
            Content = new StringContent($$"""{"eventId":"{{Header(first, "webhook-id")}}","subscriptionId":"{{id}}"}""", Encoding.UTF8, "application/json"),
        };
        redelivery.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);
        var again = await host.Client.SendAsync(redelivery);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("skipped", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(receiver.LogEntries);

        // A new status is a new event, sent once however often it is seen.
        await host.Get<IJobStore>().SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Trends), StageName.Trends, CancellationToken.None);
        await writer.SyncAsync(job.Id, CancellationToken.None);
        await writer.SyncAsync(job.Id, CancellationToken.None);
        var both = await WaitForAsync(receiver, 2);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(2, receiver.LogEntries.Count());
        Assert.NotEqual(Header(both[0], "webhook-id"), Header(both[1], "webhook-id"));
        Assert.Equal(2L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_events"));
    }

    [Theory]
    [InlineData("{", "body", "not the JSON expected")]
    [InlineData("null", "body", "JSON null")]
    [InlineData("""{"events":["job.published"]}""", "url", "absolute https URL")]
    [InlineData("""{"url":"ftp://93.184.216.34/hook"}""", "url", "absolute https URL")]
    [InlineData("""{"url":"http://10.0.0.5/hook"}""", "url", "url's address 10.0.0.5 is a private address; webhooks go to public addresses only.")]
    [InlineData("""{"url":"http://127.0.0.1:8080/hook"}""", "url", "loopback")]
    [InlineData("""{"url":"http://169.254.169.254/latest/meta-data"}""", "url", "metadata")]
    [InlineData("""{"url":"https://metadata.google.internal/computeMetadata/v1/"}""", "url", "metadata")]
    [InlineData("""{"url":"https://[fd00::1]/hook"}""", "url", "unique-local")]
    [InlineData("""{"url":"https://93.184.216.34/hook","events":["job.exploded"]}""", "events", "'job.exploded', which is not an event")]
    [InlineData("""{"url":"https://93.184.216.34/hook","events":[]}""", "events", "no event")]
    public async Task A_bad_subscription_is_a_problem_naming_the_field(string json, string field, string expected)
    {
        await using var host = await WebhookHost.StartAsync(allowPrivateNetworks: false);

        var response = await host.Client.PostAsync("/v1/webhooks", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_subscriptions"));
    }

    [Fact]
    public async Task Subscriptions_are_created_listed_without_their_secret_and_deleted()
    {
        await using var host = await WebhookHost.StartAsync(allowPrivateNetworks: false);

        var created = await host.Client.PostAsync("/v1/webhooks", new StringContent("""{"url":"https://93.184.216.34/hook?team=7"}""", Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("id").GetGuid();
        var list = await host.Client.GetStringAsync("/v1/webhooks");
        var one = await host.Client.GetStringAsync($"/v1/webhooks/{id}");
        var deliveries = await host.Client.GetStringAsync($"/v1/webhooks/{id}/deliveries");
        var badId = await host.Client.GetAsync("/v1/webhooks/not-an-id/deliveries");
        var unknown = await host.Client.GetAsync($"/v1/webhooks/{Guid.NewGuid()}");
        var deleted = await host.Client.DeleteAsync($"/v1/webhooks/{id}");
        var deletedAgain = await host.Client.DeleteAsync($"/v1/webhooks/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/webhooks/{id}", created.Headers.Location?.OriginalString);
        Assert.StartsWith("whsec_", body.RootElement.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(WebhookEventTypes.All, body.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(body.RootElement.GetProperty("active").GetBoolean());
        Assert.Contains(id.ToString(), list, StringComparison.Ordinal);
        Assert.Contains("https://93.184.216.34/hook?team=7", list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", one, StringComparison.Ordinal);
        using (var log = JsonDocument.Parse(deliveries))
        {
            Assert.Empty(log.RootElement.GetProperty("deliveries").EnumerateArray());
        }
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("\"id\"", await badId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Fact]
    public async Task The_delivery_endpoint_takes_only_the_queues_caller()
    {
        await using var host = await WebhookHost.StartAsync(allowPrivateNetworks: false);
        var body = $$"""{"eventId":"msg_x","subscriptionId":"{{Guid.NewGuid()}}"}""";

        var anonymous = await host.Client.PostAsync(WebhookQueue.DeliverPath, new StringContent(body, Encoding.UTF8, "application/json"));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, WebhookQueue.DeliverPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        var wrongToken = await host.Client.SendAsync(wrong);
        using var malformed = new HttpRequestMessage(HttpMethod.Post, WebhookQueue.DeliverPath) { Content = new StringContent("{\"eventId\":1}", Encoding.UTF8, "application/json") };
        malformed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Token);
        var bad = await host.Client.SendAsync(malformed);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task<(Guid Id, string Secret)> SubscribeAsync(WebhookHost host, string url, params string[] events)
    {
        var response = await host.Client.PostAsJsonAsync("/v1/webhooks", new Dictionary<string, object?> { ["url"] = url, ["events"] = events.Length == 0 ? null : events });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return (body.RootElement.GetProperty("id").GetGuid(), body.RootElement.GetProperty("secret").GetString()!);
    }

    private static async Task<Job> NewJobAsync(WebhookHost host)
    {
        var request = new VideoRequest("Why cats sleep so much", Platforms.YouTube, 10, "energetic", "en", "en", null, [], "");
        var sheet = host.Folder.File("sheet.csv");
        return (await host.Get<IJobStore>().SubmitAsync(sheet, Guid.NewGuid().ToString("N"), request, CancellationToken.None)).Job;
    }

    internal static async Task<List<WireMock.Logging.ILogEntry>> WaitForAsync(WireMockServer receiver, int count, Func<WireMock.Logging.ILogEntry, bool>? which = null)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var entries = receiver.LogEntries.Where(which ?? (_ => true)).OrderBy(e => e.RequestMessage.DateTime).ToList();
            if (entries.Count >= count)
            {
                return entries;
            }
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The receiver got {entries.Count} of {count} deliveries.");
            }
        }
    }

    private static async Task<List<JsonElement>> WaitForLogAsync(WebhookHost host, Guid id, int count)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            using var log = JsonDocument.Parse(await host.Client.GetStringAsync($"/v1/webhooks/{id}/deliveries"));
            var entries = log.RootElement.GetProperty("deliveries").EnumerateArray().Select(e => e.Clone()).ToList();
            if (entries.Count >= count)
            {
                return entries;
            }
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The delivery log has {entries.Count} of {count} attempts.");
            }
        }
    }

    internal static string Header(WireMock.Logging.ILogEntry entry, string name) =>
        entry.RequestMessage.Headers!.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.Single();
}
