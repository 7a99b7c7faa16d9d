using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Auth;

/// <summary>
/// Accepts only Google-signed ID tokens as Cloud Tasks sends them (API_REFERENCE §2 and §5.8): RS256 signed by a key
/// in Google's JWKS, issuer accounts.google.com, audience equal to this service's URL, within exp, nbf and iat (with a
/// small skew, on the injected clock), and an email that is verified and on the allow-list. A token that fails any
/// check other than the email is 401; a genuine token from another service account is 403; no keys at all is 503.
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

        string kid;
        try
        {
            kid = handler.ReadJsonWebToken(token).Kid;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return InboundDecision.Unauthenticated("the bearer token is not a JWT");
        }

        var known = await keys.GetAsync(kid, cancellationToken);
        if (known is null)
        {
            return InboundDecision.Unavailable("Google's signing keys could not be fetched");
        }
        // Google's tokens always name their key; one without a kid is tried against every key.
        var signingKeys = string.IsNullOrEmpty(kid) ? known : known.Where(k => k.KeyId == kid).ToList();
        if (signingKeys.Count == 0)
        {
            return InboundDecision.Unauthenticated("the token's key id is not among Google's signing keys");
        }

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
        // The library does not look at iat; a token issued in the future was minted by a broken or forged clock.
        var issuedAt = ((JsonWebToken)result.SecurityToken).IssuedAt;
        if (issuedAt == DateTime.MinValue || issuedAt > now.UtcDateTime + settings.ClockSkew)
        {
            return InboundDecision.Unauthenticated(issuedAt == DateTime.MinValue ? "the token has no iat" : "the token was issued in the future");
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
