using System.Text.RegularExpressions;

namespace ViralForge.Core.Review;

/// <summary>A voice the reviewer asked for by kind rather than by name.</summary>
public enum VoiceGender
{
    Female,
    Male,
}

/// <summary>
/// What a reviewer's Regenerate feedback asks of the stages, read from their words: the offline providers act on these
/// (an LLM provider reads the words themselves). "Use a female voice, a bit slower" is a female voice at 0.9x speed.
/// </summary>
/// <param name="Text">The feedback as written, for providers that read it whole (the script writer's prompt).</param>
/// <param name="Gender">A female or male voice, when asked for.</param>
/// <param name="SpeedFactor">1 for no change; below 1 slower, above 1 faster ("a bit" is 10 %, "much" 25 %, else 15 %).</param>
/// <param name="Brightness">-1 darker, +1 brighter, 0 unchanged.</param>
/// <param name="VisualTerms">What the reviewer asked to see ("show the beach", "more footage of dogs"), for the visuals' search queries.</param>
public sealed partial record ReviewerFeedback(string Text, VoiceGender? Gender, double SpeedFactor, int Brightness, IReadOnlyList<string> VisualTerms)
{
    /// <summary>True when the words ask for a different voice, pace or picture, i.e. something besides the text to rewrite.</summary>
    public bool ChangesVoice => Gender is not null || Math.Abs(SpeedFactor - 1) > 0.001;

    public static ReviewerFeedback Parse(string? feedback)
    {
        var text = (feedback ?? "").Trim();
        var lower = text.ToLowerInvariant();

        VoiceGender? gender = null;
        if (FemaleWords().IsMatch(lower))
        {
            gender = VoiceGender.Female;
        }
        else if (MaleWords().IsMatch(lower))
        {
            gender = VoiceGender.Male;
        }

        var speed = 1.0;
        if (Slower().Match(lower) is { Success: true } slower)
        {
            speed = 1 - Amount(slower.Groups["degree"].Value);
        }
        else if (Faster().Match(lower) is { Success: true } faster)
        {
            speed = 1 + Amount(faster.Groups["degree"].Value);
        }

        var brightness = Darker().IsMatch(lower) ? -1 : Brighter().IsMatch(lower) ? 1 : 0;

        var terms = ShowMe().Matches(text)
            .Select(m => m.Groups["what"].Value.Trim().TrimEnd('.', '!', ',', ';'))
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new ReviewerFeedback(text, gender, speed, brightness, terms);
    }

    private static double Amount(string degree) => degree.Trim() switch
    {
        "a bit" or "a little" or "slightly" or "a touch" => 0.10,
        "much" or "a lot" or "way" or "far" => 0.25,
        _ => 0.15,
    };

    [GeneratedRegex(@"\b(female|woman|woman's|women|girl|feminine|lady|her)\b")]
    private static partial Regex FemaleWords();

    [GeneratedRegex(@"\b(male|man|man's|men|guy|masculine|his)\b")]
    private static partial Regex MaleWords();

    [GeneratedRegex(@"(?<degree>a bit|a little|slightly|a touch|much|a lot|way|far)?\s*(slower|slow down|less fast|more slowly)")]
    private static partial Regex Slower();

    [GeneratedRegex(@"(?<degree>a bit|a little|slightly|a touch|much|a lot|way|far)?\s*(faster|speed up|quicker|more quickly|less slow)")]
    private static partial Regex Faster();

    [GeneratedRegex(@"\b(darker|dimmer|moodier|less bright)\b")]
    private static partial Regex Darker();

    [GeneratedRegex(@"\b(brighter|lighter|more colou?rful|more vivid|less dark)\b")]
    private static partial Regex Brighter();

    // "show the beach", "more footage of dogs", "use clips of coffee", "visuals of mountains"
    [GeneratedRegex(@"\b(?:show(?: me)?|footage of|clips? of|visuals? of|images? of|shots? of)\s+(?<what>[^,.;!]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ShowMe();
}
