using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ViralForge.Adapters.Google.CloudRun;

/// <summary>How a watched execution ended, or that watching stopped first.</summary>
public enum CloudRunExecutionOutcome
{
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>Google:CloudRun:Timeout passed while it was still running (it goes on; only the watching stopped).</summary>
    TimedOut,
}

/// <summary>An execution that jobs:run started: its long-running operation and the execution it created.</summary>
public sealed record StartedExecution(string? OperationName, string ExecutionName);

/// <summary>The outcome of watching an execution, with its last state.</summary>
public sealed record CloudRunExecutionResult(CloudRunExecutionOutcome Outcome, CloudRunExecution Execution)
{
    /// <summary>The Completed condition's message (why it failed), when there is one.</summary>
    public string? Message => Execution.Completed?.Message;
}

/// <summary>
/// The Cloud Run Admin API v2 for jobs: run a job with env overrides, read and list its executions, and watch one
/// until it ends. Reads are retried on transient faults; jobs:run is not idempotent (every call is a new execution),
/// so it is retried only when the request cannot have reached Cloud Run (429, a connection that never opened).
/// </summary>
public sealed class CloudRunJobsClient(IHttpClientFactory clients, IOptions<CloudRunOptions> options, TimeProvider time, ILogger<CloudRunJobsClient> log)
{
    /// <summary>The named HttpClient (auth and retries) of this client.</summary>
    public const string HttpClientName = "google-cloud-run";

    private const string Api = "Cloud Run";

    /// <summary>jobs:run with <paramref name="environment"/> merged into the job's container for this execution.</summary>
    /// <returns>Once Cloud Run has named the execution (at once, normally: the operation's metadata is the Execution).</returns>
    public async Task<StartedExecution> RunAsync(string jobName, IReadOnlyList<KeyValuePair<string, string>> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var o = options.Value;
        var body = new RunJobRequest(new RunJobOverrides([new RunJobContainerOverride([.. environment.Select(e => new CloudRunEnvVar(e.Key, e.Value))])]));
        using var response = await SendAsync(HttpMethod.Post, $"v2/{JobPath(o, jobName)}:run", JsonSerializer.SerializeToUtf8Bytes(body, CloudRunJson.Default.RunJobRequest), o, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
        }
        var operation = await GoogleResponses.ReadJsonAsync(Api, response, CloudRunJson.Default.LongRunningOperation, cancellationToken);
        var execution = ExecutionNameOf(operation) ?? await AwaitExecutionNameAsync(operation.Name, o, cancellationToken);
        log.ExecutionStarted(jobName, execution);
        return new StartedExecution(operation.Name, execution);
    }

    /// <param name="executionName">The full name: projects/{p}/locations/{r}/jobs/{job}/executions/{execution}.</param>
    public async Task<CloudRunExecution> GetExecutionAsync(string executionName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionName);
        var o = options.Value;
        using var response = await SendAsync(HttpMethod.Get, $"v2/{executionName}", null, o, cancellationToken);
        return response.IsSuccessStatusCode
            ? await GoogleResponses.ReadJsonAsync(Api, response, CloudRunJson.Default.CloudRunExecution, cancellationToken)
            : throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
    }

    /// <summary>Every execution Cloud Run still keeps for the job (up to 1000), page by page.</summary>
    public async Task<IReadOnlyList<CloudRunExecution>> ListExecutionsAsync(string jobName, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var executions = new List<CloudRunExecution>();
        string? pageToken = null;
        do
        {
            var path = $"v2/{JobPath(o, jobName)}/executions?pageSize=100" + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}");
            using var response = await SendAsync(HttpMethod.Get, path, null, o, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
            }
            var page = await GoogleResponses.ReadJsonAsync(Api, response, CloudRunJson.Default.ExecutionList, cancellationToken);
            executions.AddRange(page.Executions ?? []);
            pageToken = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(pageToken));
        return executions;
    }

    /// <summary>
    /// Reads the execution every Google:CloudRun:PollInterval until it has a completion time, or until
    /// Google:CloudRun:Timeout has passed (then <see cref="CloudRunExecutionOutcome.TimedOut"/>; the execution is not cancelled).
    /// </summary>
    /// <param name="watchFor">How long to watch this time; Google:CloudRun:Timeout when null.</param>
    /// <param name="whileRunning">Called after each read that finds the execution still running (the render reads its progress there).</param>
    public async Task<CloudRunExecutionResult> WaitForExecutionAsync(
        string executionName, CancellationToken cancellationToken, TimeSpan? watchFor = null, Func<CancellationToken, Task>? whileRunning = null)
    {
        var o = options.Value;
        var watch = watchFor ?? o.Timeout;
        var deadline = time.GetUtcNow() + watch;
        while (true)
        {
            var execution = await GetExecutionAsync(executionName, cancellationToken);
            if (execution.IsFinished)
            {
                var outcome = OutcomeOf(execution);
                log.ExecutionEnded(executionName, outcome, execution.SucceededCount, execution.TaskCount, execution.FailedCount, execution.RetriedCount, execution.Completed?.Message);
                return new CloudRunExecutionResult(outcome, execution);
            }
            if (whileRunning is not null)
            {
                await whileRunning(cancellationToken);
            }
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                log.ExecutionWatchTimedOut(executionName, watch);
                return new CloudRunExecutionResult(CloudRunExecutionOutcome.TimedOut, execution);
            }
            await Task.Delay(left < o.PollInterval ? left : o.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>How a finished execution went: the Completed condition first, then the task counts.</summary>
    public static CloudRunExecutionOutcome OutcomeOf(CloudRunExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (execution.Completed?.State == "CONDITION_SUCCEEDED" || (execution.TaskCount > 0 && execution.SucceededCount >= execution.TaskCount))
        {
            return CloudRunExecutionOutcome.Succeeded;
        }
        return execution.CancelledCount > 0 ? CloudRunExecutionOutcome.Cancelled : CloudRunExecutionOutcome.Failed;
    }

    private static string JobPath(CloudRunOptions o, string jobName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        return $"projects/{o.ProjectId}/locations/{o.Region}/jobs/{Uri.EscapeDataString(jobName)}";
    }

    private static string? ExecutionNameOf(LongRunningOperation operation) => operation.Metadata?.Name is { Length: > 0 } name
        ? name
        : operation.Response?.Name is { Length: > 0 } done ? done : null;

    /// <summary>For an operation whose first answer did not name the execution yet: reads it until it does, or fails.</summary>
    private async Task<string> AwaitExecutionNameAsync(string? operationName, CloudRunOptions o, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(operationName))
        {
            throw new GoogleApiException(Api, 200, "jobs:run answered without an operation or an execution name");
        }
        var deadline = time.GetUtcNow() + o.Timeout;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, $"v2/{operationName}", null, o, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
            }
            var operation = await GoogleResponses.ReadJsonAsync(Api, response, CloudRunJson.Default.LongRunningOperation, cancellationToken);
            if (ExecutionNameOf(operation) is { } name)
            {
                return name;
            }
            if (operation.Error is { } error)
            {
                throw new GoogleApiException(Api, 200, $"operation {operationName} failed: {error.Message}", $"rpc code {error.Code}");
            }
            if (operation.Done || time.GetUtcNow() >= deadline)
            {
                throw new GoogleApiException(Api, 200, $"operation {operationName} never named its execution");
            }
            await Task.Delay(o.PollInterval, time, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? json, CloudRunOptions o, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        try
        {
            return await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"{Api} did not answer {method} {path} within Google:CloudRun:AttemptTimeout ({o.AttemptTimeout}).", ex);
        }
    }

}
