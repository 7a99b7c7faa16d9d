namespace ViralForge.Functions.Auth;

/// <summary>Registers an issuer's signing keys (a class over <see cref="KeySetCache{TKeys}"/>) with the HttpClient that fetches them.</summary>
public static class SigningKeysServiceCollectionExtensions
{
    /// <summary>
    /// <typeparamref name="TSigningKeys"/> as one singleton for the process, made with the named HttpClient
    /// <paramref name="httpClientName"/> and its other constructor arguments from the container. The fetches are GETs of
    /// public documents, so safe to retry: twice, 200 ms apart, each attempt within <paramref name="attemptTimeout"/> and
    /// the whole within <paramref name="totalTimeout"/>, short enough for the request waiting on them; when they still
    /// fail the cache keeps the keys fetched before.
    /// </summary>
    public static IServiceCollection AddSigningKeys<TSigningKeys>(this IServiceCollection services, string httpClientName, TimeSpan attemptTimeout, TimeSpan totalTimeout)
        where TSigningKeys : class
    {
        services.AddHttpClient(httpClientName).AddStandardResilienceHandler(resilience =>
        {
            resilience.Retry.MaxRetryAttempts = 2;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
            resilience.AttemptTimeout.Timeout = attemptTimeout;
            resilience.TotalRequestTimeout.Timeout = totalTimeout;
        });
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TSigningKeys>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName)));
        return services;
    }
}
