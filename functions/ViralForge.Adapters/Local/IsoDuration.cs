using System.Globalization;
using System.Text.RegularExpressions;

namespace ViralForge.Adapters.Local;

/// <summary>Parses the ISO 8601 durations YouTube sends in contentDetails.duration (PT1M5S, P1DT2H, P0D).</summary>
/// <remarks>
/// Years and months are refused: their length in seconds depends on a calendar date, and YouTube
/// never uses them for a video's length.
/// </remarks>
public static partial class IsoDuration
{
    /// <summary>The duration <paramref name="value"/> stands for; a FormatException names the bad input.</summary>
    public static TimeSpan Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var result)
            ? result
            : throw new FormatException(
                $"'{value}' is not an ISO 8601 duration of the form P[nW][nD][T[nH][nM][nS]], e.g. PT1M5S.");
    }

    /// <summary>Parses <paramref name="value"/>, answering false instead of throwing when it is not a duration.</summary>
    public static bool TryParse(string? value, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var match = Pattern().Match(value);
        // "P" and "PT" match the pattern with every part empty, but ISO 8601 requires at least one.
        if (!match.Success || value is "P" || value.EndsWith('T'))
        {
            return false;
        }
        var seconds = Part(match, "w") * 7 * 86_400 + Part(match, "d") * 86_400 + Part(match, "h") * 3_600
            + Part(match, "m") * 60 + Part(match, "s");
        // Digits only, so the sum cannot be negative, but it can be too large for a TimeSpan.
        if (seconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }
        result = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static double Part(Match match, string name) =>
        match.Groups[name] is { Success: true } group ? double.Parse(group.Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^P(?:(?<w>[0-9]+)W)?(?:(?<d>[0-9]+)D)?(?:T(?:(?<h>[0-9]+)H)?(?:(?<m>[0-9]+)M)?(?:(?<s>[0-9]+(?:\.[0-9]+)?)S)?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
