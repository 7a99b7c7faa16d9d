using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Auth;

/// <summary>
/// Accepts only Google-signed ID tokens as Cloud Tasks sends them (API_REFERENCE §2 and §5.8): the token checks of
/// <see cref="GoogleIdTokenValidator"/> with this service's URL as the audience, and an email that is verified and on
/// the allow-list. A token that fails any check other than the email is 401; a genuine token from another service
/// account is 403; no keys at all is 503.
/// </summary>
public sealed class GoogleOidcAuthenticator(IOptions<GoogleOidcOptions> options, GoogleSigningKeys keys, TimeProvider time) : IInboundAuthenticator
{
    private readonly GoogleOidcOptions settings = options.Value;
    private readonly GoogleIdTokenValidator validator = new(keys, options, time);

    public async ValueTask<InboundDecision> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var check = await validator.ValidateAsync(BearerToken.From(request), settings.Audience!, cancellationToken);
        if (check.Identity is not { } identity)
        {
            return check.Refusal!;
        }
        if (identity.Email is not { } email || !identity.EmailVerified)
        {
            return InboundDecision.Forbidden("the token has no verified email");
        }

        return settings.AllowedServiceAccounts.Contains(email, StringComparer.OrdinalIgnoreCase)
            ? InboundDecision.Trusted
            : InboundDecision.Forbidden($"{email} is not an allowed caller");
    }
}
