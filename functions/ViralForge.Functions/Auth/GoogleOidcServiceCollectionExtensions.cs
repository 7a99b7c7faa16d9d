using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>Registers Cloud Tasks OIDC checks for every endpoint.</summary>
public static class GoogleOidcServiceCollectionExtensions
{
    /// <summary>Settings from Google:Auth (validated at start-up), Google's keys over a resilient HttpClient, and the authenticator.</summary>
    public static IServiceCollection AddGoogleOidcAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GoogleOidcOptions>().Bind(configuration.GetSection(GoogleOidcOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleOidcOptions>, GoogleOidcOptionsValidator>());
        services.AddHttpClient<GoogleSigningKeys>().AddStandardResilienceHandler();
        // One key cache for the process: the typed client above is transient by default.
        services.AddSingleton(sp => new GoogleSigningKeys(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(typeof(GoogleSigningKeys).Name),
            sp.GetRequiredService<IOptions<GoogleOidcOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInboundAuthenticator, GoogleOidcAuthenticator>();
        return services;
    }
}
