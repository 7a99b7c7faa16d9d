using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ViralForge.Functions.Auth;

namespace ViralForge.Bot.Teams;

/// <summary>A Bot Framework signing key and the channels it is endorsed for (its JWKS entry's "endorsements").</summary>
public sealed record EndorsedKey(SecurityKey Key, IReadOnlyList<string> Endorsements);

/// <summary>
/// Bot Framework's token signing keys: the OpenID metadata names the key set (jwks_uri), and the key set's raw JSON
/// gives each key's endorsements, which the IdentityModel key classes drop. Keys are kept for
/// <see cref="TeamsOptions.KeyCacheDuration"/> (Microsoft rolls them rarely; its SDK keeps them for days). A token
/// naming an unknown key id triggers a refetch, at most every <see cref="MinRefetchInterval"/> whatever asks, so forged
/// key ids cannot make the bot hammer Microsoft; a failed fetch keeps the keys fetched before.
/// </summary>
public sealed class BotFrameworkSigningKeys(HttpClient http, IOptions<TeamsOptions> options, TimeProvider time, ILogger<BotFrameworkSigningKeys> log)
{
    /// <summary>The least time between two fetches.</summary>
    public static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(30);

    private readonly TeamsOptions settings = options.Value;
    private KeySetCache<IReadOnlyDictionary<string, EndorsedKey>>? cache;

    /// <summary>
    /// The keys by key id, refetched first when expired or lacking <paramref name="kid"/>; null only when no fetch has
    /// ever succeeded.
    /// </summary>
    public Task<IReadOnlyDictionary<string, EndorsedKey>?> GetAsync(string? kid, CancellationToken cancellationToken)
    {
        // Made on first use (a field initializer cannot name FetchAsync); a second one made by a racing first request is dropped unused.
        var keys = LazyInitializer.EnsureInitialized(ref cache, () => new KeySetCache<IReadOnlyDictionary<string, EndorsedKey>>(time, MinRefetchInterval, (keys, id) => keys.ContainsKey(id), FetchAsync));
        return keys.GetAsync(kid, cancellationToken);
    }

    private async Task<(IReadOnlyDictionary<string, EndorsedKey> Keys, TimeSpan Lifetime)?> FetchAsync(bool havePrevious, CancellationToken cancellationToken)
    {
        var from = settings.OpenIdMetadataUrl.AbsoluteUri;
        try
        {
            var metadata = await GetJsonAsync(settings.OpenIdMetadataUrl, cancellationToken);
            var jwksUri = JsonSerializer.Deserialize(metadata, TeamsJson.Default.OpenIdMetadata)?.JwksUri;
            if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var jwks) || jwks.Scheme is not ("https" or "http"))
            {
                throw new InvalidDataException($"the OpenID metadata has no usable jwks_uri ('{jwksUri}')");
            }
            from = jwks.AbsoluteUri;
            var json = await GetJsonAsync(jwks, cancellationToken);
            var keys = Parse(json);
            if (keys.Count == 0)
            {
                throw new InvalidDataException("the key set holds no RSA signing key with a kid");
            }
            log.TeamsKeysFetched(keys.Count, string.Join(", ", keys.Keys), from, settings.KeyCacheDuration);
            return (keys, settings.KeyCacheDuration);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // HttpRequestException, a timeout, a document that is not what it should be.
            log.TeamsKeysFetchFailed(from, e.GetType().Name, e.Message,
                !havePrevious ? "Teams requests are refused until a fetch succeeds" : "using the keys fetched before");
            return null;
        }
    }

    private async Task<string> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Every RSA key with a kid, with its endorsements (none listed: endorsed for nothing).</summary>
    internal static Dictionary<string, EndorsedKey> Parse(string json)
    {
        var set = new JsonWebKeySet(json);
        var signing = set.GetSigningKeys().Where(k => !string.IsNullOrEmpty(k.KeyId)).GroupBy(k => k.KeyId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var endorsements = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object || !key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                var list = new List<string>();
                if (key.TryGetProperty("endorsements", out var e) && e.ValueKind == JsonValueKind.Array)
                {
                    list.AddRange(e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
                }
                endorsements.TryAdd(kid.GetString()!, list);
            }
        }

        return signing.ToDictionary(
            p => p.Key,
            p => new EndorsedKey(p.Value, endorsements.TryGetValue(p.Key, out var list) ? list : []),
            StringComparer.Ordinal);
    }
}
