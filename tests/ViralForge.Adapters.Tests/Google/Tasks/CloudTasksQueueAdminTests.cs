using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google.Tasks;
using ViralForge.Core;

namespace ViralForge.Adapters.Tests.Google.Tasks;

public sealed class CloudTasksQueueAdminTests
{
    [Fact]
    public async Task Ensure_patches_only_the_retry_config_so_the_queue_is_created_or_updated()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(CloudTasksServices.QueuePath + "/vf-render").UsingPatch())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"projects/vf-test/locations/europe-west1/queues/vf-render","state":"RUNNING"}"""));
        await using var services = CloudTasksServices.Create(server);
        var admin = services.GetRequiredService<CloudTasksQueueAdmin>();

        await admin.EnsureQueueAsync(
            "vf-render",
            new QueueRetryOptions { MaxAttempts = 3, MinBackoff = TimeSpan.FromSeconds(2.5), MaxBackoff = TimeSpan.FromMinutes(5), MaxDoublings = 5 },
            CancellationToken.None);

        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal(CloudTasksQueueAdmin.UpdateMask, request.Query!["updateMask"].Single());
        using var json = JsonDocument.Parse(request.Body!);
        Assert.Equal("projects/vf-test/locations/europe-west1/queues/vf-render", json.RootElement.GetProperty("name").GetString());
        var retry = json.RootElement.GetProperty("retryConfig");
        Assert.Equal(3, retry.GetProperty("maxAttempts").GetInt32());
        Assert.Equal("0s", retry.GetProperty("maxRetryDuration").GetString());
        Assert.Equal("2.5s", retry.GetProperty("minBackoff").GetString());
        Assert.Equal("300s", retry.GetProperty("maxBackoff").GetString());
        Assert.Equal(5, retry.GetProperty("maxDoublings").GetInt32());
    }

    [Fact]
    public async Task Every_stage_queue_gets_its_own_retry_settings()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(CloudTasksServices.QueuePath + "/vf-*")).UsingPatch())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        await using var services = CloudTasksServices.Create(server, settings: o =>
        {
            o.Queue.MaxAttempts = 7;
            o.Queue.Queues["vf-render"] = new QueueRetryOptions { MaxAttempts = 2, MinBackoff = TimeSpan.FromSeconds(30), MaxBackoff = TimeSpan.FromMinutes(10) };
        });

        await services.GetRequiredService<CloudTasksQueueAdmin>().EnsureStageQueuesAsync(CancellationToken.None);

        var attempts = server.LogEntries
            .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement)
            .ToDictionary(q => q.GetProperty("name").GetString()!.Split('/')[^1], q => q.GetProperty("retryConfig").GetProperty("maxAttempts").GetInt32());
        Assert.Equal(["vf-analysis", "vf-publish", "vf-render", "vf-review", "vf-script", "vf-trends", "vf-visuals", "vf-voice"], attempts.Keys.Order());
        Assert.Equal(2, attempts["vf-render"]);
        Assert.Equal(7, attempts["vf-script"]);
    }
}
