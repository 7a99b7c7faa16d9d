using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Google.CloudRun;

/// <summary>The Cloud Run jobs adapter as production registers it, pointed at one test's WireMock server.</summary>
internal static class CloudRunServices
{
    public const string Job = "projects/vf-test/locations/europe-west1/jobs/viralforge-render-job";
    public const string JobPath = "/v2/" + Job;
    public const string Execution = Job + "/executions/viralforge-render-job-x7k2p";

    /// <param name="blobFolder">Where the renderer's blob store keeps its files; a fresh folder under the system's temp folder when null.</param>
    public static ServiceProvider Create(WireMockServer server, IDictionary<string, string?>? overrides = null, string? blobFolder = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Google:CloudRun:ProjectId"] = "vf-test",
            ["Google:CloudRun:Region"] = "europe-west1",
            ["Google:CloudRun:BaseAddress"] = server.Url + "/",
            ["Google:CloudRun:PollInterval"] = "00:00:00.020",
            ["Google:CloudRun:Timeout"] = "00:00:10",
            ["Google:CloudRun:AttemptTimeout"] = "00:00:05",
            ["Google:CloudRun:RetryBaseDelay"] = "00:00:00.010",
            ["Google:CloudRun:MaxRetryAttempts"] = "3",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IGoogleAccessTokenSource>(new FixedTokenSource("test-access-token"))
            .AddSingleton<IBlobStore>(new LocalBlobStore(Options.Create(new ViralForgeOptions
            {
                WorkFolder = blobFolder ?? Path.Combine(Path.GetTempPath(), "vf-cloud-run-tests", Guid.NewGuid().ToString("N")),
            })));
        services.AddCloudRunRenderJobs(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>An execution as executions.get answers it; <paramref name="completed"/> null while it runs.</summary>
    public static string ExecutionJson(string name, string? completed, int succeeded = 0, int failed = 0, int cancelled = 0, string state = "CONDITION_RECONCILING",
        string message = "", Guid? jobId = null, int generation = 1) => $$"""
        {
          "name": "{{name}}",
          "job": "viralforge-render-job",
          "taskCount": 1,
          "runningCount": {{(completed is null ? 1 : 0)}},
          "succeededCount": {{succeeded}},
          "failedCount": {{failed}},
          "cancelledCount": {{cancelled}},
          "retriedCount": {{failed}},
          "createTime": "2025-03-04T05:06:07.123456789Z",
          "startTime": "2025-03-04T05:06:09.5Z",
          {{(completed is null ? "" : $"\"completionTime\": \"{completed}\",")}}
          "conditions": [
            {"type": "ResourcesAvailable", "state": "CONDITION_SUCCEEDED"},
            {"type": "Completed", "state": "{{state}}", "message": "{{message}}"}
          ],
          "template": {
            "containers": [{
              "image": "europe-west1-docker.pkg.dev/vf-test/vf/render-job@sha256:abc",
              "env": [
                {"name": "ViralForge__Profile", "value": "gcp"},
                {"name": "VF_JOB_ID", "value": "{{jobId ?? Guid.Empty}}"},
                {"name": "VF_GENERATION", "value": "{{generation}}"}
              ]
            }],
            "maxRetries": 4
          },
          "logUri": "https://console.cloud.google.com/logs/viewer?x"
        }
        """;

    /// <summary>jobs:run's answer: the operation, its metadata the new execution.</summary>
    public static string OperationJson(string execution) => $$"""
        {
          "name": "projects/vf-test/locations/europe-west1/operations/op-1234",
          "metadata": {
            "@type": "type.googleapis.com/google.cloud.run.v2.Execution",
            "name": "{{execution}}",
            "taskCount": 1
          },
          "done": false
        }
        """;
}
