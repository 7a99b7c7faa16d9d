using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Tasks;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Tests.Google.Tasks;

public sealed class CloudTasksQueueTests
{
    private const string TasksPath = CloudTasksServices.QueuePath + "/vf-render/tasks";

    [Fact]
    public async Task Enqueue_creates_the_documented_named_http_task_with_an_oidc_token()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"name":"projects/vf-test/locations/europe-west1/queues/vf-render/tasks/x","scheduleTime":"2030-01-02T03:04:05.500Z","dispatchCount":0}"""));
        await using var services = CloudTasksServices.Create(server);
        var queue = services.GetRequiredService<ITaskQueue>();
        var jobId = Guid.NewGuid();
        var name = StageTasks.TaskName(jobId, StageName.Render, 2);
        var body = Encoding.UTF8.GetBytes($$"""{"jobId":"{{jobId}}","generation":2}""");

        var result = await queue.EnqueueAsync(
            new QueueTask("vf-render", name, "/stages/render", body, new DateTimeOffset(2030, 1, 2, 4, 4, 5, 500, TimeSpan.FromHours(1))),
            CancellationToken.None);

        Assert.Equal(EnqueueResult.Created, result);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal($"Bearer {CloudTasksServices.Token}", request.Headers!["Authorization"].Single());
        using var json = JsonDocument.Parse(request.Body!);
        Assert.Equal("BASIC", json.RootElement.GetProperty("responseView").GetString());
        var task = json.RootElement.GetProperty("task");
        Assert.Equal($"projects/vf-test/locations/europe-west1/queues/vf-render/tasks/{name}", task.GetProperty("name").GetString());
        Assert.Equal("2030-01-02T03:04:05.5Z", task.GetProperty("scheduleTime").GetString());
        Assert.Equal("600s", task.GetProperty("dispatchDeadline").GetString());
        var http = task.GetProperty("httpRequest");
        Assert.Equal($"{CloudTasksServices.RenderService}/stages/render", http.GetProperty("url").GetString());
        Assert.Equal("POST", http.GetProperty("httpMethod").GetString());
        Assert.Equal("application/json", http.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal(body, Convert.FromBase64String(http.GetProperty("body").GetString()!));
        var oidc = http.GetProperty("oidcToken");
        Assert.Equal(CloudTasksServices.Invoker, oidc.GetProperty("serviceAccountEmail").GetString());
        Assert.Equal(CloudTasksServices.RenderService, oidc.GetProperty("audience").GetString());
    }

    [Fact]
    public async Task A_stage_without_its_own_url_goes_to_the_url_template_and_an_unscheduled_task_has_no_schedule_time()
    {
        using var server = WireMockServer.Start();
        AcceptsTasksOn(server, "vf-script");
        await using var services = CloudTasksServices.Create(server);

        await services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-script", "abc", "/stages/script", [1, 2, 3]), CancellationToken.None);

        var task = AssertOneTaskSentTo(server, "https://vf-script-abc123-ew.a.run.app", "/stages/script");
        Assert.False(task.TryGetProperty("scheduleTime", out _));
    }

    [Fact]
    public async Task The_review_bots_queues_go_to_the_review_service_on_their_own_queues_with_their_schedule()
    {
        using var server = WireMockServer.Start();
        AcceptsTasksOn(server, "vf-review-timers");
        await using var services = CloudTasksServices.Create(server);
        var at = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        await services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-review-timers", "abc", "/review/expire", [1], at), CancellationToken.None);

        var task = AssertOneTaskSentTo(server, "https://vf-review-abc123-ew.a.run.app", "/review/expire");
        Assert.Equal(at, task.GetProperty("scheduleTime").GetDateTimeOffset());
        var options = services.GetRequiredService<IOptions<CloudTasksOptions>>().Value;
        Assert.Equal(new Uri("https://vf-review-abc123-ew.a.run.app"), CloudTasksQueue.ServiceUrlFor(options, "vf-review-decisions"));
    }

    [Fact]
    public async Task The_dispatch_deadline_follows_the_queue_setting_within_what_cloud_tasks_accepts()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        await using var services = CloudTasksServices.Create(server, settings: o => o.Queue.Queues["vf-render"] = new QueueRetryOptions { DispatchDeadline = TimeSpan.FromSeconds(2) });

        await services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "short", "/stages/render", []), CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(server.LogEntries).RequestMessage.Body!);
        Assert.Equal("15s", json.RootElement.GetProperty("task").GetProperty("dispatchDeadline").GetString());
    }

    [Fact]
    public async Task A_task_brings_its_own_dispatch_deadline_and_a_queue_without_an_override_its_default()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(CloudTasksServices.QueuePath + "/vf-*/tasks")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        await using var services = CloudTasksServices.Create(server);
        var queue = services.GetRequiredService<ITaskQueue>();

        await queue.EnqueueAsync(new QueueTask("vf-render", "sized", "/stages/render", [], DispatchDeadline: TimeSpan.FromSeconds(1250)), CancellationToken.None);
        await queue.EnqueueAsync(new QueueTask("vf-render", "huge", "/stages/render", [], DispatchDeadline: TimeSpan.FromMinutes(45)), CancellationToken.None);
        await queue.EnqueueAsync(new QueueTask("vf-script", "plain", "/stages/script", []), CancellationToken.None);

        var deadlines = server.LogEntries
            .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("task").GetProperty("dispatchDeadline").GetString())
            .ToList();
        // Its own; Cloud Tasks' 30-minute ceiling; the script queue's 5 minutes (QueueOptions.DefaultLimitsFor).
        Assert.Equal(["1250s", "1800s", "300s"], deadlines);
    }

    [Fact]
    public async Task Conflict_already_exists_is_AlreadyExists_and_not_retried()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(409)
                .WithBody("""{"error":{"code":409,"message":"Requested entity already exists","status":"ALREADY_EXISTS"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var result = await services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "dup", "/stages/render", []), CancellationToken.None);

        Assert.Equal(EnqueueResult.AlreadyExists, result);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Conflict_aborted_is_an_error_so_the_handler_retries()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(409).WithBody("""{"error":{"code":409,"message":"Aborted","status":"ABORTED"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var unavailable = await Assert.ThrowsAsync<TaskQueueUnavailableException>(() =>
            services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "aborted", "/stages/render", []), CancellationToken.None));
        var error = Assert.IsType<GoogleApiException>(unavailable.InnerException);

        Assert.Equal("ABORTED", error.Status);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Quota_and_server_errors_are_retried_until_the_create_succeeds(int status)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost()).InScenario("flaky").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(status).WithBody("""{"error":{"code":0,"message":"busy","status":"UNAVAILABLE"}}"""));
        server.Given(Request.Create().WithPath(TasksPath).UsingPost()).InScenario("flaky").WhenStateIs("failed once").WillSetStateTo("failed twice")
            .RespondWith(Response.Create().WithStatusCode(status));
        server.Given(Request.Create().WithPath(TasksPath).UsingPost()).InScenario("flaky").WhenStateIs("failed twice")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"n"}"""));
        await using var services = CloudTasksServices.Create(server);

        var result = await services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "flaky", "/stages/render", []), CancellationToken.None);

        Assert.Equal(EnqueueResult.Created, result);
        Assert.Equal([status, status, 200], server.LogEntries.Select(e => e.ResponseMessage!.StatusCode).Cast<int>());
        // the same named task each time, so a create that did land is answered 409 rather than duplicated
        Assert.Single(server.LogEntries.Select(e => e.RequestMessage.Body).Distinct());
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(403, "PERMISSION_DENIED")]
    public async Task Client_errors_are_not_retried_and_keep_google_s_message(int status, string word)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody($$$"""{"error":{"code":{{{status}}},"message":"Nope: {{{word}}}","status":"{{{word}}}"}}"""));
        await using var services = CloudTasksServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "bad", "/stages/render", []), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(word, error.Status);
        Assert.Contains($"Nope: {word}", error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task An_answer_slower_than_the_attempt_timeout_is_abandoned_and_retried()
    {
        using var server = WireMockServer.Start();
        // A callback, not a scenario: a scenario only moves on once the slow answer has been sent.
        var calls = 0;
        server.Given(Request.Create().WithPath(TasksPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10));
                }
                return new ResponseMessage { StatusCode = 200, BodyData = new BodyData { BodyAsString = """{"name":"n"}""", DetectedBodyType = BodyType.String } };
            }));
        await using var services = CloudTasksServices.Create(server, new Dictionary<string, string?> { ["Google:Tasks:AttemptTimeout"] = "00:00:01" });

        var result = await services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "slow", "/stages/render", []), CancellationToken.None);

        Assert.Equal(EnqueueResult.Created, result);
        // at least one retry; a cold first run can make a second attempt slow too
        Assert.InRange(calls, 2, 4);
    }

    [Fact]
    public async Task A_queue_that_never_answers_in_time_is_a_timeout_naming_the_setting()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{}").WithDelay(TimeSpan.FromSeconds(3)));
        await using var services = CloudTasksServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:Tasks:AttemptTimeout"] = "00:00:00.200",
            ["Google:Tasks:MaxRetryAttempts"] = "1",
        });

        var unavailable = await Assert.ThrowsAsync<TaskQueueUnavailableException>(() =>
            services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "never", "/stages/render", []), CancellationToken.None));
        var error = Assert.IsType<TimeoutException>(unavailable.InnerException);
        Assert.Equal("vf-render", unavailable.Queue);

        Assert.Contains("Google:Tasks:AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_answer_is_a_typed_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(TasksPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"name\": <html>"));
        await using var services = CloudTasksServices.Create(server);

        var unavailable = await Assert.ThrowsAsync<TaskQueueUnavailableException>(() =>
            services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "garbled", "/stages/render", []), CancellationToken.None));
        var error = Assert.IsType<GoogleApiException>(unavailable.InnerException);

        Assert.Equal(200, error.StatusCode);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_cloud_tasks_would_refuse_are_refused_before_any_request()
    {
        using var server = WireMockServer.Start();
        await using var services = CloudTasksServices.Create(server);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            services.GetRequiredService<ITaskQueue>().EnqueueAsync(new QueueTask("vf-render", "has/slash", "/stages/render", []), CancellationToken.None));

        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public void Settings_without_project_or_service_urls_fail_naming_the_settings()
    {
        using var server = WireMockServer.Start();
        using var services = CloudTasksServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:Tasks:ProjectId"] = "",
            ["Google:Tasks:ServiceUrls:render"] = null,
            ["Google:Tasks:UrlTemplate"] = null,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CloudTasksOptions>>().Value);

        Assert.Contains("Google:Tasks:ProjectId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Google:Tasks:ServiceUrls", error.Message, StringComparison.Ordinal);
    }

    private static void AcceptsTasksOn(WireMockServer server, string queue) =>
        server.Given(Request.Create().WithPath($"{CloudTasksServices.QueuePath}/{queue}/tasks").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"n"}"""));

    /// <summary>Asserts the server got one task, addressed to <paramref name="service"/>'s <paramref name="path"/> with a token for that service; hands the task back.</summary>
    private static JsonElement AssertOneTaskSentTo(WireMockServer server, string service, string path)
    {
        using var json = JsonDocument.Parse(Assert.Single(server.LogEntries).RequestMessage.Body!);
        var task = json.RootElement.GetProperty("task").Clone();
        Assert.Equal(service + path, task.GetProperty("httpRequest").GetProperty("url").GetString());
        Assert.Equal(service, task.GetProperty("httpRequest").GetProperty("oidcToken").GetProperty("audience").GetString());
        return task;
    }
}
