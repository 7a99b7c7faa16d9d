using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Bot.Slack;

/// <summary>
/// The Slack app the review cards go through (section Slack). BotToken, SigningSecret and Channel come together or not
/// at all: none of them turns Slack off (the bot then serves only its other surfaces), some of them is a mistake that
/// fails start-up naming what is missing.
/// </summary>
public sealed class SlackOptions : IValidatableObject
{
    public const string SectionName = "Slack";

    /// <summary>The bot user OAuth token (xoxb-…), with chat:write.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app's signing secret, which proves that an interaction request comes from Slack.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The channel review cards are posted to: its id (C…) or name.</summary>
    public string? Channel { get; set; }

    /// <summary>The Web API; only tests point it elsewhere.</summary>
    [Required(ErrorMessage = "Slack:ApiBaseUrl is required.")]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// How long one Web API call may take before it is abandoned (and, when safe, retried). Short, because views.open
    /// must happen within the 3 s a trigger_id lives and the interaction must be acknowledged within 3 s too.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Slack:RequestTimeout must be between 10 ms and 1 minute.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Retries of a call that may be repeated (see <see cref="SlackWebApiClient"/>); 0 turns retries off.</summary>
    [Range(0, 10, ErrorMessage = "Slack:MaxRetryAttempts must be between 0 and 10.")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's wait when Slack gives no Retry-After; it doubles (with jitter) for each further retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "Slack:RetryBaseDelay must be between 1 ms and 1 minute.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long a click waits for users.info to name the reviewer before the payload's handle is recorded instead: Slack
    /// waits 3 s for the whole answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:02", ErrorMessage = "Slack:UserLookupTimeout must be between 10 ms and 2 s.")]
    public TimeSpan UserLookupTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a reviewer's looked-up name is reused before users.info is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Slack:UserNameCacheLifetime must be between 1 s and 7 days.")]
    public TimeSpan UserNameCacheLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>True when the three main settings are given, so Slack is on.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(SigningSecret) && !string.IsNullOrWhiteSpace(Channel);

    /// <summary>True when none of the three main settings is given, so Slack is off.</summary>
    public bool IsOff =>
        string.IsNullOrWhiteSpace(BotToken) && string.IsNullOrWhiteSpace(SigningSecret) && string.IsNullOrWhiteSpace(Channel);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsOff && !IsConfigured)
        {
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(BotToken))
            {
                missing.Add(nameof(BotToken));
            }
            if (string.IsNullOrWhiteSpace(SigningSecret))
            {
                missing.Add(nameof(SigningSecret));
            }
            if (string.IsNullOrWhiteSpace(Channel))
            {
                missing.Add(nameof(Channel));
            }
            yield return new ValidationResult(
                $"Slack is half configured: {string.Join(" and ", missing.Select(m => "Slack:" + m))} missing. "
                + "Set Slack:BotToken, Slack:SigningSecret and Slack:Channel together, or none of them to run without Slack.",
                missing);
        }
        if (!string.IsNullOrWhiteSpace(BotToken) && !LooksLikeBotToken(BotToken))
        {
            // The token itself is never echoed: it is a secret even when it is the wrong kind.
            yield return new ValidationResult(
                "Slack:BotToken must be a bot token (xoxb-…), the app's Bot User OAuth Token; user (xoxp-) and app-level (xapp-) tokens cannot post as the bot.",
                [nameof(BotToken)]);
        }
        if (ApiBaseUrl is not { IsAbsoluteUri: true } || (ApiBaseUrl.Scheme != Uri.UriSchemeHttps && ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"Slack:ApiBaseUrl '{ApiBaseUrl}' must be an absolute http(s) URL.", [nameof(ApiBaseUrl)]);
        }
    }

    private static bool LooksLikeBotToken(string token) =>
        token.StartsWith("xoxb-", StringComparison.Ordinal)
        && token.Length > "xoxb-".Length + 8
        && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

/// <summary>Source-generated validation of <see cref="SlackOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class SlackOptionsValidator : IValidateOptions<SlackOptions>;
