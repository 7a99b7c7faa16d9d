using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Google.Tasks;

/// <summary>tasks.get as the reconcile step asks it: is the stage's task still on its queue?</summary>
public sealed class CloudTasksFindTests
{
    private const string TaskPath = CloudTasksServices.QueuePath + "/vf-render/tasks/abc123";

    [Fact]
    public async Task A_task_still_on_the_queue_is_live_with_its_attempts_and_last_answer()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
                {
                  "name": "projects/vf-test/locations/europe-west1/queues/vf-render/tasks/abc123",
                  "scheduleTime": "2030-01-02T03:04:05.500Z",
                  "createTime": "2030-01-02T03:00:00Z",
                  "dispatchDeadline": "600s",
                  "dispatchCount": 3,
                  "responseCount": 2,
                  "firstAttempt": {"dispatchTime": "2030-01-02T03:00:01Z"},
                  "lastAttempt": {
                    "scheduleTime": "2030-01-02T03:02:00Z",
                    "dispatchTime": "2030-01-02T03:02:00.100Z",
                    "responseTime": "2030-01-02T03:02:10Z",
                    "responseStatus": {"code": 14, "message": "HTTP status code 503"}
                  },
                  "view": "BASIC"
                }
                """));
        await using var services = CloudTasksServices.Create(server);

        var found = await services.GetRequiredService<ITaskQueue>().FindAsync("vf-render", "abc123", CancellationToken.None);

        Assert.Equal(new TaskLookup(true, 3, "HTTP status code 503"), found);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("BASIC", request.Query!["responseView"].Single());
        Assert.Equal($"Bearer {CloudTasksServices.Token}", request.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task A_new_task_with_no_attempt_yet_is_live()
    {
        using var server = WireMockServer.Start();
        // proto3 JSON leaves out a zero dispatchCount and an attempt that never happened
        server.Given(Request.Create().WithPath(TaskPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"projects/vf-test/locations/europe-west1/queues/vf-render/tasks/abc123","scheduleTime":"2030-01-02T03:04:05Z","view":"BASIC"}"""));
        await using var services = CloudTasksServices.Create(server);

        var found = await services.GetRequiredService<ITaskQueue>().FindAsync("vf-render", "abc123", CancellationToken.None);

        Assert.Equal(new TaskLookup(true, 0, null), found);
    }

    [Fact]
    public async Task Not_found_is_no_task_and_is_not_retried()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var found = await services.GetRequiredService<ITaskQueue>().FindAsync("vf-render", "abc123", CancellationToken.None);

        Assert.Null(found);
        Assert.Single(server.LogEntries);
    }

    [Theory]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    [InlineData(503, "UNAVAILABLE")]
    public async Task Quota_and_server_errors_are_retried_then_the_answer_counts(int status, string word)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(status).WithBody($$$"""{"error":{"code":{{{status}}},"message":"busy","status":"{{{word}}}"}}"""));
        server.Given(Request.Create().WithPath(TaskPath).UsingGet()).InScenario("flaky").WhenStateIs("failed once")
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var found = await services.GetRequiredService<ITaskQueue>().FindAsync("vf-render", "abc123", CancellationToken.None);

        Assert.Null(found);
        Assert.Equal([status, 404], server.LogEntries.Select(e => e.ResponseMessage!.StatusCode).Cast<int>());
    }

    [Fact]
    public async Task A_queue_that_stays_unavailable_is_the_port_s_unavailable_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var unavailable = await Assert.ThrowsAsync<TaskQueueUnavailableException>(() =>
            services.GetRequiredService<ITaskQueue>().FindAsync("vf-render", "abc123", CancellationToken.None));

        Assert.Equal("vf-render", unavailable.Queue);
        Assert.Equal("UNAVAILABLE", Assert.IsType<GoogleApiException>(unavailable.InnerException).Status);
        Assert.Equal(4, server.LogEntries.Count()); // the first try and Google:Tasks:MaxRetryAttempts (3) retries
    }

    [Fact]
    public async Task Permission_denied_is_not_unavailable()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TaskPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"error":{"code":403,"message":"The principal lacks cloudtasks.tasks.get","status":"PERMISSION_DENIED"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<ITaskQueue>().FindAsync("vf-render", "abc123", CancellationToken.None));

        Assert.Equal("PERMISSION_DENIED", error.Status);
        Assert.Single(server.LogEntries);
    }
}
