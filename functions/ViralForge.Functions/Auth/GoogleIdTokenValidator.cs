using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ViralForge.Functions.Auth;

/// <summary>Who a genuine Google ID token names: its email claims and, for Workspace accounts, the hosted domain (hd).</summary>
public sealed record GoogleIdentity(string? Email, bool EmailVerified, string? HostedDomain);

/// <summary>A Google ID token's check: the identity it proves, or why it proves nothing (401) or cannot be checked now (503).</summary>
public sealed record GoogleIdTokenCheck(GoogleIdentity? Identity, InboundDecision? Refusal)
{
    public static GoogleIdTokenCheck Refused(InboundDecision refusal) => new(null, refusal);
}

/// <summary>
/// The one check of a Google ID token (API_REFERENCE §5.8), whoever it is for: RS256 signed by a key in Google's JWKS,
/// issuer accounts.google.com, the expected audience, within exp, nbf and iat (with a small skew, on the injected
/// clock). What the token says about its holder is returned for the caller to judge against its own allow-list:
/// Cloud Tasks' service accounts (<see cref="GoogleOidcAuthenticator"/>) or the add-on's users.
/// </summary>
public sealed class GoogleIdTokenValidator(GoogleSigningKeys keys, IOptions<GoogleIdTokenOptions> options, TimeProvider time)
{
    private readonly GoogleIdTokenOptions settings = options.Value;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public async ValueTask<GoogleIdTokenCheck> ValidateAsync(string? token, string audience, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        if (token is null)
        {
            return GoogleIdTokenCheck.Refused(InboundDecision.Unauthenticated("no bearer token"));
        }

        string kid;
        try
        {
            kid = handler.ReadJsonWebToken(token).Kid;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return GoogleIdTokenCheck.Refused(InboundDecision.Unauthenticated("the bearer token is not a JWT"));
        }

        var known = await keys.GetAsync(kid, cancellationToken);
        if (known is null)
        {
            return GoogleIdTokenCheck.Refused(InboundDecision.Unavailable("Google's signing keys could not be fetched"));
        }
        // Google's tokens always name their key; one without a kid is tried against every key.
        var signingKeys = string.IsNullOrEmpty(kid) ? known : known.Where(k => k.KeyId == kid).ToList();
        if (signingKeys.Count == 0)
        {
            return GoogleIdTokenCheck.Refused(InboundDecision.Unauthenticated("the token's key id is not among Google's signing keys"));
        }

        var now = time.GetUtcNow();
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = settings.Issuers,
            ValidAudience = audience,
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
            return GoogleIdTokenCheck.Refused(InboundDecision.Unauthenticated($"invalid token: {result.Exception?.GetType().Name ?? "rejected"}"));
        }
        // The library does not look at iat; a token issued in the future was minted by a broken or forged clock.
        var issuedAt = ((JsonWebToken)result.SecurityToken).IssuedAt;
        if (issuedAt == DateTime.MinValue || issuedAt > now.UtcDateTime + settings.ClockSkew)
        {
            return GoogleIdTokenCheck.Refused(InboundDecision.Unauthenticated(issuedAt == DateTime.MinValue ? "the token has no iat" : "the token was issued in the future"));
        }

        var claims = result.Claims;
        var email = claims.TryGetValue("email", out var emailClaim) ? emailClaim as string : null;
        // Older Google tokens carry email_verified as the string "true".
        var verified = claims.TryGetValue("email_verified", out var v) && v is true or "true";
        var hostedDomain = claims.TryGetValue("hd", out var hd) ? hd as string : null;
        return new GoogleIdTokenCheck(new GoogleIdentity(email, verified, hostedDomain), null);
    }
}
