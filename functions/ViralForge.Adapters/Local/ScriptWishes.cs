using System.Text.RegularExpressions;

namespace ViralForge.Adapters.Local;

/// <summary>What a reviewer's Regenerate feedback asks of the script, as far as templates can honour it.</summary>
/// <param name="LengthFactor">Where in the Duration's tolerance to aim: below 1 for "shorter", above 1 for "longer".</param>
/// <param name="Funnier">"Funnier", "more humour": the playful hook.</param>
/// <param name="Mentions">What the reviewer asked to mention ("mention the watering schedule"), each said in a beat of its own.</param>
/// <param name="Variant">0 for a first script; above 0 for a regenerated one, which then opens and goes on differently.</param>
internal sealed partial record ScriptWishes(double LengthFactor, bool Funnier, IReadOnlyList<string> Mentions, int Variant)
{
    /// <summary>A first script: nothing asked.</summary>
    public static ScriptWishes None { get; } = new(1, false, [], 0);

    // Inside the writer's 15 % tolerance, with room for its rounding.
    private const double Shorter = 0.88;
    private const double Longer = 1.12;
    private const int Variants = 8;

    public static ScriptWishes Read(string? feedback)
    {
        var text = (feedback ?? "").Trim();
        if (text.Length == 0)
        {
            return None;
        }
        var lower = text.ToLowerInvariant();
        var length = ShorterWords().IsMatch(lower) ? Shorter : LongerWords().IsMatch(lower) ? Longer : 1;
        var mentions = Mention().Matches(text)
            .Select(m => m.Groups["what"].Value.Trim())
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        // Stable across processes (string.GetHashCode is not), so a redelivered script stage writes the same script.
        var hash = 0;
        foreach (var c in lower)
        {
            hash = unchecked((hash * 31) + c);
        }
        var variant = 1 + (int)((uint)hash % Variants);
        return new ScriptWishes(length, FunnierWords().IsMatch(lower), mentions, variant);
    }

    [GeneratedRegex(@"\b(shorter|shorten|more concise|tighter|too long|less wordy)\b")]
    private static partial Regex ShorterWords();

    [GeneratedRegex(@"\b(longer|lengthen|more detail|too short|expand)\b")]
    private static partial Regex LongerWords();

    [GeneratedRegex(@"\b(funny|funnier|fun|humou?r|humorous|joke|jokes|playful|witty)\b")]
    private static partial Regex FunnierWords();

    // "mention the watering schedule", "talk about light", "include a tip on pots"; up to the end of the clause.
    [GeneratedRegex(@"\b(?:mention|talk about|include|say something about)\s+(?<what>[^,.;!?\n]+?)(?=\s+(?:and|but|too|as well)\b|[,.;!?\n]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex Mention();
}
