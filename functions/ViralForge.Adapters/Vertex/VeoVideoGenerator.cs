using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Runway;
using ViralForge.Adapters.Voices;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Vertex;

/// <summary>
/// Veo on Vertex AI: POST {model}:predictLongRunning starts an operation, POST {model}:fetchPredictOperation polls it
/// (a GET on the operation does not work for Veo), and the clip comes back inline as base64 or, with Veo:StorageUri
/// set, as a gs:// object read through the Cloud Storage JSON API. Calls carry the service account's bearer token,
/// asked for on every request so a long wait never outlives it.
/// </summary>
/// <remarks>
/// Paying once works as in <see cref="RunwayVideoGenerator"/>: a stored clip is reused with no call, a stored operation
/// name is polled again, and a new operation's name, seconds and USD are recorded before the first poll. A start that
/// got no answer is not repeated (it may have started a paid generation): the beat falls back to stock. Veo offers 9:16
/// and 16:9 only, so a square row gets the 9:16 clip and the renderer crops it.
/// </remarks>
public sealed class VeoVideoGenerator(
    IHttpClientFactory clients,
    IOptions<VeoOptions> options,
    IGoogleAccessTokenSource tokens,
    ICostLedger ledger,
    IBlobStore blobs,
    TimeProvider time,
    ILogger<VeoVideoGenerator>? log = null) : IVideoGenerator
{
    /// <summary>The named HttpClient of this generator.</summary>
    public const string HttpClientName = "veo";

    public const string Provider = "veo";

    private const string Vendor = "Veo";

    private ILogger Log => log ?? NullLogger<VeoVideoGenerator>.Instance;

    public string Name => Provider;

    public async Task<GeneratedVideo> GenerateAsync(VideoPrompt prompt, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var o = options.Value;
        var work = prompt.Work;
        var seconds = GeneratedClips.NearestDuration(o.AllowedDurations, prompt.Seconds);
        return await GeneratedClips.GenerateOnceAsync(
            work,
            outputPath,
            seconds,
            new GeneratorParts(Provider, ledger, blobs, Log),
            async ct =>
            {
                var operation = await StartAsync(prompt, seconds, o, ct);
                var price = o.Prices[o.Model];
                return new PaidCall(work, Provider, seconds, "seconds", price.Cost(seconds, o.GenerateAudio), o.PricesAsOf, VendorId: operation);
            },
            async (operation, ct) =>
            {
                var video = await WaitForVideoAsync(operation, o, ct);
                await SaveAsync(video, outputPath, o, ct);
            },
            Credit,
            cancellationToken);
    }

    /// <summary>
    /// The aspect ratio for a row's Format: 16:9 for landscape, 9:16 otherwise (Veo has no 1:1; the renderer crops the
    /// portrait clip to a square).
    /// </summary>
    public static string AspectRatioFor(string format) => format == VideoChoices.Landscape ? "16:9" : "9:16";

    private async Task<string> StartAsync(VideoPrompt prompt, int seconds, VeoOptions o, CancellationToken cancellationToken)
    {
        var text = prompt.Prompt.Trim();
        if (text.Length == 0)
        {
            throw new PermanentStageException("There is nothing to generate: the beat's video prompt is empty.");
        }
        var request = new VeoRequest(
            [new VeoInstance(text)],
            new VeoParameters(AspectRatioFor(prompt.Format), seconds, o.Resolution, o.GenerateAudio, 1, o.PersonGeneration, string.IsNullOrWhiteSpace(o.StorageUri) ? null : o.StorageUri));
        var body = JsonSerializer.SerializeToUtf8Bytes(request, VeoJsonContext.Default.VeoRequest);
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        var http = Client(o.RequestTimeout, o.Endpoint);
        HttpResponseMessage response;
        try
        {
            response = await VoiceHttp.SendAsync(http, () => Post($"{o.ModelPath}:predictLongRunning", body, token), o.MaxCreateRetries, o.RetryBaseDelay, o.MaxRetryAfter, Vendor, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw Unanswered(prompt.Work, e.Message);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            throw new HttpRequestException($"Vertex AI could not be reached ({e.HttpRequestError}); no Veo generation was started and the queue tries again later.", e, e.StatusCode);
        }
        catch (HttpRequestException e)
        {
            throw Unanswered(prompt.Work, $"the connection broke after the request was sent ({e.HttpRequestError})");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await StartErrorAsync(response, o, cancellationToken);
            }
            VeoOperation? started;
            try
            {
                started = await response.Content.ReadFromJsonAsync(VeoJsonContext.Default.VeoOperation, cancellationToken);
            }
            catch (JsonException e)
            {
                throw Unanswered(prompt.Work, $"Vertex AI answered the start with JSON that could not be read: {e.Message}");
            }
            return started is { Name: { Length: > 0 } name } ? name : throw Unanswered(prompt.Work, "Vertex AI answered the start without an operation name");
        }
    }

    private VideoGenerationFailedException Unanswered(PaidWork work, string problem)
    {
        Log.CreateUnanswered(Provider, work.Call, work.JobId, problem);
        return new VideoGenerationFailedException(Provider,
            $"Vertex AI gave no usable answer to starting the clip ({problem}); it may have started a paid generation, so it was not asked again, and stock footage is used for this beat");
    }

    private static async Task<Exception> StartErrorAsync(HttpResponseMessage response, VeoOptions o, CancellationToken cancellationToken)
    {
        var error = await GoogleResponses.ErrorAsync("Vertex AI Veo", response, cancellationToken);
        var status = (int)response.StatusCode;
        if (status == 429 || status >= 500)
        {
            return new HttpRequestException($"{error.Message}; no generation was started and the queue tries again later.", null, response.StatusCode);
        }
        return response.StatusCode switch
        {
            // A prompt Google's policy blocks, or a parameter it does not take: stock footage serves the beat.
            HttpStatusCode.BadRequest => new VideoGenerationFailedException(Provider, $"Vertex AI refused the request: {error.Message}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PermanentStageException(
                $"{error.Message}. Give the service account roles/aiplatform.user in project {o.Project} (Veo:Project) and enable the Vertex AI API."),
            HttpStatusCode.NotFound => new PermanentStageException(
                $"{error.Message}. Check Veo:Model ({o.Model}) and Veo:Location ({o.Location}): the model may not be served there."),
            _ => new PermanentStageException(error.Message),
        };
    }

    private async Task<VeoVideo> WaitForVideoAsync(string operation, VeoOptions o, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + o.MaxWaitPerDelivery;
        var http = Client(o.RequestTimeout, o.Endpoint);
        var body = JsonSerializer.SerializeToUtf8Bytes(new VeoFetchRequest(operation), VeoJsonContext.Default.VeoFetchRequest);
        var failures = 0;
        while (true)
        {
            var (answer, problem, retryAfter) = await PollAsync(http, body, operation, o, cancellationToken);
            TimeSpan wait;
            if (answer is not null)
            {
                failures = 0;
                Log.GenerationPolled(Provider, operation, answer.Done ? "done" : "running", answer.Done ? 1 : 0);
                if (answer.Done)
                {
                    return Video(operation, answer);
                }
                wait = GeneratedClips.Jittered(o.PollInterval, o.PollJitter);
            }
            else
            {
                failures++;
                wait = retryAfter ?? GeneratedClips.Backoff(o.PollInterval, o.MaxPollBackoff, o.PollJitter, failures);
                Log.PollFailed(Provider, operation, problem!, wait);
            }
            if (time.GetUtcNow() + wait > deadline)
            {
                throw new WorkStillRunningException(
                    string.Create(CultureInfo.InvariantCulture, $"Veo operation {operation} is still running after {o.MaxWaitPerDelivery.TotalSeconds:0.###} s; the queue comes back for it."),
                    o.ComeBackAfter);
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>The finished operation's clip, or why there is none: an error, or Google's safety filter.</summary>
    private VeoVideo Video(string operation, VeoOperation done)
    {
        if (done.Error is { } error)
        {
            throw Failed(operation, $"Veo failed the generation (code {error.Code?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}): {GeneratedClips.Short(error.Message ?? "no message")}");
        }
        var videos = done.Response?.Videos ?? [];
        var first = videos.FirstOrDefault(v => !string.IsNullOrEmpty(v.BytesBase64Encoded) || !string.IsNullOrEmpty(v.GcsUri));
        if (first is not null)
        {
            return first;
        }
        if (done.Response?.RaiMediaFilteredCount is > 0)
        {
            var reasons = done.Response.RaiMediaFilteredReasons is { Count: > 0 } r ? string.Join("; ", r.Select(GeneratedClips.Short)) : "no reason given";
            throw Failed(operation, $"Google's safety filter refused the clip: {reasons}");
        }
        throw Failed(operation, "Veo finished without a video");
    }

    private VideoGenerationFailedException Failed(string operation, string reason)
    {
        Log.GenerationFailed(Provider, operation, reason);
        return new VideoGenerationFailedException(Provider, reason);
    }

    private async Task<(VeoOperation? Answer, string? Problem, TimeSpan? RetryAfter)> PollAsync(HttpClient http, byte[] body, string operation, VeoOptions o, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            var token = await tokens.GetAccessTokenAsync(cancellationToken);
            using var request = Post($"{o.ModelPath}:fetchPredictOperation", body, token);
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
                return (null, status.ToString(CultureInfo.InvariantCulture), VoiceHttp.RetryAfter(response));
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw Failed(operation, $"Vertex AI no longer has operation {operation}");
            }
            if (!response.IsSuccessStatusCode)
            {
                var error = await GoogleResponses.ErrorAsync("Vertex AI Veo", response, cancellationToken);
                throw new PermanentStageException($"{error.Message} (polling {operation}); the next delivery resumes it once this is fixed.");
            }
            try
            {
                var answer = await response.Content.ReadFromJsonAsync(VeoJsonContext.Default.VeoOperation, cancellationToken);
                return answer is null ? (null, "JSON null", null) : (answer, null, null);
            }
            catch (JsonException)
            {
                return (null, "JSON that could not be read", null);
            }
        }
    }

    /// <summary>Writes the clip to <paramref name="path"/>: decoded from base64, or read from Cloud Storage.</summary>
    private async Task SaveAsync(VeoVideo video, string path, VeoOptions o, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(video.BytesBase64Encoded))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(video.BytesBase64Encoded);
            }
            catch (FormatException e)
            {
                // A cut answer: the operation still holds the clip, and the next delivery polls it again.
                throw new InvalidDataException("Veo answered a clip that is not base64.", e);
            }
            await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);
            return;
        }
        var (bucket, name) = ParseGcsUri(video.GcsUri!);
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"storage/v1/b/{Uri.EscapeDataString(bucket)}/o/{Uri.EscapeDataString(name)}?alt=media");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await GeneratedClips.DownloadAsync(Client(o.DownloadTimeout, o.StorageBaseUrl), request, path, Vendor, cancellationToken);
    }

    /// <summary>gs://bucket/path/to/clip.mp4 as its bucket and object name.</summary>
    public static (string Bucket, string Name) ParseGcsUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string scheme = "gs://";
        var slash = uri.StartsWith(scheme, StringComparison.Ordinal) ? uri.IndexOf('/', scheme.Length) : -1;
        if (slash <= scheme.Length || slash == uri.Length - 1)
        {
            throw new InvalidDataException($"Veo answered a clip location that is not gs://bucket/object: {GeneratedClips.Short(uri)}");
        }
        return (uri[scheme.Length..slash], uri[(slash + 1)..]);
    }

    private static ClipCredit Credit(string operation) =>
        new(Provider, operation, "Google Veo", null, "", "Google Cloud Service Specific Terms (generative AI), https://cloud.google.com/terms/service-terms");

    private HttpClient Client(TimeSpan timeout, Uri baseAddress)
    {
        var http = clients.CreateClient(HttpClientName);
        http.BaseAddress = baseAddress;
        http.Timeout = timeout;
        return http;
    }

    private static HttpRequestMessage Post(string path, byte[] body, string token)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    }
}
