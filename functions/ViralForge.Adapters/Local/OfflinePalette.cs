using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Adapters.Local;

/// <summary>
/// The colours of one offline beat, as ffmpeg reads them (0xRRGGBB): the background's two gradient stops, the accent its
/// moving shapes are drawn in (translucent), and the ink of its large glyph (a light tint, never pure white, so the
/// card's white text stays the brightest thing on screen); with the seed and drift speed of the gradient.
/// </summary>
public sealed record BackgroundPalette(string From, string To, long Seed, double Speed, string Accent = "0xFFFFFF", string Ink = "0xF0F0F0");

/// <summary>
/// Palettes for the offline visuals, derived from the video's subject (its topic, or what a reviewer asked to see):
/// the same subject always gets the same palette and different subjects different ones. A subject whose words belong
/// to a theme (<see cref="BeatGlyphs.ThemeOf"/>) or name a known scene or colour (<see cref="TermHues"/>) leans to that
/// hue; others take a hue from a hash. Each beat shifts the hue a little, so beats differ but the video stays one family.
/// Backgrounds are kept dark enough for white text: a contrast ratio of at least <see cref="MinimumContrast"/> against
/// white (WCAG's figure for normal text), or <see cref="BrighterContrast"/> when a reviewer asked for brighter.
/// </summary>
public static class OfflinePalette
{
    /// <summary>WCAG AA for normal text: white captions on these backgrounds stay readable without their outline.</summary>
    public const double MinimumContrast = 4.5;

    /// <summary>WCAG AA for large text: what "brighter" may go down to (the captions are large and outlined).</summary>
    public const double BrighterContrast = 3.0;

    /// <summary>Hue shifts by beat, in degrees: neighbours differ clearly, and six beats never repeat one.</summary>
    private static readonly int[] BeatShifts = [0, 34, -28, 62, -52, 16, 48, -40];

    /// <summary>Words a reviewer may ask to see and the hue (degrees) whose colours suggest them.</summary>
    public static IReadOnlyDictionary<string, int> TermHues { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["beach"] = 45, ["sand"] = 45, ["desert"] = 35, ["sun"] = 50, ["summer"] = 50, ["gold"] = 48, ["yellow"] = 55,
        ["sunset"] = 20, ["fire"] = 12, ["autumn"] = 25, ["orange"] = 28, ["coffee"] = 25, ["red"] = 0, ["love"] = 345,
        ["flowers"] = 320, ["pink"] = 330, ["purple"] = 275, ["space"] = 255, ["night"] = 235, ["stars"] = 245, ["galaxy"] = 265,
        ["ocean"] = 205, ["sea"] = 205, ["water"] = 200, ["lake"] = 200, ["sky"] = 210, ["rain"] = 215, ["blue"] = 220,
        ["snow"] = 190, ["ice"] = 188, ["winter"] = 195, ["mountains"] = 160,
        ["forest"] = 125, ["trees"] = 120, ["nature"] = 110, ["garden"] = 100, ["plants"] = 105, ["grass"] = 95, ["green"] = 120,
    };

    /// <summary>
    /// One beat's palette. <paramref name="subject"/> is the topic (or any stable text naming the video); the reviewer's
    /// <paramref name="visualTerms"/> take its place when there are any, and a term naming a known scene or colour sets the
    /// hue family. The style word sets the mood: calm styles are muted, bold ones saturated, dark ones deep.
    /// <paramref name="brightness"/> -1 halves the lightness, +1 lifts it well up (to <see cref="BrighterContrast"/>).
    /// <paramref name="themeHue"/> is the hue of the theme the whole script's words belong to, when the subject alone names none.
    /// </summary>
    public static BackgroundPalette For(string subject, int beatIndex, string style, int brightness = 0, IReadOnlyList<string>? visualTerms = null, int? themeHue = null)
    {
        var styleWord = (style ?? string.Empty).Trim().ToLowerInvariant();
        var terms = (visualTerms ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).ToList();
        var key = terms.Count == 0 ? string.Join(' ', BeatGlyphs.WordsOf(subject)) : string.Join('|', terms);
        var subjectHash = Hash(key);
        var beatHash = Hash(string.Create(CultureInfo.InvariantCulture, $"{key}|{beatIndex}|{styleWord}"));
        var (saturation, lightness) = styleWord switch
        {
            "calm" or "minimal" or "soft" or "pastel" or "clean" => (0.35, 0.42),
            "bold" or "energetic" or "hype" or "vibrant" or "fun" or "playful" => (0.85, 0.45),
            "dark" or "moody" or "cinematic" or "dramatic" => (0.55, 0.22),
            _ => (0.65, 0.36),
        };
        lightness = Math.Sign(brightness) switch
        {
            < 0 => lightness * 0.5,
            > 0 => Math.Min(0.72, lightness + 0.25),
            _ => lightness,
        };

        var family = terms.Count > 0 ? HueOf(terms[beatIndex % terms.Count]) : HueOf(subject) ?? themeHue ?? BeatGlyphs.ThemeOf([subject])?.Hue;
        int hue, spread;
        if (family is { } known)
        {
            // Keep to the family: the subject's own drift within it, a small shift per beat, the second colour a close neighbour.
            var shift = terms.Count > 0 ? 0 : BeatShifts[beatIndex % BeatShifts.Length] / 2;
            hue = Wrap(known - 14 + (subjectHash[0] % 29) + shift + (beatHash[0] % 7));
            spread = 15 + (beatHash[2] % 20);
        }
        else
        {
            hue = Wrap((BitConverter.ToUInt16(subjectHash, 0) % 360) + BeatShifts[beatIndex % BeatShifts.Length] + (beatHash[0] % 9));
            spread = 35 + (beatHash[2] % 60);
        }

        var minimumContrast = brightness > 0 ? BrighterContrast : MinimumContrast;
        var from = Darkened(hue, saturation, lightness, minimumContrast);
        var to = Darkened(Wrap(hue + spread), saturation, lightness * 0.8, minimumContrast);
        var accent = Hex(Wrap(hue + 180 - (spread / 2)), Math.Max(0.55, saturation), 0.72);
        var ink = Hex(Wrap(hue + 20), 0.7, 0.86);
        var seed = BitConverter.ToUInt32(beatHash, 4);
        var speed = 0.008 + (beatHash[8] / 255.0 * 0.012);
        return new BackgroundPalette(from, to, seed, Math.Round(speed, 4), accent, ink);
    }

    /// <summary>WCAG contrast ratio of white text on this colour (1 to 21).</summary>
    public static double ContrastWithWhite(string hex) => 1.05 / (RelativeLuminance(hex) + 0.05);

    /// <summary>WCAG relative luminance of a 0xRRGGBB colour.</summary>
    public static double RelativeLuminance(string hex)
    {
        var rgb = Convert.ToInt32(hex[2..], 16);
        static double Linear(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Linear((rgb >> 16) & 0xFF)) + (0.7152 * Linear((rgb >> 8) & 0xFF)) + (0.0722 * Linear(rgb & 0xFF));
    }

    /// <summary>The hue a text's first known scene or colour word suggests, or null.</summary>
    public static int? HueOf(string text)
    {
        foreach (var word in BeatGlyphs.WordsOf(text))
        {
            if (TermHues.TryGetValue(word, out var hue) || (word.EndsWith('s') && TermHues.TryGetValue(word[..^1], out hue)))
            {
                return hue;
            }
        }

        return null;
    }

    /// <summary>HSL to 0xRRGGBB.</summary>
    public static string Hex(double hue, double saturation, double lightness)
    {
        var c = (1 - Math.Abs((2 * lightness) - 1)) * saturation;
        var x = c * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = lightness - (c / 2);
        var (r, g, b) = (hue / 60) switch
        {
            < 1 => (c, x, 0.0),
            < 2 => (x, c, 0.0),
            < 3 => (0.0, c, x),
            < 4 => (0.0, x, c),
            < 5 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return string.Create(CultureInfo.InvariantCulture, $"0x{ToByte(r + m):X2}{ToByte(g + m):X2}{ToByte(b + m):X2}");
    }

    /// <summary>The colour at this lightness, or darker until white on it reaches the contrast (yellows and cyans need it most).</summary>
    private static string Darkened(int hue, double saturation, double lightness, double minimumContrast)
    {
        var hex = Hex(hue, saturation, lightness);
        while (ContrastWithWhite(hex) < minimumContrast && lightness > 0.05)
        {
            lightness -= 0.01;
            hex = Hex(hue, saturation, lightness);
        }

        return hex;
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static int Wrap(int hue) => ((hue % 360) + 360) % 360;

    private static int ToByte(double value) => (int)Math.Round(Math.Clamp(value, 0, 1) * 255);
}
