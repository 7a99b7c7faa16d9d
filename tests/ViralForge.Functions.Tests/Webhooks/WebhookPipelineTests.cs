using System.Text.Json;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Webhooks;
using ViralForge.Testing.Webhooks;

namespace ViralForge.Functions.Tests.Webhooks;

/// <summary>A real pipeline run with a subscription: the events its stages emit, each once, signed.</summary>
public sealed class WebhookPipelineTests
{
    [Fact]
    public async Task A_published_row_sends_each_status_once_and_one_job_published_with_its_url()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await using var host = await TestHost.StartAsync(settings: new Dictionary<string, string?> { ["ViralForge:Webhooks:AllowPrivateNetworks"] = "true" });
        var secret = WebhookSigner.NewSecret();
        await host.Get<IWebhookStore>().AddSubscriptionAsync(
            new WebhookSubscription(Guid.NewGuid(), new Uri($"http://127.0.0.1:{receiver.Port}/hook"), WebhookEventTypes.All, secret, TimeProvider.System.GetUtcNow()), CancellationToken.None);
        var sheet = host.Get<ISheetRegistry>().Open(host.WriteSheet("Topic,Platform,Duration\nThree stretches for desk workers,youtube,10\n"));

        var intake = await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None);
        var jobId = intake.Single().JobId!.Value;
        var job = Assert.Single(await host.WaitForJobsAsync([jobId], j => j.IsTerminal, TimeSpan.FromMinutes(4)));
        var published = Assert.Single(await WebhookEndpointsTests.WaitForAsync(receiver, 1, e => Type(e) == WebhookEventTypes.Published));
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(JobStatus.Published, job.Status);
        var entries = receiver.LogEntries.ToList();
        Assert.All(entries, e => Assert.Null(StandardWebhooksVerifier.Verify(secret, WebhookEndpointsTests.Header(e, "webhook-id"),
            WebhookEndpointsTests.Header(e, "webhook-timestamp"), WebhookEndpointsTests.Header(e, "webhook-signature"), e.RequestMessage.Body!, TimeProvider.System.GetUtcNow())));
        // Every event arrived once: the stages' several syncs per status, and their redeliveries, sent nothing twice.
        Assert.Equal(entries.Count, entries.Select(e => WebhookEndpointsTests.Header(e, "webhook-id")).Distinct().Count());
        var statuses = entries.Where(e => Type(e) == WebhookEventTypes.StatusChanged).Select(e => Data(e).GetProperty("status").GetString()).ToList();
        Assert.Equal(statuses.Count, statuses.Distinct().Count());
        Assert.Contains("trends", statuses);
        Assert.Contains("render", statuses);
        Assert.Contains("published", statuses);
        Assert.Single(entries, e => Type(e) == WebhookEventTypes.Published);
        Assert.DoesNotContain(entries, e => Type(e) == WebhookEventTypes.Failed);
        var urls = Data(published).GetProperty("publishedUrls").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.NotEmpty(urls);
        Assert.Equal(jobId, Data(published).GetProperty("jobId").GetGuid());
        Assert.Equal("Three stretches for desk workers", Data(published).GetProperty("topic").GetString());
    }

    private static string? Type(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("type").GetString();
    }

    private static JsonElement Data(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("data").Clone();
    }
}
