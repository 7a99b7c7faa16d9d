using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ViralForge.Render;

/// <summary>How captions look and how much text a line holds: a named preset that <see cref="CaptionTrack"/> turns into one ASS style.</summary>
/// <remarks>
/// Sizes are fractions of the frame height, so one preset looks the same at 1080x1920 and at a 360x640 preview.
/// Colours are "#RRGGBB", the form people copy from a design tool; <see cref="CaptionTrack"/> converts them to ASS's
/// &amp;HAABBGGRR. Every setter validates, so a bad preset fails where it is made, not as a blank video later.
/// </remarks>
public sealed partial record CaptionStyle
{
    /// <summary>
    /// White bold words with a thick black outline and the spoken word in yellow: the look ViralForge has always had
    /// (same font size, outline, shadow and colours as before presets existed).
    /// </summary>
    public static CaptionStyle BoldPop { get; } = new()
    {
        Name = "bold-pop",
        FontSize = 0.04,
        PrimaryColour = "#FFFFFF",
        HighlightColour = "#FFFF00",
        OutlineColour = "#000000",
        OutlineWidth = 0.0035,
        Shadow = 0.0015,
        Bold = true,
        MaxWordsPerLine = CaptionTrack.MaxWordsPerLine,
        MaxCharsPerLine = CaptionTrack.MaxCharsPerLine,
    };

    /// <summary>White words on a translucent dark box, the spoken word in cyan: readable over busy, bright footage.</summary>
    public static CaptionStyle Boxed { get; } = new()
    {
        Name = "boxed",
        FontSize = 0.036,
        PrimaryColour = "#FFFFFF",
        HighlightColour = "#4DE8FF",
        OutlineColour = "#000000",
        // In a box the outline width is the box's padding around the text.
        OutlineWidth = 0.006,
        Shadow = 0,
        Box = true,
        BoxColour = "#000000",
        BoxOpacity = 0.6,
        Bold = true,
        MaxWordsPerLine = CaptionTrack.MaxWordsPerLine,
        MaxCharsPerLine = CaptionTrack.MaxCharsPerLine,
    };

    /// <summary>Smaller regular-weight words with a thin outline and a soft shadow, for footage the captions should not dominate.</summary>
    public static CaptionStyle Minimal { get; } = new()
    {
        Name = "minimal",
        FontSize = 0.032,
        PrimaryColour = "#FFFFFF",
        HighlightColour = "#FFD84D",
        OutlineColour = "#000000",
        OutlineWidth = 0.0012,
        Shadow = 0.002,
        Bold = false,
        // A smaller font fits a little more on a line.
        MaxWordsPerLine = 5,
        MaxCharsPerLine = 22,
    };

    /// <summary>Every preset, <see cref="BoldPop"/> (the default) first.</summary>
    public static IReadOnlyList<CaptionStyle> All { get; } = [BoldPop, Boxed, Minimal];

    /// <summary>The preset's name as a sheet or setting spells it, e.g. "bold-pop".</summary>
    public required string Name
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A caption style needs a name.", nameof(Name)) : value;
    }

    /// <summary>Font size as a fraction of the frame height (0.04 is 77 px at 1920).</summary>
    public required double FontSize
    {
        get;
        init => field = Fraction(value, 0.005, 0.2, nameof(FontSize));
    }

    /// <summary>Colour of the words, "#RRGGBB".</summary>
    public string PrimaryColour
    {
        get;
        init => field = Colour(value, nameof(PrimaryColour));
    } = "#FFFFFF";

    /// <summary>Colour of the word being spoken, "#RRGGBB".</summary>
    public string HighlightColour
    {
        get;
        init => field = Colour(value, nameof(HighlightColour));
    } = "#FFFF00";

    /// <summary>Colour of the outline around each letter, "#RRGGBB"; unused when <see cref="Box"/> is on.</summary>
    public string OutlineColour
    {
        get;
        init => field = Colour(value, nameof(OutlineColour));
    } = "#000000";

    /// <summary>Outline width as a fraction of the frame height; with <see cref="Box"/> on, the box's padding instead. 0 for none.</summary>
    public double OutlineWidth
    {
        get;
        init => field = Fraction(value, 0, 0.05, nameof(OutlineWidth));
    }

    /// <summary>Drop-shadow offset as a fraction of the frame height; 0 for none.</summary>
    public double Shadow
    {
        get;
        init => field = Fraction(value, 0, 0.05, nameof(Shadow));
    }

    /// <summary>Draws each line on an opaque box (ASS BorderStyle 3) instead of outlining the letters.</summary>
    public bool Box { get; init; }

    /// <summary>Colour of the box, "#RRGGBB".</summary>
    public string BoxColour
    {
        get;
        init => field = Colour(value, nameof(BoxColour));
    } = "#000000";

    /// <summary>How opaque the box is, from 0 (invisible) to 1 (solid).</summary>
    public double BoxOpacity
    {
        get;
        init => field = Fraction(value, 0, 1, nameof(BoxOpacity));
    } = 1;

    public bool Bold { get; init; }

    /// <summary>At most this many words share a line.</summary>
    public int MaxWordsPerLine
    {
        get;
        init => field = value is >= 1 and <= 20 ? value : throw new ArgumentOutOfRangeException(nameof(MaxWordsPerLine), value, "A line holds 1 to 20 words.");
    } = CaptionTrack.MaxWordsPerLine;

    /// <summary>At most this many characters share a line, counted as <see cref="CaptionTrack.CountColumns"/> does (CJK and emoji count two); longer words are split.</summary>
    public int MaxCharsPerLine
    {
        get;
        init => field = value is >= 4 and <= 80 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCharsPerLine), value, "A line holds 4 to 80 characters.");
    } = CaptionTrack.MaxCharsPerLine;

    /// <summary>The preset with this name, ignoring case.</summary>
    public static bool TryGet(string name, [MaybeNullWhen(false)] out CaptionStyle style)
    {
        style = All.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return style is not null;
    }

    /// <summary>Font size in pixels for a frame this tall.</summary>
    public int FontPixels(int frameHeight) => Math.Max(1, (int)Math.Round(frameHeight * FontSize));

    /// <summary>
    /// Outline (or box padding) in pixels. A non-zero outline is at least 2 px: thinner, it vanishes into the
    /// anti-aliased edge of the letters and stops separating them from the footage.
    /// </summary>
    public int OutlinePixels(int frameHeight) => OutlineWidth > 0 ? Math.Max(2, (int)Math.Round(frameHeight * OutlineWidth)) : 0;

    /// <summary>Shadow offset in pixels; a non-zero shadow is at least 1 px so small previews keep it.</summary>
    public int ShadowPixels(int frameHeight) => Shadow > 0 ? Math.Max(1, (int)Math.Round(frameHeight * Shadow)) : 0;

    // \z, not $: $ also matches before a final newline, which would let "#FFFFFF\n" into the style line.
    [GeneratedRegex(@"^#[0-9A-Fa-f]{6}\z")]
    private static partial Regex RgbHex();

    private static string Colour(string value, string name) =>
        value is not null && RgbHex().IsMatch(value)
            ? value.ToUpperInvariant()
            : throw new ArgumentException($"{name} must be a colour written #RRGGBB, not '{value}'.", name);

    private static double Fraction(double value, double min, double max, string name) =>
        double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}."));
}
