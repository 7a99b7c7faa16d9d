using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace ViralForge.Bot.Slack;

/// <summary>Slack refused a call, or answered something that is not its API: names the method and Slack's error code.</summary>
public sealed class SlackApiException(string method, string error, HttpStatusCode? status, string message, Exception? inner = null, TimeSpan? retryAfter = null)
    : Exception(message, inner)
{
    /// <summary>With a 429: how long Slack asked to wait before calling the method again.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>chat.postMessage, chat.update, views.open, users.info or response_url.</summary>
    public string Method { get; } = method;

    /// <summary>Slack's error code (channel_not_found, invalid_blocks, ratelimited…), or http_&lt;status&gt; / malformed_response.</summary>
    public string Error { get; } = error;

    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// The Slack Web API methods the review bot uses, as a typed HttpClient: JSON bodies with the bot token, Slack's
/// "HTTP 200 with ok:false" errors turned into <see cref="SlackApiException"/>.
/// </summary>
/// <remarks>
/// What the resilience handler repeats (<see cref="ShouldRetry"/>): a 429 always, after its Retry-After, because Slack
/// did not process a rate-limited call; a call that never reached Slack (no connection) always. A 5xx or a timeout
/// only for chat.update and views.open: updating a message to the same content twice, or asking for the same modal
/// with one trigger_id, leaves one result. chat.postMessage and response_url posts are not idempotent (Slack has no
/// idempotency key), so a 5xx or timeout there may hide a message that was posted: repeating it could show the card
/// twice. Those fail to the caller instead, whose own retry (the review stage's task) is the place to decide.
/// </remarks>
public sealed class SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options)
{
    /// <summary>Marks a request the resilience handler may repeat after a 5xx or a timeout.</summary>
    internal static readonly HttpRequestOptionsKey<bool> Repeatable = new("ViralForge.Slack.Repeatable");

    /// <summary>Marks a request the resilience handler never repeats, not even after a 429 (users.info).</summary>
    internal static readonly HttpRequestOptionsKey<bool> Once = new("ViralForge.Slack.Once");

    public Task<SlackApiResponse> PostMessageAsync(SlackPostMessage message, CancellationToken cancellationToken) =>
        CallAsync("chat.postMessage", message, SlackJson.Default.SlackPostMessage, repeatable: false, cancellationToken);

    public Task<SlackApiResponse> UpdateMessageAsync(SlackUpdateMessage message, CancellationToken cancellationToken) =>
        CallAsync("chat.update", message, SlackJson.Default.SlackUpdateMessage, repeatable: true, cancellationToken);

    public Task<SlackApiResponse> OpenViewAsync(SlackOpenView view, CancellationToken cancellationToken) =>
        CallAsync("views.open", view, SlackJson.Default.SlackOpenView, repeatable: true, cancellationToken);

    /// <summary>
    /// users.info (scope users:read): who a user id is. Sent once, never repeated: the name only decorates a decision
    /// that is being made while Slack waits for our answer, so a caller falls back to the payload's name rather than wait
    /// for a retry (<see cref="SlackUserNames"/>).
    /// </summary>
    public async Task<SlackUserInfo> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        const string method = "users.info";
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{method}?user={Uri.EscapeDataString(userId)}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.BotToken
            ?? throw new InvalidOperationException("Slack:BotToken is not set, so Slack is off; nothing should call the Slack Web API."));
        request.Options.Set(Once, true);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"Slack did not answer {method} within Slack:RequestTimeout ({o.RequestTimeout.TotalSeconds:0.###} s).", ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw HttpError(method, response, text);
            }
            SlackUserInfoResponse parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(text, SlackJson.Default.SlackUserInfoResponse) ?? throw new JsonException("The body is JSON null.");
            }
            catch (JsonException ex)
            {
                throw new SlackApiException(method, "malformed_response", response.StatusCode,
                    $"Slack answered {method} with HTTP {(int)response.StatusCode} but a body that is not Slack's JSON ({ex.Message}): {Snippet(text)}", ex);
            }
            if (!parsed.Ok)
            {
                var error = string.IsNullOrEmpty(parsed.Error) ? "unknown_error" : parsed.Error;
                var needed = parsed.Needed is { Length: > 0 } scope ? $" (the app needs the {scope} scope)" : "";
                throw new SlackApiException(method, error, response.StatusCode, $"Slack refused {method}: {error}{needed}.");
            }
            return parsed.User ?? throw new SlackApiException(method, "malformed_response", response.StatusCode, $"Slack answered {method} ok without a user.");
        }
    }

    /// <summary>
    /// Posts to an interaction's response_url. It needs no token, and gets none: the URL is Slack's own capability, and
    /// the bot token is not sent to any address but the configured API.
    /// </summary>
    public async Task RespondAsync(Uri responseUrl, SlackResponseMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        if (!responseUrl.IsAbsoluteUri || (responseUrl.Scheme != Uri.UriSchemeHttps && responseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"response_url '{responseUrl}' is not an absolute http(s) URL.", nameof(responseUrl));
        }
        using var response = await SendAsync("response_url", responseUrl, message, SlackJson.Default.SlackResponseMessage, bearer: false, repeatable: false, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw HttpError("response_url", response, body);
        }
        // Slack answers {"ok":true} or plain "ok"; only an explicit ok:false is an error.
        if (body.TrimStart().StartsWith('{'))
        {
            var parsed = Parse("response_url", response.StatusCode, body);
            if (!parsed.Ok)
            {
                throw Refused("response_url", parsed);
            }
        }
    }

    /// <summary>The resilience handler's retry rule (see the remarks on this class).</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        if (request is not null && request.Options.TryGetValue(Once, out var once) && once)
        {
            return false;
        }
        if (outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            return true;
        }
        var repeatable = request is not null && request.Options.TryGetValue(Repeatable, out var r) && r;
        return repeatable && HttpClientResiliencePredicates.IsTransient(outcome);
    }

    private async Task<SlackApiResponse> CallAsync<T>(string method, T body, JsonTypeInfo<T> type, bool repeatable, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, new Uri(method, UriKind.Relative), body, type, bearer: true, repeatable, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw HttpError(method, response, text);
        }
        var parsed = Parse(method, response.StatusCode, text);
        return parsed.Ok ? parsed : throw Refused(method, parsed);
    }

    private async Task<HttpResponseMessage> SendAsync<T>(
        string method, Uri url, T body, JsonTypeInfo<T> type, bool bearer, bool repeatable, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.BotToken
                ?? throw new InvalidOperationException("Slack:BotToken is not set, so Slack is off; nothing should call the Slack Web API."));
        }
        request.Options.Set(Repeatable, repeatable);
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            var attempts = repeatable ? o.MaxRetryAttempts + 1 : 1;
            throw new TimeoutException(
                $"Slack did not answer {method} within Slack:RequestTimeout ({o.RequestTimeout.TotalSeconds:0.###} s) in {attempts} attempt(s).", ex);
        }
    }

    private static SlackApiResponse Parse(string method, HttpStatusCode status, string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, SlackJson.Default.SlackApiResponse)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new SlackApiException(method, "malformed_response", status,
                $"Slack answered {method} with HTTP {(int)status} but a body that is not Slack's JSON ({ex.Message}): {Snippet(body)}", ex);
        }
    }

    private static SlackApiException Refused(string method, SlackApiResponse response)
    {
        var error = string.IsNullOrEmpty(response.Error) ? "unknown_error" : response.Error;
        var detail = response.ResponseMetadata?.Messages is { Count: > 0 } messages ? $" ({string.Join("; ", messages)})" : "";
        return new SlackApiException(method, error, HttpStatusCode.OK, $"Slack refused {method}: {error}{detail}.");
    }

    private static SlackApiException HttpError(string method, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var delta = response.Headers.RetryAfter?.Delta;
            var after = delta is { } d ? $" (Retry-After {d.TotalSeconds:0} s)" : "";
            return new SlackApiException(method, "ratelimited", response.StatusCode, $"Slack rate-limited {method} with HTTP 429{after} after every retry.", retryAfter: delta);
        }
        return new SlackApiException(method, $"http_{status}", response.StatusCode, $"Slack answered {method} with HTTP {status}: {Snippet(body)}");
    }

    private static string Snippet(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
