using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Auth;

/// <summary>
/// Accepts only Google-signed ID tokens as Cloud Tasks sends them (API_REFERENCE §2 and §5.8): RS256 signed by a key
/// in Google's JWKS, issuer accounts.google.com, audience equal to this service's URL, not expired (with a small
/// skew), and an email that is verified and on the allow-list. A token that fails any check other than the email
/// is 401; a genuine token from another service account is 403.
/// </summary>
public sealed class GoogleOidcAuthenticator(IOptions<GoogleOidcOptions> options, GoogleSigningKeys keys, TimeProvider time) : IInboundAuthenticator
{
    private readonly GoogleOidcOptions settings = options.Value;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public async ValueTask<InboundDecision> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (BearerToken.From(request) is not { } token)
        {
            return InboundDecision.Unauthenticated("no bearer token");
        }

        string? kid;
        try
        {
            kid = handler.ReadJsonWebToken(token).Kid;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return InboundDecision.Unauthenticated("the bearer token is not a JWT");
        }

        var signingKeys = await keys.GetAsync(kid, cancellationToken);
        var now = time.GetUtcNow();
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = settings.Issuers,
            ValidAudience = settings.Audience,
            IssuerSigningKeys = signingKeys,
            // Only RS256: "none" and HMAC tricks (signing with the public key as a secret) are refused.
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = settings.ClockSkew,
            // The library's default reads the wall clock; this reads the injected one.
            LifetimeValidator = (notBefore, expires, _, _) =>
                (notBefore is null || notBefore.Value <= now.UtcDateTime + settings.ClockSkew)
                && expires is not null && expires.Value > now.UtcDateTime - settings.ClockSkew,
        });
        if (!result.IsValid)
        {
            return InboundDecision.Unauthenticated($"invalid token: {result.Exception?.GetType().Name ?? "rejected"}");
        }

        var claims = result.Claims;
        var email = claims.TryGetValue("email", out var emailClaim) ? emailClaim as string : null;
        var verified = claims.TryGetValue("email_verified", out var v) && v is true or "true";
        if (email is null || !verified)
        {
            return InboundDecision.Forbidden("the token has no verified email");
        }

        return settings.AllowedServiceAccounts.Contains(email, StringComparer.OrdinalIgnoreCase)
            ? InboundDecision.Trusted
            : InboundDecision.Forbidden($"{email} is not an allowed caller");
    }
}

/// <summary>
/// Google's signing keys, fetched from the JWKS URI and kept for <see cref="GoogleOidcOptions.KeyCacheDuration"/>.
/// A token naming a key id the cache does not have triggers one refetch (Google rotated its keys), at most every
/// 30 seconds, so a stream of forged kids cannot make this service hammer Google.
/// </summary>
public sealed class GoogleSigningKeys(HttpClient http, IOptions<GoogleOidcOptions> options, TimeProvider time)
{
    private static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(30);
    private readonly GoogleOidcOptions settings = options.Value;
    private readonly SemaphoreSlim gate = new(1, 1);
    private IReadOnlyList<SecurityKey> cached = [];
    private DateTimeOffset fetchedAt = DateTimeOffset.MinValue;

    public async Task<IReadOnlyList<SecurityKey>> GetAsync(string? kid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = now - fetchedAt > settings.KeyCacheDuration;
        var unknown = kid is not null && cached.All(k => k.KeyId != kid) && now - fetchedAt > MinRefetchInterval;
        if (!stale && !unknown)
        {
            return cached;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - fetchedAt > MinRefetchInterval || cached.Count == 0)
            {
                var json = await http.GetStringAsync(new Uri(settings.JwksUri), cancellationToken);
                cached = [.. new JsonWebKeySet(json).GetSigningKeys()];
                fetchedAt = time.GetUtcNow();
            }

            return cached;
        }
        catch (HttpRequestException) when (cached.Count > 0)
        {
            // Google unreachable: keep using the keys we have rather than refusing every task.
            return cached;
        }
        finally
        {
            gate.Release();
        }
    }
}
