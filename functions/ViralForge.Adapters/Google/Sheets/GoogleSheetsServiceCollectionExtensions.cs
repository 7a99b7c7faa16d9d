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
        services.AddOptions<GoogleSheetsOptions>()
            .Bind(configuration.GetSection(GoogleSheetsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleSheetsOptions>, GoogleSheetsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGoogleAccessTokenSource, ApplicationDefaultTokenSource>();
        services.TryAddTransient<GoogleAuthHandler>();

        var http = services.AddHttpClient<SheetsClient>((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<GoogleSheetsOptions>>().Value;
                client.BaseAddress = new Uri(options.BaseAddress.EndsWith('/') ? options.BaseAddress : options.BaseAddress + "/");
                // Each attempt has its own timeout in the pipeline; HttpClient's would cut across the retries.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The registry keeps one client for the life of the process, so connections are recycled here instead
            // of by handler rotation, and DNS changes are still picked up.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        http.AddResilienceHandler("google-sheets", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<GoogleSheetsOptions>>().Value;
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(RetryOptions(options));
            }
            pipeline.AddTimeout(options.Timeout);
        });
        // After the retry handler, so that every attempt asks for the token and gets a refreshed one when it expired.
        http.AddHttpMessageHandler<GoogleAuthHandler>();

        services.TryAddSingleton(provider => new SheetsWriteLimiter(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<GoogleSheetsOptions>>().Value.MaxWritesPerMinute));
        services.AddSingleton<ISheetRegistry, GoogleSheetRegistry>();
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
