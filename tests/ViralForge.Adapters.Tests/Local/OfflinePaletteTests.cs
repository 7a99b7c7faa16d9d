using ViralForge.Adapters.Local;

namespace ViralForge.Adapters.Tests.Local;

public class OfflinePaletteTests
{
    private static readonly string[] Topics =
    [
        "5-minute morning workout you can do anywhere",
        "One-pan lemon garlic pasta, ready in 15 minutes",
        "How to build an emergency fund on a small salary",
        "Why cats sleep sixteen hours a day",
        "Three houseplants you cannot kill",
        "Cheap flights: the booking trick airlines hate",
        "Learn any language in 20 minutes a day",
        "The science of a perfect nap",
        "Budget meal prep for a week",
        "Phone settings that save your battery",
        "Decluttering your home in one weekend",
        "What nobody tells you about running a marathon",
    ];

    private static readonly string[] Styles = ["clean", "bold", "dark", "energetic", "warm", ""];

    [Fact]
    public void The_same_topic_always_gets_the_same_palette()
    {
        foreach (var topic in Topics)
        {
            Assert.Equal(OfflinePalette.For(topic, 2, "bold"), OfflinePalette.For(topic, 2, "bold"));
            // Case, spacing and punctuation do not make another topic.
            Assert.Equal(OfflinePalette.For(topic, 2, "bold"), OfflinePalette.For($"  {topic.ToUpperInvariant()}!", 2, " Bold "));
        }
    }

    [Fact]
    public void Different_topics_get_different_palettes()
    {
        var first = Topics.Select(t => OfflinePalette.For(t, 0, "clean")).ToList();

        Assert.Equal(Topics.Length, first.Select(p => p.From).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Topics.Length, first.Select(p => p.Seed).Distinct().Count());
    }

    [Fact]
    public void Each_beat_of_a_topic_gets_its_own_colours()
    {
        foreach (var topic in Topics)
        {
            var beats = Enumerable.Range(0, 6).Select(i => OfflinePalette.For(topic, i, "energetic")).ToList();

            Assert.Equal(6, beats.Select(p => p.From).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void White_text_has_enough_contrast_on_every_background()
    {
        foreach (var topic in Topics)
        {
            foreach (var style in Styles)
            {
                for (var beat = 0; beat < 6; beat++)
                {
                    var palette = OfflinePalette.For(topic, beat, style);
                    var darker = OfflinePalette.For(topic, beat, style, brightness: -1);
                    var brighter = OfflinePalette.For(topic, beat, style, brightness: 1);

                    Assert.True(OfflinePalette.ContrastWithWhite(palette.From) >= OfflinePalette.MinimumContrast, $"{topic}/{style}/{beat}: {palette.From}");
                    Assert.True(OfflinePalette.ContrastWithWhite(palette.To) >= OfflinePalette.MinimumContrast, $"{topic}/{style}/{beat}: {palette.To}");
                    Assert.True(OfflinePalette.ContrastWithWhite(darker.From) >= OfflinePalette.MinimumContrast, $"{topic}/{style}/{beat} darker: {darker.From}");
                    Assert.True(OfflinePalette.ContrastWithWhite(brighter.From) >= OfflinePalette.BrighterContrast, $"{topic}/{style}/{beat} brighter: {brighter.From}");
                    Assert.True(OfflinePalette.RelativeLuminance(brighter.From) > OfflinePalette.RelativeLuminance(darker.From), $"{topic}/{style}/{beat}: brighter is not brighter than darker");
                    // The glyph's ink is light but never white in all three channels: the card stays the brightest thing.
                    Assert.True(Channels(palette.Ink).Min() < 235, $"{topic}/{style}/{beat}: ink {palette.Ink}");
                    Assert.True(OfflinePalette.RelativeLuminance(palette.Ink) > 0.4, $"{topic}/{style}/{beat}: ink {palette.Ink} is too dark to show");
                }
            }
        }
    }

    [Theory]
    [InlineData("Why cats sleep so much", "pets", 32)]
    [InlineData("Budget tips: build an emergency fund on a small salary", "money", 140)]
    [InlineData("Three houseplants that grow anywhere", "plants", 112)]
    public void A_topic_of_a_known_theme_leans_to_its_hue(string topic, string theme, int hue)
    {
        Assert.Equal(theme, BeatGlyphs.ThemeOf([topic])?.Name);

        var palette = OfflinePalette.For(topic, 0, "bold");

        var actual = HueOf(palette.From);
        var distance = Math.Min(Math.Abs(actual - hue), 360 - Math.Abs(actual - hue));
        Assert.True(distance <= 30, $"{topic}: hue {actual:0}, expected near {hue}");
    }

    private static int[] Channels(string hex) => [Convert.ToInt32(hex[2..4], 16), Convert.ToInt32(hex[4..6], 16), Convert.ToInt32(hex[6..8], 16)];

    private static double HueOf(string hex)
    {
        var c = Channels(hex).Select(v => v / 255.0).ToArray();
        var (max, min) = (c.Max(), c.Min());
        var delta = max - min;
        var hue = delta == 0 ? 0
            : max == c[0] ? 60 * (((c[1] - c[2]) / delta) % 6)
            : max == c[1] ? 60 * (((c[2] - c[0]) / delta) + 2)
            : 60 * (((c[0] - c[1]) / delta) + 4);
        return (hue + 360) % 360;
    }
}
