using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Bot.Teams;

/// <summary>
/// The Teams side of the review bot (section "Teams"): the bot's Microsoft app registration, where to post review
/// cards, and where Microsoft publishes the keys and issues the tokens. AppId, AppPassword, ServiceUrl and
/// ConversationId are all set or all left out; none means Teams is off.
/// </summary>
public sealed class TeamsOptions : IValidatableObject
{
    public const string SectionName = "Teams";

    /// <summary>The bot's Microsoft App ID: the audience of Teams' tokens and the client id of ours.</summary>
    public string? AppId { get; set; }

    /// <summary>The app registration's client secret.</summary>
    public string? AppPassword { get; set; }

    /// <summary>For a single-tenant bot, its tenant; empty means multi-tenant (tokens from the botframework.com tenant).</summary>
    public string? TenantId { get; set; }

    /// <summary>The Bot Connector URL Teams gave for the conversation (e.g. https://smba.trafficmanager.net/teams/); our token goes only here.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The channel or chat where review cards are posted (19:…@thread.tacv2 for a channel).</summary>
    public string? ConversationId { get; set; }

    /// <summary>Bot Framework's OpenID metadata, whose jwks_uri lists the keys Teams signs with.</summary>
    public Uri OpenIdMetadataUrl { get; set; } = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>Where the bot gets its own token; empty means login.microsoftonline.com/{TenantId or botframework.com}/oauth2/v2.0/token.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>How long fetched signing keys are used before fetching again (an unknown key id fetches sooner).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Each connector or token call's time limit per attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a connector call Teams throttled or could not serve (429, 412, 502, 504).</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter, or follow Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>True when the four settings Teams needs are all given.</summary>
    public bool Enabled => Missing().Count == 0;

    /// <summary>The token endpoint in use: the configured one or Microsoft's for the tenant.</summary>
    public Uri EffectiveTokenEndpoint =>
        TokenEndpoint ?? new Uri($"https://login.microsoftonline.com/{(string.IsNullOrWhiteSpace(TenantId) ? "botframework.com" : TenantId.Trim())}/oauth2/v2.0/token");

    /// <summary>True when any of the four settings is given, so Teams is meant to be on (and the rest must be there too).</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        return new[] { nameof(AppId), nameof(AppPassword), nameof(ServiceUrl), nameof(ConversationId) }
            .Any(name => !string.IsNullOrWhiteSpace(section[name]));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var missing = Missing();
        if (missing.Count is > 0 and < 4)
        {
            yield return new ValidationResult(
                $"Teams is half configured: set {string.Join(", ", missing.Select(m => $"Teams:{m}"))} as well, or remove the other Teams settings to turn Teams off.",
                missing);
        }
        // The bot's token travels there, so only https; plain http only to this machine (the Bot Framework Emulator, tests).
        if (ServiceUrl is not null && (!ServiceUrl.IsAbsoluteUri || !(ServiceUrl.Scheme == Uri.UriSchemeHttps || (ServiceUrl.Scheme == Uri.UriSchemeHttp && ServiceUrl.IsLoopback))))
        {
            yield return new ValidationResult(
                $"Teams:ServiceUrl '{ServiceUrl}' must be an https URL (the Bot Connector's, such as https://smba.trafficmanager.net/teams/); the bot's token is sent there.",
                [nameof(ServiceUrl)]);
        }
        if (!OpenIdMetadataUrl.IsAbsoluteUri || OpenIdMetadataUrl.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"Teams:OpenIdMetadataUrl '{OpenIdMetadataUrl}' must be an http(s) URL.", [nameof(OpenIdMetadataUrl)]);
        }
        if (TokenEndpoint is not null && (!TokenEndpoint.IsAbsoluteUri || TokenEndpoint.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult($"Teams:TokenEndpoint '{TokenEndpoint}' must be an http(s) URL.", [nameof(TokenEndpoint)]);
        }
        if (KeyCacheDuration < TimeSpan.FromMinutes(1) || KeyCacheDuration > TimeSpan.FromDays(5))
        {
            yield return new ValidationResult($"Teams:KeyCacheDuration {KeyCacheDuration} must be from 1 minute to 5 days.", [nameof(KeyCacheDuration)]);
        }
        if (AttemptTimeout < TimeSpan.FromSeconds(1) || AttemptTimeout > TimeSpan.FromMinutes(2))
        {
            yield return new ValidationResult($"Teams:AttemptTimeout {AttemptTimeout} must be from 1 second to 2 minutes.", [nameof(AttemptTimeout)]);
        }
        if (MaxRetryAttempts is < 0 or > 10)
        {
            yield return new ValidationResult($"Teams:MaxRetryAttempts {MaxRetryAttempts} must be from 0 to 10.", [nameof(MaxRetryAttempts)]);
        }
        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Teams:RetryBaseDelay {RetryBaseDelay} must be from 0 to 1 minute.", [nameof(RetryBaseDelay)]);
        }
    }

    private List<string> Missing()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(AppId))
        {
            missing.Add(nameof(AppId));
        }
        if (string.IsNullOrWhiteSpace(AppPassword))
        {
            missing.Add(nameof(AppPassword));
        }
        if (ServiceUrl is null)
        {
            missing.Add(nameof(ServiceUrl));
        }
        if (string.IsNullOrWhiteSpace(ConversationId))
        {
            missing.Add(nameof(ConversationId));
        }
        return missing;
    }
}

/// <summary>Validates <see cref="TeamsOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class TeamsOptionsValidator : IValidateOptions<TeamsOptions>;
