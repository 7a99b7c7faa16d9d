using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using ViralForge.ServiceDefaults;

namespace ViralForge.Adapters.Google;

/// <summary>What every Google REST client's registration shares, so each Add… method says only what is its own.</summary>
internal static class GoogleApiRegistration
{
    /// <summary>
    /// The client's settings from their section, validated at start-up; the clock; Application Default Credentials
    /// unless an <see cref="IGoogleAccessTokenSource"/> is already registered; and the bearer-token handler.
    /// </summary>
    public static void AddGoogleApiBasics<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(sectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGoogleAccessTokenSource, ApplicationDefaultTokenSource>();
        services.TryAddTransient<GoogleAuthHandler>();
    }

    /// <summary>
    /// The client's base address; no HttpClient timeout, because the pipeline times each attempt and HttpClient's own
    /// 100 s would cut across the retries; the retry (when <paramref name="retry"/> gives one) and the attempt timeout;
    /// and the bearer token inside them, so every attempt asks for a current token.
    /// </summary>
    public static IHttpClientBuilder AddGoogleResilience<TOptions>(
        this IHttpClientBuilder http,
        Func<TOptions, Uri> baseAddress,
        Func<TOptions, HttpRetryStrategyOptions?> retry,
        Func<TOptions, TimeSpan> attemptTimeout)
        where TOptions : class
    {
        http.ConfigureHttpClient((provider, client) => client.BaseAddress = baseAddress(provider.GetRequiredService<IOptions<TOptions>>().Value));
        http.AddRetryAndAttemptTimeout(http.Name, retry, attemptTimeout);
        return http.AddHttpMessageHandler<GoogleAuthHandler>();
    }
}
