using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.Google.CloudRun;

namespace ViralForge.Adapters.Tests.Google.CloudRun;

public sealed class RenderJobLauncherTests
{
    private const string ExecutionsPath = CloudRunServices.JobPath + "/executions";
    private const string RunPath = CloudRunServices.JobPath + ":run";

    [Fact]
    public async Task Launch_runs_the_render_job_with_the_job_id_and_generation_the_render_job_reads()
    {
        using var server = WireMockServer.Start();
        var jobId = Guid.NewGuid();
        ListAnswers(server, $$"""{"executions":[{{CloudRunServices.ExecutionJson(CloudRunServices.Job + "/executions/other", null, jobId: Guid.NewGuid(), generation: 3)}}]}""");
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));
        await using var services = CloudRunServices.Create(server);

        var launch = await services.GetRequiredService<RenderJobLauncher>().LaunchAsync(jobId, 3, CancellationToken.None);

        Assert.Equal(new RenderLaunch(RenderLaunchKind.Started, CloudRunServices.Execution), launch);
        var run = Assert.Single(server.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
        using var json = JsonDocument.Parse(run.Body!);
        var env = json.RootElement.GetProperty("overrides").GetProperty("containerOverrides")[0].GetProperty("env").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString());
        Assert.Equal(jobId.ToString("D"), env["VF_JOB_ID"]);
        Assert.Equal("3", env["VF_GENERATION"]);
    }

    [Fact]
    public async Task A_duplicate_delivery_finds_the_running_execution_and_starts_none()
    {
        using var server = WireMockServer.Start();
        var jobId = Guid.NewGuid();
        // the running one is on the second page, as Cloud Run pages executions
        server.Given(Request.Create().WithPath(ExecutionsPath).WithParam("pageToken", "p2").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"executions":[{{CloudRunServices.ExecutionJson(CloudRunServices.Execution, null, jobId: jobId, generation: 2)}}]}"""));
        server.Given(Request.Create().WithPath(ExecutionsPath).UsingGet().WithParam("pageSize", "100"))
            .AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                {"executions":[
                  {{CloudRunServices.ExecutionJson(CloudRunServices.Job + "/executions/older", "2025-03-04T05:00:00Z", failed: 1, state: "CONDITION_FAILED", jobId: jobId, generation: 2)}},
                  {{CloudRunServices.ExecutionJson(CloudRunServices.Job + "/executions/earlier-generation", null, jobId: jobId, generation: 1)}}
                ],"nextPageToken":"p2"}
                """));
        await using var services = CloudRunServices.Create(server);

        var launch = await services.GetRequiredService<RenderJobLauncher>().LaunchAsync(jobId, 2, CancellationToken.None);

        Assert.Equal(new RenderLaunch(RenderLaunchKind.AlreadyRunning, CloudRunServices.Execution), launch);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Method == "POST");
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task A_late_duplicate_after_success_starts_none()
    {
        using var server = WireMockServer.Start();
        var jobId = Guid.NewGuid();
        ListAnswers(server, $$"""{"executions":[{{CloudRunServices.ExecutionJson(CloudRunServices.Execution, "2025-03-04T05:09:00Z", succeeded: 1, state: "CONDITION_SUCCEEDED", jobId: jobId, generation: 1)}}]}""");
        await using var services = CloudRunServices.Create(server);

        var launch = await services.GetRequiredService<RenderJobLauncher>().LaunchAsync(jobId, 1, CancellationToken.None);

        Assert.Equal(RenderLaunchKind.AlreadySucceeded, launch.Kind);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task A_delivery_after_a_failed_execution_starts_a_new_one()
    {
        using var server = WireMockServer.Start();
        var jobId = Guid.NewGuid();
        ListAnswers(server, $$"""{"executions":[{{CloudRunServices.ExecutionJson(CloudRunServices.Job + "/executions/failed", "2025-03-04T05:09:00Z", failed: 1, state: "CONDITION_FAILED", jobId: jobId, generation: 1)}}]}""");
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));
        await using var services = CloudRunServices.Create(server);

        var launch = await services.GetRequiredService<RenderJobLauncher>().LaunchAsync(jobId, 1, CancellationToken.None);

        Assert.Equal(new RenderLaunch(RenderLaunchKind.Started, CloudRunServices.Execution), launch);
    }

    [Fact]
    public async Task Launch_then_wait_follows_the_execution_to_its_end()
    {
        using var server = WireMockServer.Start();
        var jobId = Guid.NewGuid();
        ListAnswers(server, """{}""");
        server.Given(Request.Create().WithPath(RunPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.OperationJson(CloudRunServices.Execution)));
        server.Given(Request.Create().WithPath("/v2/" + CloudRunServices.Execution).UsingGet()).InScenario("render").WillSetStateTo("running")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.ExecutionJson(CloudRunServices.Execution, null, jobId: jobId)));
        server.Given(Request.Create().WithPath("/v2/" + CloudRunServices.Execution).UsingGet()).InScenario("render").WhenStateIs("running")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CloudRunServices.ExecutionJson(
                CloudRunServices.Execution, "2025-03-04T05:09:00Z", succeeded: 1, state: "CONDITION_SUCCEEDED", jobId: jobId)));
        await using var services = CloudRunServices.Create(server);
        var launcher = services.GetRequiredService<RenderJobLauncher>();

        var result = await launcher.WaitAsync(await launcher.LaunchAsync(jobId, 1, CancellationToken.None), CancellationToken.None);

        Assert.Equal(CloudRunExecutionOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public void The_overrides_refuse_what_the_render_job_would_refuse()
    {
        Assert.Throws<ArgumentException>(() => RenderJobLauncher.EnvironmentFor(Guid.Empty, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RenderJobLauncher.EnvironmentFor(Guid.NewGuid(), 0));
    }

    private static void ListAnswers(WireMockServer server, string body) =>
        server.Given(Request.Create().WithPath(ExecutionsPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
}
