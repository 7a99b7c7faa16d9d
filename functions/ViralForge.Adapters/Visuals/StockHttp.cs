using System.Globalization;
using System.Net;

namespace ViralForge.Adapters.Visuals;

/// <summary>
/// A stock site that cannot answer now (its rate limit is spent, a Cloudflare challenge, an outage): the router tries
/// the next site, and when none answered, the stage fails this attempt and the queue delivers it again later.
/// </summary>
public sealed class StockSourceUnavailableException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>When the site said it would answer again, if it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Sends a stock search, repeating it when the site says it was not done (429, 5xx): a search is free and changes
/// nothing, so repeating is safe. Waits what Retry-After or X-Ratelimit-Reset asks when that is short; a longer wait
/// gives the response back so the caller reports the site unavailable and the router moves on.
/// </summary>
public static class StockHttp
{
    /// <summary><paramref name="budget"/> holds the site's limit; <paramref name="isFinal"/> says a response must not be repeated (a Cloudflare challenge answers the same again).</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, Func<HttpRequestMessage> request, StockRetry retry, string vendor, TimeProvider time, CancellationToken cancellationToken,
        RequestBudget? budget = null, Func<HttpResponseMessage, bool>? isFinal = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(retry);
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            if (budget is not null)
            {
                // Every request counts against the site's limit, repeats included.
                await budget.TakeAsync(retry.MaxWait, cancellationToken);
            }
            try
            {
                using var message = request();
                response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout, not the caller's cancellation: transient, the next delivery may be answered.
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{vendor} did not answer within {http.Timeout.TotalSeconds:0.###} s."), e);
            }
            if (budget is not null && SaysNoneLeft(response) && WaitAsked(response, time) is { } reset)
            {
                // Other processes (more Cloud Run instances) spend the same key: the site's own count is the truth.
                budget.HoldFor(reset);
            }
            var status = (int)response.StatusCode;
            if ((status != 429 && status < 500) || attempt >= retry.MaxRetries || (isFinal is not null && isFinal(response)))
            {
                return response;
            }
            var wait = WaitAsked(response, time) ?? retry.BaseDelay * Math.Pow(2, attempt);
            if (wait > retry.MaxWait)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>
    /// What the response asks to wait: Retry-After (seconds or a date), else X-Ratelimit-Reset, which Pixabay documents
    /// as seconds left and Pexels as a UNIX time (its .NET SDK reads epoch milliseconds), so the size of the number says which.
    /// </summary>
    public static TimeSpan? WaitAsked(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            return Positive(date - time.GetUtcNow());
        }
        if (!response.Headers.TryGetValues("X-Ratelimit-Reset", out var values)
            || !double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var reset) || reset < 0)
        {
            return null;
        }
        return reset switch
        {
            > 1e12 => Positive(DateTimeOffset.FromUnixTimeMilliseconds((long)reset) - time.GetUtcNow()),
            > 1e9 => Positive(DateTimeOffset.FromUnixTimeSeconds((long)reset) - time.GetUtcNow()),
            _ => TimeSpan.FromSeconds(reset),
        };
    }

    /// <summary>Whether X-Ratelimit-Remaining says no request is left in the site's window.</summary>
    public static bool SaysNoneLeft(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("X-Ratelimit-Remaining", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left) && left <= 0;
    }

    /// <summary>A short text of a body for an error message: one line, at most 200 characters.</summary>
    public static string Excerpt(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var line = string.Join(' ', body.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    /// <summary>Whether the status says the request itself was wrong (so another try cannot help).</summary>
    public static bool IsClientError(HttpStatusCode status) => (int)status is >= 400 and < 500 and not 408 and not 429;

    private static TimeSpan Positive(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.Zero;
}

/// <summary>How a stock client repeats a refused search.</summary>
public sealed record StockRetry(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxWait);

/// <summary>
/// A site's request limit held for the whole process (Pexels 200 an hour, Pixabay 100 a minute): a sliding window of
/// the requests sent. A request over it waits for a slot when that is short, and otherwise is refused at once with
/// <see cref="StockSourceUnavailableException"/>, so no delivery sleeps an hour and the site is never asked more than it allows.
/// </summary>
public sealed class RequestBudget(string vendor, int requests, TimeSpan window, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> sent = new();
    private readonly Lock gate = new();
    private DateTimeOffset heldUntil = DateTimeOffset.MinValue;

    /// <summary>Sends nothing for <paramref name="wait"/>: the site said the key has no request left until then.</summary>
    public void HoldFor(TimeSpan wait)
    {
        lock (gate)
        {
            var until = time.GetUtcNow() + wait;
            heldUntil = until > heldUntil ? until : heldUntil;
        }
    }

    /// <summary>Requests sent within the current window (tests read it).</summary>
    public int Used
    {
        get
        {
            lock (gate)
            {
                Forget(time.GetUtcNow());
                return sent.Count;
            }
        }
    }

    /// <summary>Takes a slot, waiting up to <paramref name="maxWait"/> for one.</summary>
    public async Task TakeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow();
                Forget(now);
                if (heldUntil > now)
                {
                    wait = heldUntil - now;
                }
                else if (sent.Count < requests)
                {
                    sent.Enqueue(now);
                    return;
                }
                else
                {
                    wait = sent.Peek() + window - now;
                }
            }
            if (wait > maxWait)
            {
                throw new StockSourceUnavailableException(
                    string.Create(CultureInfo.InvariantCulture, $"The {vendor} limit of {requests} requests in {Describe(window)} is spent; the next is free in {Math.Ceiling(wait.TotalSeconds)} s."),
                    wait);
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (sent.Count > 0 && sent.Peek() + window <= now)
        {
            sent.Dequeue();
        }
    }

    private static string Describe(TimeSpan span) =>
        span == TimeSpan.FromHours(1) ? "an hour" : span == TimeSpan.FromMinutes(1) ? "a minute" : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds} s");
}
