using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Runway;

/// <summary>
/// Runway text-to-video: POST /v1/text_to_video starts a task, GET /v1/tasks/{id} is polled until it SUCCEEDED, and
/// its signed output URL (valid for a day or two) is downloaded at once and stored in the blob store.
/// </summary>
/// <remarks>
/// Paying once: the work is looked up in the ledger first. A stored clip is reused with no call; a stored task id is
/// polled again (never created again); otherwise the task is created and its id, credits and USD are recorded the
/// moment Runway answers, before the first poll. Past MaxWaitPerDelivery the delivery ends with
/// <see cref="WorkStillRunningException"/> and the next one resumes the same task.
/// A create answered 429 or 5xx made no task and is repeated. A create that got no answer (a timeout, a connection cut
/// after sending, a 2xx that cannot be read) may have started a paid task that Runway has no idempotency key to find
/// again, so it is not repeated: the beat fails with <see cref="VideoGenerationFailedException"/> (stock footage takes
/// its place) and a warning names the work, so at most one generation is paid and never collected, instead of a
/// retry paying for two.
/// </remarks>
public sealed class RunwayVideoGenerator(
    IHttpClientFactory clients,
    IOptions<RunwayOptions> options,
    ICostLedger ledger,
    IBlobStore blobs,
    TimeProvider time,
    ILogger<RunwayVideoGenerator>? log = null) : IVideoGenerator
{
    /// <summary>The named HttpClient of this generator.</summary>
    public const string HttpClientName = "runway";

    public const string Provider = "runway";

    private const string Vendor = "Runway";

    private ILogger Log => log ?? NullLogger<RunwayVideoGenerator>.Instance;

    public string Name => Provider;

    public async Task<GeneratedVideo> GenerateAsync(VideoPrompt prompt, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var o = options.Value;
        var work = prompt.Work;
        var duration = GeneratedClips.NearestDuration(o.Durations, prompt.Seconds);
        return await GeneratedClips.GenerateOnceAsync(
            work,
            outputPath,
            duration,
            new GeneratorParts(Provider, ledger, blobs, Log),
            async ct =>
            {
                var taskId = await CreateAsync(prompt, duration, o, ct);
                var credits = duration * o.CreditsPerSecond[o.Model];
                return new PaidCall(work, Provider, credits, "credits", credits * o.UsdPerCredit, o.PricesAsOf, VendorId: taskId);
            },
            async (taskId, ct) =>
            {
                var output = await WaitForOutputAsync(taskId, o, ct);
                using var download = new HttpRequestMessage(HttpMethod.Get, output);
                // A plain client: the key must never travel to the storage host that signed the URL.
                await GeneratedClips.DownloadAsync(Client(o, o.DownloadTimeout), download, outputPath, Vendor, ct);
            },
            Credit,
            cancellationToken);
    }

    /// <summary>promptText as Runway takes it: at most 1000 UTF-16 units, never cutting a surrogate pair in half.</summary>
    public static string PromptText(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = prompt.Trim();
        if (text.Length <= RunwayOptions.MaxPromptLength)
        {
            return text;
        }
        var cut = RunwayOptions.MaxPromptLength;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        var space = text.LastIndexOf(' ', cut - 1, cut);
        return (space > cut - 100 ? text[..space] : text[..cut]).TrimEnd();
    }

    private async Task<string> CreateAsync(VideoPrompt prompt, int duration, RunwayOptions o, CancellationToken cancellationToken)
    {
        var text = PromptText(prompt.Prompt);
        if (text.Length == 0)
        {
            throw new PermanentStageException("There is nothing to generate: the beat's video prompt is empty.");
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new RunwayTextToVideoRequest(o.Model, text, RunwayOptions.RatioFor(prompt.Format), duration), RunwayJsonContext.Default.RunwayTextToVideoRequest);
        var http = Client(o, o.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await VoiceHttp.SendAsync(http, () =>
            {
                var message = Request(HttpMethod.Post, "v1/text_to_video", o);
                message.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
                return message;
            }, o.MaxCreateRetries, o.RetryBaseDelay, o.MaxRetryAfter, Vendor, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw Unanswered(prompt.Work, e.Message);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            // Nothing reached Runway: no task exists, and the queue's retry is safe.
            throw new HttpRequestException($"Runway could not be reached ({e.HttpRequestError}); no task was started and the queue tries again later.", e, e.StatusCode);
        }
        catch (HttpRequestException e)
        {
            throw Unanswered(prompt.Work, $"the connection broke after the request was sent ({e.HttpRequestError})");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await CreateErrorAsync(response, o, cancellationToken);
            }
            RunwayTaskCreated? created;
            try
            {
                created = await response.Content.ReadFromJsonAsync(RunwayJsonContext.Default.RunwayTaskCreated, cancellationToken);
            }
            catch (JsonException e)
            {
                throw Unanswered(prompt.Work, $"Runway answered the create with JSON that could not be read: {e.Message}");
            }
            return created is { Id: { Length: > 0 } id }
                ? id
                : throw Unanswered(prompt.Work, "Runway answered the create without a task id");
        }
    }

    /// <summary>The create may have made a paid task that cannot be found again: fail the beat rather than pay twice.</summary>
    private VideoGenerationFailedException Unanswered(PaidWork work, string problem)
    {
        Log.CreateUnanswered(Provider, work.Call, work.JobId, problem);
        return new VideoGenerationFailedException(Provider,
            $"Runway gave no usable answer to starting the clip ({problem}); it may have started a paid generation, so it was not asked again (check its usage), and stock footage is used for this beat");
    }

    private static async Task<Exception> CreateErrorAsync(HttpResponseMessage response, RunwayOptions o, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var message = GeneratedClips.Redact(await ErrorTextAsync(response, cancellationToken), o.ApiKey);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new PermanentStageException($"Runway refused the key in {RunwayOptions.ApiKeySetting} (401); set it to a valid API secret.");
        }
        if (status == 429 || status >= 500)
        {
            // Runway made no task: the queue's next delivery may start one safely.
            return new HttpRequestException($"Runway answered {status} to starting the clip ({message}); no task was started and the queue tries again later.", null, response.StatusCode);
        }
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // The prompt (its words or moderation) or a setting Runway does not take: stock footage serves the beat.
            return new VideoGenerationFailedException(Provider, $"Runway refused the request ({status}): {message}");
        }
        return new PermanentStageException($"Runway answered {status} to starting the clip: {message}. Check Runway:BaseUrl and Runway:ApiVersion.");
    }

    /// <summary>Polls the task until it has an output URL; failures and cancellation end in <see cref="VideoGenerationFailedException"/>.</summary>
    private async Task<Uri> WaitForOutputAsync(string taskId, RunwayOptions o, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + o.MaxWaitPerDelivery;
        var http = Client(o, o.RequestTimeout);
        var failures = 0;
        var last = "PENDING";
        while (true)
        {
            var (task, problem, retryAfter) = await PollAsync(http, taskId, o, cancellationToken);
            TimeSpan wait;
            if (task is not null)
            {
                failures = 0;
                last = task.Status ?? "unknown";
                Log.GenerationPolled(Provider, taskId, last, task.Progress ?? 0);
                switch (task.Status)
                {
                    case "SUCCEEDED":
                        var first = task.Output?.FirstOrDefault();
                        return Uri.TryCreate(first, UriKind.Absolute, out var url)
                            ? url
                            : throw Failed(taskId, "Runway reported the task done without an output URL");
                    case "FAILED":
                        throw Failed(taskId, FailureReason(task));
                    case "CANCELLED":
                        throw Failed(taskId, "the generation was cancelled at Runway");
                }
                // PENDING, THROTTLED (over the account's concurrency: Runway queues it), RUNNING, or a status added later.
                wait = GeneratedClips.Jittered(o.PollInterval, o.PollJitter);
            }
            else
            {
                failures++;
                wait = retryAfter ?? GeneratedClips.Backoff(o.PollInterval, o.MaxPollBackoff, o.PollJitter, failures);
                Log.PollFailed(Provider, taskId, problem!, wait);
            }
            if (time.GetUtcNow() + wait > deadline)
            {
                throw new WorkStillRunningException(
                    string.Create(CultureInfo.InvariantCulture, $"Runway task {taskId} is still {last} after {o.MaxWaitPerDelivery.TotalSeconds:0.###} s; the queue comes back for it."),
                    o.ComeBackAfter);
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>One poll: the task, or why there was none (429, 5xx, no answer, unreadable JSON) and any Retry-After.</summary>
    private static async Task<(RunwayTask? Task, string? Problem, TimeSpan? RetryAfter)> PollAsync(HttpClient http, string taskId, RunwayOptions o, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = Request(HttpMethod.Get, $"v1/tasks/{Uri.EscapeDataString(taskId)}", o);
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "no answer in time", null);
        }
        catch (HttpRequestException e)
        {
            return (null, $"connection failed: {e.HttpRequestError}", null);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status == 429 || status >= 500 || status == 408)
            {
                return (null, $"{status}", VoiceHttp.RetryAfter(response));
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new PermanentStageException($"Runway refused the key in {RunwayOptions.ApiKeySetting} (401) while task {taskId} was running; set it to a valid API secret, and the next delivery resumes the task.");
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new VideoGenerationFailedException(Provider, $"Runway no longer has task {taskId} (deleted or expired)");
            }
            if (!response.IsSuccessStatusCode)
            {
                var message = GeneratedClips.Redact(await ErrorTextAsync(response, cancellationToken), o.ApiKey);
                throw new PermanentStageException($"Runway answered {status} to a poll of task {taskId}: {message}");
            }
            try
            {
                var task = await response.Content.ReadFromJsonAsync(RunwayJsonContext.Default.RunwayTask, cancellationToken);
                return task is { Status: { Length: > 0 } } ? (task, null, null) : (null, "an answer without a status", null);
            }
            catch (JsonException)
            {
                // A cut or proxied body: polling is safe to repeat, and the next answer is usually whole.
                return (null, "JSON that could not be read", null);
            }
        }
    }

    private VideoGenerationFailedException Failed(string taskId, string reason)
    {
        Log.GenerationFailed(Provider, taskId, reason);
        return new VideoGenerationFailedException(Provider, reason);
    }

    /// <summary>A failed task's reason as a person reads it: whose moderation refused what, or what broke.</summary>
    public static string FailureReason(string? failureCode, string? failure)
    {
        var code = failureCode ?? "unknown";
        var text = string.IsNullOrWhiteSpace(failure) ? "" : $": {GeneratedClips.Short(failure)}";
        if (code.StartsWith("SAFETY.INPUT", StringComparison.Ordinal))
        {
            return $"Runway's moderation refused the prompt ({code}){text}";
        }
        if (code.StartsWith("SAFETY.OUTPUT", StringComparison.Ordinal))
        {
            return $"Runway's moderation refused the generated clip ({code}){text}";
        }
        return $"Runway failed the generation ({code}){text}";
    }

    private static string FailureReason(RunwayTask task) => FailureReason(task.FailureCode, task.Failure);

    private static ClipCredit Credit(string taskId) =>
        new(Provider, taskId, Vendor, null, "", "Runway Terms of Use, https://runwayml.com/terms-of-use");

    private HttpClient Client(RunwayOptions o, TimeSpan timeout)
    {
        var http = clients.CreateClient(HttpClientName);
        http.BaseAddress = o.BaseUrl;
        http.Timeout = timeout;
        return http;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, RunwayOptions o)
    {
        var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
        message.Headers.TryAddWithoutValidation("X-Runway-Version", o.ApiVersion);
        return message;
    }

    /// <summary>Runway's error text: {"error": "...", "issues": [{"path": [...], "message": "..."}]}, or the raw body cut short.</summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                var text = error.ValueKind == JsonValueKind.String ? error.GetString() ?? "" : error.ToString();
                if (root.TryGetProperty("issues", out var issues) && issues.ValueKind == JsonValueKind.Array)
                {
                    var details = issues.EnumerateArray()
                        .Select(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("message", out var m) ? Path(i) + m.ToString() : i.ToString());
                    text += " (" + string.Join("; ", details) + ")";
                }
                return GeneratedClips.Short(text);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the raw text, cut short, says what it is.
        }
        return GeneratedClips.Short(raw);
    }

    private static string Path(JsonElement issue) =>
        issue.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.Array
            ? string.Join(".", path.EnumerateArray().Select(p => p.ToString())) + ": "
            : "";
}
