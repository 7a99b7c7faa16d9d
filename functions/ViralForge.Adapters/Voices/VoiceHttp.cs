using System.Globalization;
using System.Net;

namespace ViralForge.Adapters.Voices;

/// <summary>
/// Sends a paid voice call, repeating it only when the vendor says it was not done: 429 (over a rate or concurrency
/// limit) and 5xx (the vendor failed; neither OpenAI nor ElevenLabs bills a failed request). Waits what Retry-After
/// (or ElevenLabs' retry-after-ms) asks, and gives the response back unrepeated when that is longer than
/// the longest wait allowed or the retries are spent, so the caller fails the attempt and the queue comes back later
/// instead of a delivery sleeping for hours (openai-dotnet #404). <c>isFinal</c> reads a refused body and says when
/// waiting cannot help.
/// </summary>
public static class VoiceHttp
{
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, Func<HttpRequestMessage> request, int maxRetries, TimeSpan baseDelay, TimeSpan maxWait, string vendor, CancellationToken cancellationToken,
        Func<string, bool>? isFinal = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var message = request();
                response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's timeout: transient (the next delivery may be answered in time), and not repeated here
                // because a call that timed out may have been spoken and billed; the ledger only knows answered calls.
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{vendor} did not answer within {http.Timeout.TotalSeconds:0.###} s."), e);
            }
            var status = (int)response.StatusCode;
            if ((status != 429 && status < 500) || attempt >= maxRetries)
            {
                return response;
            }
            // A 429 that needs the account's owner (OpenAI's insufficient_quota) answers the same however long we wait.
            if (isFinal is not null && isFinal(await response.Content.ReadAsStringAsync(cancellationToken)))
            {
                return response;
            }
            var wait = RetryAfter(response) ?? baseDelay * Math.Pow(2, attempt);
            if (wait > maxWait)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>What the response asks to wait: retry-after-ms, then Retry-After as seconds or a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        return retryAfter?.Date is { } date ? date - TimeProvider.System.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero : null;
    }

    /// <summary>
    /// The transient failure for a 429 or 5xx the retries did not get past: with the vendor's Retry-After, a
    /// <see cref="Core.Stages.TransientStageException"/> that hands that wait to the queue (rather than a retry on the
    /// queue's own backoff, inside the vendor's wait); without one, an <see cref="HttpRequestException"/> with the status.
    /// </summary>
    public static Exception Transient(string message, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return RetryAfter(response) is { } wait
            ? new Core.Stages.TransientStageException(message, wait)
            : new HttpRequestException(message, null, response.StatusCode);
    }

    /// <summary>Whether the status says the request itself was wrong and sending it again cannot help.</summary>
    public static bool IsClientError(HttpStatusCode status) => (int)status is >= 400 and < 500 and not 408 and not 429;
}
