using Microsoft.Extensions.Configuration;

namespace ViralForge.Core.Providers;

/// <summary>
/// The paid providers' API keys as settings: which one is set (the profile then picks that provider) and whether a set
/// key is plausibly a key at all. A malformed key is found at start-up as one line naming the setting, instead of as a
/// 401 on the first row, or as a header exception's stack trace for a key with a newline in it.
/// </summary>
public static class ProviderKeys
{
    /// <summary>OpenAI's key (Secret Manager's vf-openai-api-key in gcp, an environment variable OpenAI__ApiKey locally).</summary>
    public const string OpenAI = "OpenAI:ApiKey";

    /// <summary>ElevenLabs' key (Secret Manager's vf-elevenlabs-api-key in gcp, ElevenLabs__ApiKey locally).</summary>
    public const string ElevenLabs = "ElevenLabs:ApiKey";

    /// <summary>Pexels' key for stock footage (Secret Manager's vf-pexels-api-key in gcp, Pexels__ApiKey locally).</summary>
    public const string Pexels = "Pexels:ApiKey";

    /// <summary>Pixabay's key for stock footage (vf-pixabay-api-key, Pixabay__ApiKey).</summary>
    public const string Pixabay = "Pixabay:ApiKey";

    /// <summary>Runway's key for AI video (vf-runway-api-key, Runway__ApiKey).</summary>
    public const string Runway = "Runway:ApiKey";

    /// <summary>OpenAI documents its secret keys as starting with sk- (sk-proj-... for project keys).</summary>
    public const string OpenAIPrefix = "sk-";

    /// <summary>Shorter than any key either vendor issues: a truncated paste, or a placeholder.</summary>
    private const int MinimumLength = 20;

    /// <summary>Whether <paramref name="setting"/> has a value, so its provider is to be used.</summary>
    public static bool IsSet(IConfiguration configuration, string setting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrEmpty(configuration[setting]);
    }

    /// <summary>The one-line problem of every set key that cannot be a key; empty when all are fine or unset.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return [.. new[]
        {
            Problem(OpenAI, configuration[OpenAI], OpenAIPrefix),
            Problem(ElevenLabs, configuration[ElevenLabs], prefix: null),
            Problem(Pexels, configuration[Pexels], prefix: null),
            Problem(Pixabay, configuration[Pixabay], prefix: null),
            Problem(Runway, configuration[Runway], prefix: null),
        }.OfType<string>()];
    }

    /// <summary>
    /// The options validators' one line for a set key that <see cref="Problem"/> rejects, the same for every provider's
    /// options: it names the setting and what a key looks like, never the value.
    /// </summary>
    public static string Malformed(string setting) =>
        $"{setting} is malformed: a key is one word of at least {MinimumLength} printable ASCII characters (check for a stray space, newline or quote).";

    /// <summary>
    /// Why <paramref name="value"/> is not a key for <paramref name="setting"/>, or null when it may be one (or is unset).
    /// The value itself is never repeated: it is a secret, and a person fixes it by looking at where they put it.
    /// </summary>
    public static string? Problem(string setting, string? value, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{setting} is only whitespace. Set it to the key, or remove it to use the offline provider";
        }
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > '~'))
        {
            return $"{setting} has a space, line break, quote or other character no key has. Copy the key again, without the characters around it";
        }
        if (value.Contains('"', StringComparison.Ordinal) || value.Contains('\'', StringComparison.Ordinal))
        {
            return $"{setting} has a quote in it. Set the key without quotes";
        }
        if (prefix is not null && !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return $"{setting} does not start with '{prefix}' as the vendor's keys do (it may be a key id or another vendor's key). Set it to the secret key";
        }
        if (value.Length < MinimumLength)
        {
            return $"{setting} is {value.Length} characters long, shorter than any key. Copy the whole key";
        }
        return null;
    }
}
