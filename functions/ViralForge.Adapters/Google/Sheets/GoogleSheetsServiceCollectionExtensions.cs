using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Google.Sheets;

/// <summary>Registers the Google Sheets adapter behind <see cref="ISheetRegistry"/>.</summary>
public static class GoogleSheetsServiceCollectionExtensions
{
    /// <summary>
    /// Options ("Google:Sheets", validated at start-up), the <see cref="SheetsClient"/> with the bearer token and
    /// retries, one <see cref="SheetsWriteLimiter"/> for the process, and <see cref="GoogleSheetRegistry"/> as the
    /// <see cref="ISheetRegistry"/>. Application Default Credentials supply the token unless an
    /// <see cref="IGoogleAccessTokenSource"/> is registered first.
    /// </summary>
    public static IServiceCollection AddGoogleSheets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGoogleApiBasics<GoogleSheetsOptions, GoogleSheetsOptionsValidator>(configuration, GoogleSheetsOptions.SectionName);
        services.AddHttpClient<SheetsClient>()
            // The registry keeps one client for the life of the process, so connections are recycled here instead
            // of by handler rotation, and DNS changes are still picked up.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddGoogleResilience<GoogleSheetsOptions>(
                o => new Uri(o.BaseAddress.EndsWith('/') ? o.BaseAddress : o.BaseAddress + "/"),
                o => o.MaxRetries > 0 ? RetryOptions(o) : null,
                o => o.Timeout);

        services.TryAddSingleton(provider => new SheetsWriteLimiter(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<GoogleSheetsOptions>>().Value.MaxWritesPerMinute));
        services.TryAddSingleton<ISheetRegistry, GoogleSheetRegistry>();
        return services;
    }

    /// <summary>
    /// Retries 408, 429, 5xx, network errors and attempt timeouts, with exponential backoff and jitter, waiting
    /// as long as a Retry-After header asks. 400, 403 and 404 are final. A request marked
    /// <see cref="SheetsClient.NotIdempotent"/> is retried only after a 429, which Google answers before doing anything.
    /// </summary>
    private static HttpRetryStrategyOptions RetryOptions(GoogleSheetsOptions options)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            ShouldRetryAfterHeader = true,
        };
        var transient = retry.ShouldHandle;
        retry.ShouldHandle = args =>
            args.Context.GetRequestMessage()?.Options.TryGetValue(SheetsClient.NotIdempotent, out var unsafeToRepeat) == true && unsafeToRepeat
                ? ValueTask.FromResult(args.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                : transient(args);
        return retry;
    }
}
