using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>Registers Google ID token checks: the shared key cache and validator, and Cloud Tasks OIDC checks for every endpoint.</summary>
public static class GoogleOidcServiceCollectionExtensions
{
    /// <summary>The HttpClient that fetches Google's key set.</summary>
    public const string JwksHttpClientName = "google-jwks";

    /// <summary>Settings from Google:Auth (validated at start-up), Google's keys over a resilient HttpClient, and the authenticator.</summary>
    public static IServiceCollection AddGoogleOidcAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGoogleIdTokens(configuration);
        services.AddOptions<GoogleOidcOptions>().Bind(configuration.GetSection(GoogleOidcOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleOidcOptions>, GoogleOidcOptionsValidator>());
        services.AddSingleton<IInboundAuthenticator, GoogleOidcAuthenticator>();
        return services;
    }

    /// <summary>
    /// What every Google ID token check shares, once per process whoever asks: the key and token settings of Google:Auth
    /// (validated at start-up; all have defaults), Google's keys over a resilient HttpClient, and <see cref="GoogleIdTokenValidator"/>.
    /// </summary>
    public static IServiceCollection AddGoogleIdTokens(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(GoogleSigningKeys)))
        {
            return services;
        }
        services.AddOptions<GoogleIdTokenOptions>().Bind(configuration.GetSection(GoogleIdTokenOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleIdTokenOptions>, GoogleIdTokenOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // One key cache for the process. A task waits for the fetch, so the whole of it stays well inside Cloud Tasks'
        // dispatch deadline; when it still fails the keys fetched before are used, or 503.
        services.AddSigningKeys<GoogleSigningKeys>(JwksHttpClientName, attemptTimeout: TimeSpan.FromSeconds(5), totalTimeout: TimeSpan.FromSeconds(15));
        services.AddSingleton<GoogleIdTokenValidator>();
        return services;
    }
}
