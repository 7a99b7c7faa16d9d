using Microsoft.Extensions.Options;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Addon;

/// <summary>An add-on caller's check: the decision, and for a refusal the sentence the sidebar shows.</summary>
public sealed record AddonCheck(InboundDecision Decision, string? Detail = null);

/// <summary>
/// Who is calling the add-on's endpoints (docs/ADDON_API.md): a person proven by the add-on's identity token (the
/// shared Google ID token check with Addon:OAuthClientId as the audience, then a verified email on the allow-list),
/// or by their API key. Both name the caller by email, for their rate limit and their keys.
/// </summary>
public sealed class AddonAuthenticator(IOptions<AddonOptions> options, GoogleIdTokenValidator tokens, AddonKeys keys)
{
    internal const string SignInFailed = "Your Google sign-in could not be verified; reload the sheet and open the ViralForge sidebar again.";
    internal const string KeyFailed = "The ViralForge API key is missing, wrong or revoked; create a new key in the ViralForge sidebar.";
    internal const string CannotCheck = "ViralForge cannot check sign-ins right now; try again in a minute.";

    /// <summary>The add-on's identity token (ScriptApp.getIdentityToken()) as a bearer token.</summary>
    public async ValueTask<AddonCheck> IdentityTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var check = await tokens.ValidateAsync(BearerToken.From(request), settings.OAuthClientId!, cancellationToken);
        if (check.Identity is not { } identity)
        {
            return new AddonCheck(check.Refusal!, check.Refusal!.Verdict == InboundVerdict.Unavailable ? CannotCheck : SignInFailed);
        }
        var admission = settings.Admit(identity);
        return admission switch
        {
            { Admitted: true } => new AddonCheck(InboundDecision.TrustedAs(admission.Email!)),
            { Email: null } => new AddonCheck(InboundDecision.Forbidden(admission.Refusal!),
                "Your Google account's email address is not verified, so ViralForge cannot tell who you are."),
            _ => new AddonCheck(InboundDecision.Forbidden(admission.Refusal!),
                $"{admission.Email} is not allowed to use ViralForge; ask whoever runs it to add you."),
        };
    }

    /// <summary>The person's API key ("vfk_…") as a bearer token; its owner must still be allowed.</summary>
    public async ValueTask<AddonCheck> ApiKeyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (BearerToken.From(request) is not { Length: > 0 } key)
        {
            return new AddonCheck(InboundDecision.Unauthenticated("no bearer token"), KeyFailed);
        }
        if (await keys.FindOwnerAsync(key, cancellationToken) is not { } owner)
        {
            return new AddonCheck(InboundDecision.Unauthenticated("the API key is malformed, unknown or revoked"), KeyFailed);
        }
        // Taken off the list since the key was issued: the key goes with the permission.
        return options.Value.Allows(owner, null)
            ? new AddonCheck(InboundDecision.TrustedAs(owner))
            : new AddonCheck(InboundDecision.Forbidden($"the key's owner {owner} is no longer on the allow-list"),
                $"{owner} is no longer allowed to use ViralForge; ask whoever runs it to add you.");
    }
}
