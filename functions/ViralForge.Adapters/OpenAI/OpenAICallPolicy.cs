using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// OpenAI did not answer usefully for now (rate limited, overloaded, down, too slow) and this attempt stopped retrying.
/// Not a <see cref="PermanentStageException"/>, so the stage runner gives the task back to the queue, which comes back
/// with its own backoff, or, when OpenAI asked to wait longer than this process waits (OpenAI:MaxRetryAfter), after that
/// wait (<see cref="TransientStageException.RetryAfter"/>); the ledger makes that retry pay only for calls that never answered.
/// </summary>
public sealed class OpenAIUnavailableException(string message, TimeSpan? retryAfter = null) : TransientStageException(message, retryAfter);

/// <summary>
/// How every OpenAI call of the script writer and the moderator is sent: the client's own retries are off (its pipeline
/// would sleep through any Retry-After, openai-dotnet #404, and a second layer would multiply attempts), so this is the
/// one retry layer, bounded by OpenAI:MaxRetries and OpenAI:MaxRetryAfter. It decides, per answer, whether another try
/// can help (transient) or a person must act (permanent), and keeps the key out of every message.
/// </summary>
public sealed partial class OpenAICallPolicy(IOptions<OpenAIOptions> options, TimeProvider time, ILogger<OpenAICallPolicy> log) : IDisposable
{
    // OpenAI:MaxConcurrentRequests and OpenAI:RequestsPerMinute for every script and moderation request of this process
    // (the policy is a singleton); in production the vf-script queue's dispatch rate holds the same numbers (cloudbuild.yaml).
    private readonly VoiceLimiter limiter = new(options.Value.MaxConcurrentRequests, options.Value.RequestsPerMinute);

    /// <summary>The client options every OpenAI client here is built with: the endpoint, the attempt timeout, no retries of its own.</summary>
    public static global::OpenAI.OpenAIClientOptions ClientOptions(OpenAIOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new global::OpenAI.OpenAIClientOptions
        {
            Endpoint = settings.Endpoint,
            NetworkTimeout = settings.Timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
    }

    /// <summary>
    /// Sends <paramref name="send"/>, retrying what another try can fix. <paramref name="modelSetting"/> names the
    /// setting of the model the call uses, for the message when OpenAI does not know it.
    /// </summary>
    public async Task<T> SendAsync<T>(string call, string modelSetting, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            TimeSpan? retryAfter = null;
            try
            {
                return await limiter.RunAsync(send, cancellationToken);
            }
            catch (ClientResultException e)
            {
                var failure = Classify(e, modelSetting);
                if (failure.Permanent)
                {
                    // No inner exception: the client's message can quote the vendor's answer, which for a bad key quotes part of the key.
                    log.CallFailedPermanently(call, failure.Reason);
                    throw new PermanentStageException(failure.Reason);
                }
                (reason, retryAfter) = (failure.Reason, failure.RetryAfter);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's NetworkTimeout cancels the request without our token being cancelled. The request may
                // have been processed (and billed) all the same; there is no idempotency key to ask, so a retry pays again.
                reason = Invariant($"no answer within OpenAI:Timeout ({settings.Timeout.TotalSeconds:0.###} s)");
            }
            if (attempt > settings.MaxRetries)
            {
                throw new OpenAIUnavailableException(Invariant($"OpenAI {call}: {reason}; gave up after {attempt} attempts, the queue retries later."));
            }
            if (retryAfter > settings.MaxRetryAfter)
            {
                throw new OpenAIUnavailableException(
                    Invariant($"OpenAI {call}: {reason}; it asks to wait {retryAfter.Value.TotalSeconds:0} s, longer than OpenAI:MaxRetryAfter ({settings.MaxRetryAfter.TotalSeconds:0} s), so the queue retries later."),
                    retryAfter);
            }
            var delay = retryAfter ?? settings.RetryBaseDelay * Math.Pow(2, attempt - 1);
            log.Retrying(call, attempt, settings.MaxRetries, reason, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    public void Dispose() => limiter.Dispose();

    /// <summary>What an error answer means for the row: permanent (a person must change something) or worth another try.</summary>
    internal (bool Permanent, string Reason, TimeSpan? RetryAfter) Classify(ClientResultException e, string modelSetting)
    {
        var response = e.GetRawResponse();
        var (code, message) = ReadError(response);
        var label = code is null ? Invariant($"{e.Status}") : Invariant($"{e.Status} {code}");
        return e.Status switch
        {
            // A key OpenAI does not accept will not start working by itself; its message quotes part of the key, so it is not repeated.
            401 => (true, "OpenAI rejected the key in OpenAI:ApiKey (401): set OpenAI:ApiKey to a valid secret key of the project.", null),
            403 => (true, Invariant($"OpenAI refused the request ({label}): {message}; check that the key's project may use {modelSetting}."), null),
            404 => (true, Invariant($"OpenAI does not know the model ({label}): {message}; check {modelSetting}."), null),
            // A used-up quota or budget is a 429 too, but waiting does not fix it (API_PROVIDERS.md section 1).
            429 when code == "insufficient_quota" => (true, "OpenAI says the account's quota is used up (429 insufficient_quota): add credit or raise the project's budget, then retry the row.", null),
            429 => (false, Invariant($"OpenAI is rate limiting ({label})"), RetryAfter(response)),
            408 or 409 or >= 500 => (false, Invariant($"OpenAI answered {label}"), RetryAfter(response)),
            // No answer at all: the connection failed or dropped.
            0 => (false, Invariant($"could not reach OpenAI at OpenAI:Endpoint: {Redact(e.Message)}"), null),
            // 400, 413, 422: this request is wrong and sending it again gives the same answer.
            _ => (true, Invariant($"OpenAI refused the request ({label}): {message}"), null),
        };
    }

    /// <summary>The error envelope's code and message ({"error":{"message","type","param","code"}}), the key taken out.</summary>
    private (string? Code, string Message) ReadError(PipelineResponse? response)
    {
        if (response is null)
        {
            return (null, "no answer");
        }
        try
        {
            using var json = JsonDocument.Parse(response.Content);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
                    : error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (code, Redact(message ?? "no message").Trim().TrimEnd('.'));
            }
        }
        catch (JsonException)
        {
            // An error page from a proxy or load balancer, not OpenAI's envelope.
        }
        catch (InvalidOperationException)
        {
            // A streamed answer that was not buffered has no content to read.
        }
        return (null, Invariant($"{response.Status} {response.ReasonPhrase}"));
    }

    /// <summary>Retry-After as OpenAI sends it (whole seconds), or an HTTP date; null when absent.</summary>
    private TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? TimeSpan.FromTicks(Math.Max(0, (at - time.GetUtcNow()).Ticks))
            : null;
    }

    /// <summary>Takes the configured key, and anything shaped like a secret key, out of text that came from outside.</summary>
    internal string Redact(string text)
    {
        var key = options.Value.ApiKey;
        if (!string.IsNullOrEmpty(key))
        {
            text = text.Replace(key, "[key]", StringComparison.Ordinal);
        }
        return SecretKeyShape().Replace(text, "[key]");
    }

    [GeneratedRegex(@"sk-[A-Za-z0-9_\-*]{3,}")]
    private static partial Regex SecretKeyShape();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
