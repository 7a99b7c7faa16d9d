using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ViralForge.Bot;

/// <summary>The one resilience pipeline of the chat surfaces' clients (Slack's Web API, Teams' Connector); what each may retry stays its own.</summary>
internal static class ChatResilience
{
    /// <summary>The retry and timeout settings a chat surface's options carry.</summary>
    internal readonly record struct Settings(int MaxRetryAttempts, TimeSpan RetryBaseDelay, TimeSpan AttemptTimeout);

    /// <summary>
    /// No HttpClient timeout (each attempt has its own, so HttpClient's 100 s cannot cut across the retries); retries of
    /// what <paramref name="retryable"/> allows (given the outcome and the request sent) with exponential backoff and
    /// jitter, or the wait a 429's Retry-After asks for when it gives one; and the attempt timeout. The settings are read
    /// from <typeparamref name="TOptions"/> when the pipeline is built; no retries at all when they allow 0.
    /// </summary>
    public static IHttpClientBuilder AddChatResilience<TOptions>(this IHttpClientBuilder http, string pipelineName,
        Func<TOptions, Settings> settings, Func<Outcome<HttpResponseMessage>, HttpRequestMessage?, bool> retryable)
        where TOptions : class
    {
        http.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.AddResilienceHandler(pipelineName, (pipeline, context) =>
        {
            var o = settings(context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value);
            if (o.MaxRetryAttempts > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(retryable(args.Outcome, args.Context.GetRequestMessage())),
                });
            }
            pipeline.AddTimeout(o.AttemptTimeout);
        });
        return http;
    }
}
