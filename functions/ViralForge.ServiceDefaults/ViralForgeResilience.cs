using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ViralForge.ServiceDefaults;

/// <summary>
/// The resilience every outside API client shares (Google's REST clients, Slack's Web API, Teams' Connector): an
/// exponential retry of only what that client says is safe to repeat, then a timeout per attempt. What is safe stays
/// each client's own: jobs:run and chat.postMessage must not be repeated blindly.
/// </summary>
public static class ViralForgeResilience
{
    /// <summary>
    /// Exponential backoff with jitter for <paramref name="maxAttempts"/> retries, or the wait a 429's Retry-After asks for;
    /// none when that is 0. <paramref name="shouldHandle"/> null keeps the transient-fault default (408, 429, 5xx, a lost connection, a timeout).
    /// </summary>
    public static HttpRetryStrategyOptions? ExponentialRetry(
        int maxAttempts, TimeSpan baseDelay, Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>>? shouldHandle = null)
    {
        if (maxAttempts <= 0)
        {
            return null;
        }

        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = maxAttempts,
            Delay = baseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
        };
        if (shouldHandle is not null)
        {
            retry.ShouldHandle = shouldHandle;
        }
        return retry;
    }

    /// <summary>
    /// No HttpClient timeout (each attempt has its own, so HttpClient's 100 s cannot cut across the retries); the retry
    /// <paramref name="retry"/> gives, when it gives one; then the attempt timeout. Both are read from
    /// <typeparamref name="TOptions"/> when the pipeline is built, so the client's validated settings decide them.
    /// </summary>
    public static IHttpClientBuilder AddRetryAndAttemptTimeout<TOptions>(
        this IHttpClientBuilder http, string pipelineName, Func<TOptions, HttpRetryStrategyOptions?> retry, Func<TOptions, TimeSpan> attemptTimeout)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(http);
        http.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.AddResilienceHandler(pipelineName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            if (retry(options) is { } retryOptions)
            {
                pipeline.AddRetry(retryOptions);
            }
            pipeline.AddTimeout(attemptTimeout(options));
        });
        return http;
    }
}
