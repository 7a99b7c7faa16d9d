using System.Diagnostics;
using System.Globalization;
using ViralForge.Adapters.Local;
using ViralForge.Core;

namespace ViralForge.Adapters.Tests.Local;

public class BeatGlyphsTests
{
    private static readonly HashSet<string> None = [];

    [Theory]
    [InlineData("Coffee first, always", "\u2615")]
    [InlineData("Why cats purr", "\U0001F408")]
    [InlineData("Fresh berries", "\U0001F353")]
    [InlineData("Two dishes of PASTA!", "\U0001F35D")]
    [InlineData("Save the pasta water", "\U0001F4B0")]
    [InlineData("Automate the transfer on payday", "\U0001F916")]
    public void The_glyph_is_the_first_word_the_table_knows(string card, string glyph)
    {
        Assert.Equal(BeatGlyphs.CodePoints(glyph), BeatGlyphs.CodePoints(BeatGlyphs.Choose([card], null, None, 0)));
    }

    [Fact]
    public void The_reviewers_term_and_the_visual_query_come_before_the_card()
    {
        Assert.Equal("\U0001F30A", BeatGlyphs.Choose(["the ocean", "", "Coffee first"], null, None, 0));
        Assert.Equal("\U0001F3D6", BeatGlyphs.Choose([null, "beach at dawn", "Coffee first"], null, None, 0));
    }

    [Fact]
    public void A_glyph_already_used_in_the_video_gives_way_to_the_next_word_then_the_themes_fallbacks()
    {
        var used = new HashSet<string> { "\u2615" };
        var food = BeatGlyphs.Themes["food"];

        Assert.Equal("\U0001F36A", BeatGlyphs.Choose(["Coffee and a cookie"], food, used, 1));
        Assert.Equal(food.Fallbacks[0], BeatGlyphs.Choose(["Coffee, again"], food, used, 1));
        used.UnionWith(food.Fallbacks);
        Assert.Equal(BeatGlyphs.General.Fallbacks[0], BeatGlyphs.Choose(["Coffee, again"], food, used, 1));
    }

    [Fact]
    public void Words_the_table_does_not_know_get_the_themes_fallback_or_the_general_one()
    {
        Assert.Equal(BeatGlyphs.Themes["money"].Fallbacks[0], BeatGlyphs.Choose(["Quarterly zorbs"], BeatGlyphs.Themes["money"], None, 0));
        Assert.Equal(BeatGlyphs.General.Fallbacks[0], BeatGlyphs.Choose(["Quarterly zorbs"], null, None, 0));
        Assert.Equal(BeatGlyphs.General.Fallbacks[0], BeatGlyphs.Choose([null, "", "   "], null, None, 0));
    }

    [Theory]
    [InlineData("5-minute morning workout you can do anywhere. Start with jumping jacks and end with a plank.", "fitness")]
    [InlineData("One-pan lemon garlic pasta, ready in 15 minutes", "food")]
    [InlineData("How to build an emergency fund on a small salary", "money")]
    [InlineData("Why cats sleep so much", "pets")]
    [InlineData("Why nobody tells you this", null)]
    public void The_theme_is_what_most_of_the_words_are_about(string text, string? theme)
    {
        Assert.Equal(theme, BeatGlyphs.ThemeOf([text])?.Name);
    }

    [Fact]
    public void The_table_covers_the_common_topics()
    {
        Assert.True(BeatGlyphs.Words.Count >= 150, $"only {BeatGlyphs.Words.Count} words");
        Assert.All(BeatGlyphs.Themes.Keys, theme => Assert.True(BeatGlyphs.Words.Values.Count(v => v.Theme == theme) >= 8, $"{theme} has few words"));
        Assert.All(BeatGlyphs.Words.Values, v => Assert.True(BeatGlyphs.Themes.ContainsKey(v.Theme), v.Theme));
    }

    [Fact]
    public async Task Every_glyph_in_the_table_is_in_the_installed_glyph_font()
    {
        var font = new MediaOptions().GlyphFontFile;
        Assert.True(File.Exists(font), $"{font} is missing: install fonts-symbola (./vf does).");
        var start = new ProcessStartInfo("fc-query") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--format", "%{charset}", font })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var charset = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var ranges = charset.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split('-'))
            .Select(r => (From: int.Parse(r[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), To: int.Parse(r[^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.True(ranges.Count > 10, $"fc-query gave no charset for {font}");

        var glyphs = BeatGlyphs.Words.Values.Select(v => v.Glyph)
            .Concat(BeatGlyphs.Themes.Values.SelectMany(t => t.Fallbacks))
            .Concat(BeatGlyphs.General.Fallbacks)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var missing = glyphs.Where(g => g.EnumerateRunes().Any(r => !ranges.Any(x => r.Value >= x.From && r.Value <= x.To))).Select(BeatGlyphs.CodePoints).ToList();
        Assert.True(missing.Count == 0, $"not in {font}: {string.Join(", ", missing)}");
        Assert.True(glyphs.Count >= 100, $"only {glyphs.Count} glyphs");
        // And a code point the font lacks is found missing, so the check can fail.
        Assert.DoesNotContain(ranges, x => 0xE000 >= x.From && 0xE000 <= x.To);
    }
}
