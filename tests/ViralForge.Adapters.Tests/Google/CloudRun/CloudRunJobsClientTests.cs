using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.CloudRun;

namespace ViralForge.Adapters.Tests.Google.CloudRun;

public sealed class CloudRunJobsClientTests
{
    private const string RunPath = CloudRunServices.JobPath + ":run";
    private const string ExecutionPath = "/v2/" + CloudRunServices.Execution;

    [Fact]
    public async Task Run_posts_the_env_overrides_and_returns_the_execution_the_operation_names()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));
        await using var services = CloudRunServices.Create(server);

        var started = await services.GetRequiredService<CloudRunJobsClient>().RunAsync(
            "viralforge-render-job", [new("VF_JOB_ID", "a"), new("VF_GENERATION", "2")], CancellationToken.None);

        Assert.Equal(CloudRunServices.Execution, started.ExecutionName);
        Assert.Equal("projects/vf-test/locations/europe-west1/operations/op-1234", started.OperationName);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("Bearer test-access-token", request.Headers!["Authorization"].Single());
        using var json = JsonDocument.Parse(request.Body!);
        var container = Assert.Single(json.RootElement.GetProperty("overrides").GetProperty("containerOverrides").EnumerateArray());
        Assert.Equal(
            [("VF_JOB_ID", "a"), ("VF_GENERATION", "2")],
            container.GetProperty("env").EnumerateArray().Select(e => (e.GetProperty("name").GetString(), e.GetProperty("value").GetString())));
        Assert.False(container.TryGetProperty("args", out _));
    }

    [Fact]
    public async Task An_operation_that_does_not_name_its_execution_yet_is_read_until_it_does()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"projects/vf-test/locations/europe-west1/operations/op-9","done":false}"""));
        server.Given(Request.Create().WithPath("/v2/projects/vf-test/locations/europe-west1/operations/op-9").UsingGet()).InScenario("op").WillSetStateTo("named")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"projects/vf-test/locations/europe-west1/operations/op-9","done":false}"""));
        server.Given(Request.Create().WithPath("/v2/projects/vf-test/locations/europe-west1/operations/op-9").UsingGet()).InScenario("op").WhenStateIs("named")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));
        await using var services = CloudRunServices.Create(server);

        var started = await services.GetRequiredService<CloudRunJobsClient>().RunAsync("viralforge-render-job", [], CancellationToken.None);

        Assert.Equal(CloudRunServices.Execution, started.ExecutionName);
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Method == "GET"));
    }

    [Fact]
    public async Task An_operation_that_fails_is_a_typed_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name":"projects/vf-test/locations/europe-west1/operations/op-9","done":false}"""));
        server.Given(Request.Create().WithPath("/v2/projects/vf-test/locations/europe-west1/operations/op-9").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody("""{"name":"projects/vf-test/locations/europe-west1/operations/op-9","done":true,"error":{"code":9,"message":"Job is not ready"}}"""));
        await using var services = CloudRunServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<CloudRunJobsClient>().RunAsync("viralforge-render-job", [], CancellationToken.None));

        Assert.Contains("Job is not ready", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_refused_by_quota_is_retried()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(RunPath).UsingPost()).InScenario("quota").WillSetStateTo("refused")
            .RespondWith(Response.Create().WithStatusCode(429).WithBody("""{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"""));
        server.Given(Request.Create().WithPath(RunPath).UsingPost()).InScenario("quota").WhenStateIs("refused")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));
        await using var services = CloudRunServices.Create(server);

        var started = await services.GetRequiredService<CloudRunJobsClient>().RunAsync("viralforge-render-job", [], CancellationToken.None);

        Assert.Equal(CloudRunServices.Execution, started.ExecutionName);
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Theory]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(403, "PERMISSION_DENIED")]
    public async Task Run_is_not_repeated_after_an_answer_that_may_hide_a_started_execution_or_a_refusal(int status, string word)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody($$$"""{"error":{"code":{{{status}}},"message":"no","status":"{{{word}}}"}}"""));
        await using var services = CloudRunServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<CloudRunJobsClient>().RunAsync("viralforge-render-job", [], CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(word, error.Status);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Run_that_times_out_is_a_timeout_and_not_repeated()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)).WithDelay(TimeSpan.FromSeconds(2)));
        await using var services = CloudRunServices.Create(server, new Dictionary<string, string?> { ["Google:CloudRun:AttemptTimeout"] = "00:00:00.200" });

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            services.GetRequiredService<CloudRunJobsClient>().RunAsync("viralforge-render-job", [], CancellationToken.None));

        Assert.Contains("Google:CloudRun:AttemptTimeout", error.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Waiting_polls_the_execution_until_it_succeeds_and_retries_reads_that_fail()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ExecutionPath).UsingGet()).InScenario("run").WillSetStateTo("running")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.ExecutionJson(CloudRunServices.Execution, completed: null)));
        server.Given(Request.Create().WithPath(ExecutionPath).UsingGet()).InScenario("run").WhenStateIs("running").WillSetStateTo("hiccup")
            .RespondWith(Response.Create().WithStatusCode(503));
        server.Given(Request.Create().WithPath(ExecutionPath).UsingGet()).InScenario("run").WhenStateIs("hiccup")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.ExecutionJson(
                CloudRunServices.Execution, completed: "2025-03-04T05:09:00Z", succeeded: 1, state: "CONDITION_SUCCEEDED", message: "Execution completed successfully in 2m51s.")));
        await using var services = CloudRunServices.Create(server);

        var result = await services.GetRequiredService<CloudRunJobsClient>().WaitForExecutionAsync(CloudRunServices.Execution, CancellationToken.None);

        Assert.Equal(CloudRunExecutionOutcome.Succeeded, result.Outcome);
        Assert.Equal("Execution completed successfully in 2m51s.", result.Message);
        Assert.Equal(1, result.Execution.SucceededCount);
        Assert.Equal([200, 503, 200], server.LogEntries.Select(e => Convert.ToInt32(e.ResponseMessage!.StatusCode, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Waiting_reports_a_failed_execution_with_its_reason()
    {
        var result = await WaitForEndedExecutionAsync(CloudRunServices.ExecutionJson(
            CloudRunServices.Execution, completed: "2025-03-04T05:20:00Z", failed: 1, state: "CONDITION_FAILED", message: "Task viralforge-render-job-x7k2p-task0 failed with exit code 1."));

        Assert.Equal(CloudRunExecutionOutcome.Failed, result.Outcome);
        Assert.Contains("exit code 1", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.Execution.FailedCount);
    }

    [Fact]
    public async Task Waiting_reports_a_cancelled_execution()
    {
        var result = await WaitForEndedExecutionAsync(CloudRunServices.ExecutionJson(
            CloudRunServices.Execution, completed: "2025-03-04T05:20:00Z", cancelled: 1, state: "CONDITION_FAILED", message: "The execution was cancelled."));

        Assert.Equal(CloudRunExecutionOutcome.Cancelled, result.Outcome);
    }

    [Fact]
    public async Task Waiting_gives_up_after_the_timeout_while_the_execution_runs_on()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ExecutionPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.ExecutionJson(CloudRunServices.Execution, completed: null)));
        await using var services = CloudRunServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:CloudRun:Timeout"] = "00:00:00.300",
            ["Google:CloudRun:PollInterval"] = "00:00:00.050",
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await services.GetRequiredService<CloudRunJobsClient>().WaitForExecutionAsync(CloudRunServices.Execution, CancellationToken.None);

        Assert.Equal(CloudRunExecutionOutcome.TimedOut, result.Outcome);
        Assert.False(result.Execution.IsFinished);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(5));
        // read more than once (the first read can take most of the 300 ms on a cold start), and then no more
        var reads = server.LogEntries.Count();
        Assert.InRange(reads, 2, 10);
        await Task.Delay(200);
        Assert.Equal(reads, server.LogEntries.Count());
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Method != "GET");
    }

    [Fact]
    public async Task A_malformed_execution_is_a_typed_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ExecutionPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"name": 12"""));
        await using var services = CloudRunServices.Create(server);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            services.GetRequiredService<CloudRunJobsClient>().GetExecutionAsync(CloudRunServices.Execution, CancellationToken.None));

        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_without_project_and_region_fail_naming_them()
    {
        using var server = WireMockServer.Start();
        using var services = CloudRunServices.Create(server, new Dictionary<string, string?>
        {
            ["Google:CloudRun:ProjectId"] = "",
            ["Google:CloudRun:Region"] = "",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CloudRunOptions>>().Value);

        Assert.Contains("Google:CloudRun:ProjectId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Google:CloudRun:Region", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Waits, through its own WireMock server, on an execution that executions.get already answers as <paramref name="executionJson"/>.</summary>
    private static async Task<CloudRunExecutionResult> WaitForEndedExecutionAsync(string executionJson)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ExecutionPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(executionJson));
        await using var services = CloudRunServices.Create(server);
        return await services.GetRequiredService<CloudRunJobsClient>().WaitForExecutionAsync(CloudRunServices.Execution, CancellationToken.None);
    }
}
