using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Google.Tasks;

/// <summary>
/// The task queue in production: one named Cloud Tasks HTTP task per <see cref="QueueTask"/>, sent to the stage's
/// Cloud Run service with an OIDC token. The name is the task's full resource name, so a second enqueue of the same
/// task answers 409 ALREADY_EXISTS, which is <see cref="EnqueueResult.AlreadyExists"/>.
/// </summary>
/// <remarks>
/// Every call is retried on 408, 429, 5xx, dropped connections and timeouts (the client's resilience handler). That is
/// safe only because tasks are named: if a create succeeded but its answer was lost, the retry gets 409 and the task
/// still exists exactly once.
/// </remarks>
public sealed class CloudTasksQueue(
    IHttpClientFactory clients,
    IOptions<CloudTasksOptions> options,
    IOptions<ViralForgeOptions> settings,
    ILogger<CloudTasksQueue> log) : ITaskQueue
{
    /// <summary>The named HttpClient (auth and retries) this adapter and <see cref="CloudTasksQueueAdmin"/> use.</summary>
    public const string HttpClientName = "google-cloud-tasks";

    internal const string Api = "Cloud Tasks";

    // Cloud Tasks refuses a dispatchDeadline outside [15 s, 30 min]; the local queue allows shorter ones for tests.
    private static readonly TimeSpan MinDispatchDeadline = TimeSpan.FromSeconds(15);

    public async Task<EnqueueResult> EnqueueAsync(QueueTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await CreateAsync(task, cancellationToken);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            // Retried already (the resilience handler); what is left is the port's one "not now" failure.
            throw new TaskQueueUnavailableException(task.Queue, e.Message, e);
        }
    }

    /// <summary>
    /// tasks.get: 200 is a task that will still be delivered (Cloud Tasks deletes a task once it succeeds or runs out of
    /// attempts), 404 NOT_FOUND is none. Retried like a create (a GET is always safe to repeat); what is still 429, 5xx or
    /// a timeout after that is the port's <see cref="TaskQueueUnavailableException"/>.
    /// </summary>
    public async Task<TaskLookup?> FindAsync(string queue, string name, CancellationToken cancellationToken)
    {
        TaskNames.Validate(name);
        var o = options.Value;
        var path = $"v2/{QueuePath(o, queue)}/tasks/{name}?responseView=BASIC";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await GetAsync(request, path, o, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                var missing = await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
                log.TaskNotFound(name, queue, missing.Status ?? "404");
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
            }
            var found = await GoogleResponses.ReadJsonAsync(Api, response, CloudTasksJson.Default.FoundTask, cancellationToken);
            return new TaskLookup(Live: true, found.DispatchCount, found.LastAttempt?.ResponseStatus?.Message);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new TaskQueueUnavailableException(queue, e.Message, e);
        }
    }

    private async Task<HttpResponseMessage> GetAsync(HttpRequestMessage request, string path, CloudTasksOptions o, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException(
                $"{Api} did not answer GET {path} within Google:Tasks:AttemptTimeout ({o.AttemptTimeout}) in {o.MaxRetryAttempts + 1} attempts.", ex);
        }
    }

    /// <summary>
    /// Out of reach or refusing for now: no answer, a timeout, 408, 429, 5xx, ABORTED, or an answer garbled on the way.
    /// A 400 or 403 stays a <see cref="GoogleApiException"/>: the request or the deployment is wrong, and waiting will not help.
    /// </summary>
    private static bool IsUnavailable(Exception e) => e switch
    {
        HttpRequestException or TimeoutException => true,
        GoogleApiException api => api.StatusCode is 200 or 408 or 409 or 429 or >= 500,
        _ => false,
    };

    private async Task<EnqueueResult> CreateAsync(QueueTask task, CancellationToken cancellationToken)
    {
        TaskNames.Validate(task.Name);
        var o = options.Value;
        var service = ServiceUrlFor(o, task.Queue);
        var url = new Uri(WithTrailingSlash(service), task.Path.TrimStart('/'));
        var queuePath = QueuePath(o, task.Queue);
        var deadline = DispatchDeadlineFor(task, settings.Value.Queue);

        var body = new CreateTaskRequest(
            new CloudTask(
                $"{queuePath}/tasks/{task.Name}",
                task.ScheduleTime is { } at ? GoogleTime.Rfc3339(at) : null,
                GoogleTime.Duration(deadline),
                new HttpTaskRequest(
                    url.AbsoluteUri,
                    "POST",
                    // Cloud Tasks sets no Content-Type of its own; the stage endpoints read JSON.
                    new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                    task.Body,
                    new OidcToken(o.InvokerServiceAccount, AudienceFor(service)))),
            "BASIC");

        using var response = await SendAsync(HttpMethod.Post, $"v2/{queuePath}/tasks", JsonSerializer.SerializeToUtf8Bytes(body, CloudTasksJson.Default.CreateTaskRequest), o, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            await GoogleResponses.ReadJsonAsync(Api, response, CloudTasksJson.Default.CreatedTask, cancellationToken);
            log.TaskCreated(task.Name, task.Queue, url.AbsoluteUri);
            return EnqueueResult.Created;
        }
        var error = await GoogleResponses.ErrorAsync(Api, response, cancellationToken);
        // 409 is also ABORTED (a concurrency conflict worth retrying); only ALREADY_EXISTS means the task is there.
        if (response.StatusCode == HttpStatusCode.Conflict && error.Status is null or "ALREADY_EXISTS")
        {
            log.TaskAlreadyExists(task.Name, task.Queue);
            return EnqueueResult.AlreadyExists;
        }
        throw error;
    }

    /// <summary>
    /// The task's dispatchDeadline: its own (a render's, sized from its video) or its queue's, within what Cloud Tasks
    /// accepts for an HTTP task.
    /// </summary>
    public static TimeSpan DispatchDeadlineFor(QueueTask task, QueueOptions queues)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(queues);
        var deadline = task.DispatchDeadline ?? queues.LimitsFor(task.Queue).DispatchDeadline;
        return deadline < MinDispatchDeadline ? MinDispatchDeadline : deadline > QueueOptions.MaxDispatchDeadline ? QueueOptions.MaxDispatchDeadline : deadline;
    }

    /// <summary>
    /// The service that handles a queue's tasks: ServiceUrls by queue, then by stage, then UrlTemplate. A queue
    /// vf-&lt;stage&gt;-&lt;purpose&gt; belongs to its stage's service: vf-review-decisions and vf-review-timers go to the review
    /// service (the review bot, which runs the review stage and applies, reminds and expires its decisions).
    /// </summary>
    public static Uri ServiceUrlFor(CloudTasksOptions options, string queue)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var stage = queue.StartsWith("vf-", StringComparison.Ordinal) ? queue[3..] : queue;
        if (stage.IndexOf('-', StringComparison.Ordinal) is > 0 and var dash)
        {
            stage = stage[..dash];
        }
        if (options.ServiceUrls.TryGetValue(queue, out var byQueue))
        {
            return byQueue;
        }
        if (options.ServiceUrls.TryGetValue(stage, out var byStage))
        {
            return byStage;
        }
        if (!string.IsNullOrWhiteSpace(options.UrlTemplate))
        {
            return new Uri(options.UrlTemplate.Replace("{stage}", stage, StringComparison.Ordinal).Replace("{queue}", queue, StringComparison.Ordinal));
        }
        throw new InvalidOperationException(
            $"No service handles queue '{queue}': add Google:Tasks:ServiceUrls:{stage} or set Google:Tasks:UrlTemplate.");
    }

    /// <summary>
    /// The token's audience: the service URL without path or trailing slash (https://vf-render-abc-ew.a.run.app),
    /// the form Cloud Run accepts and the one the receiving service checks tokens against.
    /// </summary>
    public static string AudienceFor(Uri serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        return serviceUrl.GetLeftPart(UriPartial.Authority);
    }

    internal static string QueuePath(CloudTasksOptions options, string queue)
    {
        // Cloud Tasks' rule for queue ids; checked here so a bad name fails before a request names the wrong resource.
        if (queue.Length is 0 or > 100 || !queue.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"Queue name '{queue}' must be 1-100 characters of A-Z, a-z, 0-9 and - (Cloud Tasks' rule).", nameof(queue));
        }
        return $"projects/{options.ProjectId}/locations/{options.Location}/queues/{queue}";
    }

    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[] json, CloudTasksOptions o, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            return await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException(
                $"{Api} did not answer {method} {path} within Google:Tasks:AttemptTimeout ({o.AttemptTimeout}) in {o.MaxRetryAttempts + 1} attempts.", ex);
        }
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
