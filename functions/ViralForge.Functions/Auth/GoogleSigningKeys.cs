using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Auth;

/// <summary>
/// Google's token signing keys, fetched from <see cref="GoogleIdTokenOptions.JwksUri"/> and shared by every request
/// and every kind of token (Cloud Tasks', the add-on's). Keys are kept for <see cref="GoogleIdTokenOptions.KeyCacheDuration"/>, or less when Google's Cache-Control max-age
/// says so; a token naming a key id the cache lacks triggers a refetch (Google published a new key). Fetches are at
/// least <see cref="MinRefetchInterval"/> apart whatever asks for them, so neither a stream of forged key ids nor an
/// outage at Google makes this service hammer Google or make each task wait out the HTTP retries.
/// </summary>
public sealed class GoogleSigningKeys(HttpClient http, IOptions<GoogleIdTokenOptions> options, TimeProvider time, ILogger<GoogleSigningKeys> log)
{
    /// <summary>The least time between two fetches.</summary>
    public static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(30);

    private readonly GoogleIdTokenOptions settings = options.Value;
    private KeySetCache<IReadOnlyList<SecurityKey>>? cache;

    /// <summary>
    /// The keys to check a token with, refetched first when they have expired or lack <paramref name="kid"/>. When a
    /// fetch fails the keys fetched before are used (Google keeps a retired key valid for a while); null only when no
    /// fetch has ever succeeded, which the caller answers with 503 so that Cloud Tasks tries again later.
    /// </summary>
    public Task<IReadOnlyList<SecurityKey>?> GetAsync(string? kid, CancellationToken cancellationToken)
    {
        // Made on first use (a field initializer cannot name FetchAsync); a second one made by a racing first request is dropped unused.
        var keys = LazyInitializer.EnsureInitialized(ref cache, () => new KeySetCache<IReadOnlyList<SecurityKey>>(time, MinRefetchInterval, (keys, id) => keys.Any(k => k.KeyId == id), FetchAsync));
        return keys.GetAsync(kid, cancellationToken);
    }

    /// <summary>The fetched keys, or null when the fetch failed (logged, never thrown: the caller decides with what it has).</summary>
    private async Task<(IReadOnlyList<SecurityKey> Keys, TimeSpan Lifetime)?> FetchAsync(bool havePrevious, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(settings.JwksUri), cancellationToken);
            response.EnsureSuccessStatusCode();
            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            var keys = new JsonWebKeySet(json).GetSigningKeys()
                .Where(k => !string.IsNullOrEmpty(k.KeyId))
                .ToList();
            if (keys.Count == 0)
            {
                throw new InvalidDataException("the key set holds no signing key with a kid");
            }

            var maxAge = response.Headers.CacheControl?.MaxAge;
            var lifetime = maxAge is { } age && age < settings.KeyCacheDuration ? age : settings.KeyCacheDuration;
            log.SigningKeysFetched(keys.Count, string.Join(", ", keys.Select(k => k.KeyId)), settings.JwksUri, lifetime);
            return (keys, lifetime);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // HttpRequestException, the resilience handler's timeout or open circuit, a body that is not a key set.
            log.SigningKeysFetchFailed(settings.JwksUri, e.GetType().Name, e.Message,
                !havePrevious ? "tokens are answered 503 until a fetch succeeds" : "using the keys fetched before");
            return null;
        }
    }
}
