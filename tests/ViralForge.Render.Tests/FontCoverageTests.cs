using System.Diagnostics;
using System.Globalization;
using System.Text;
using ViralForge.Testing;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

/// <summary>
/// Captions in any script the sheets bring draw real glyphs, not empty boxes: every character is covered by an
/// installed font (asked of fontconfig, which is how libass finds a fallback for what the caption font lacks), and
/// libass really draws each script, shaping Arabic right to left.
/// </summary>
public class FontCoverageTests
{
    private const int Width = 360;
    private const int Height = 640;

    public static TheoryData<string, string> Samples => new()
    {
        { "Latin", "Café déjà vu, naïve façade! Ærøskøbing Straße" },
        { "Cyrillic", "Съешь же ещё этих мягких французских булок" },
        { "Arabic", "مرحبا بالعالم، كيف حالك؟" },
        { "Hebrew", "שלום עולם" },
        { "Chinese", "你好，世界！猫咪睡觉。" },
        { "Japanese", "こんにちは、世界。カタカナ" },
        { "Korean", "안녕하세요 세계" },
        // A ZWJ family (its base emoji are what fonts must cover), a skin-tone modifier on its base, a flag, a
        // keycap, a heart with its emoji presentation selector.
        { "Emoji", "😀 👍🏽 👨\u200D👩\u200D👧\u200D👦 🇯🇵 ❤\uFE0F 🔥 1\uFE0F\u20E3 🐱" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_character_is_covered_by_an_installed_font(string script, string sample)
    {
        var codePoints = sample.EnumerateRunes()
            .Where(r => !Rune.IsWhiteSpace(r) && !IsDefaultIgnorable(r.Value))
            .Select(r => r.Value)
            .Distinct()
            .ToList();
        var uncovered = new List<string>();

        await Parallel.ForEachAsync(codePoints, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (codePoint, cancellationToken) =>
        {
            var families = await FontsCoveringAsync(codePoint, cancellationToken);
            if (families.Length == 0)
            {
                lock (uncovered)
                {
                    uncovered.Add($"U+{codePoint:X4} '{char.ConvertFromUtf32(codePoint)}'");
                }
            }
        });

        Assert.True(uncovered.Count == 0, $"{script}: no installed font covers {string.Join(", ", uncovered)}.");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Libass_draws_every_script(string script, string sample)
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(Width, Height));
        // A few words of each sample, so the line is the size of a real caption.
        var words = string.Join(' ', sample.Split(' ').Take(3));

        var frame = await LibassFrames.RenderAsync(runner, LibassFrames.Line(words, Width, Height, CaptionStyle.BoldPop), Width, Height, "black", scratch.Path);

        var bright = MediaTesting.CountBrightPixels(frame, Width, 0, Height / 2, Width, Height, 200);
        Assert.True(bright > 150, $"{script}: only {bright} bright pixels where the caption should be.");
    }

    [Fact]
    public async Task Arabic_is_drawn_differently_from_the_same_letters_in_reverse_order()
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(Width, Height));
        const string Word = "مرحبا";
        var reversed = new string(Word.Reverse().ToArray());

        var logical = await LibassFrames.RenderAsync(runner, LibassFrames.Line(Word, Width, Height, CaptionStyle.BoldPop), Width, Height, "black", scratch.Path);
        var backwards = await LibassFrames.RenderAsync(runner, LibassFrames.Line(reversed, Width, Height, CaptionStyle.BoldPop), Width, Height, "black", scratch.Path);

        Assert.False(logical.AsSpan().SequenceEqual(backwards), "The word and its letters reversed drew the same pixels.");
    }

    [Fact]
    public async Task Arabic_runs_right_to_left()
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(Width, Height));

        // Alef then beh, apart: right to left, the tall alef is drawn on the right.
        var frame = await LibassFrames.RenderAsync(runner, LibassFrames.Line("ا ب", Width, Height, CaptionStyle.BoldPop), Width, Height, "black", scratch.Path);

        var (left, right, top, _) = BrightBox(frame);
        var tallest = Bright(frame).Where(p => p.Y == top).Select(p => p.X).Average();
        Assert.True(tallest > (left + right) / 2.0, $"The alef's top is at x {tallest}, in the left half of {left}-{right}.");
    }

    [Fact]
    public async Task Arabic_letters_are_joined()
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(Width, Height));

        // Three behs join into one narrow word; a ZERO WIDTH NON-JOINER between them keeps their wide isolated forms.
        var joined = await LibassFrames.RenderAsync(runner, LibassFrames.Line("ببب", Width, Height, CaptionStyle.BoldPop), Width, Height, "black", scratch.Path);
        var apart = await LibassFrames.RenderAsync(runner, LibassFrames.Line("ب\u200Cب\u200Cب", Width, Height, CaptionStyle.BoldPop), Width, Height, "black", scratch.Path);

        var joinedWidth = BrightBox(joined).Right - BrightBox(joined).Left;
        var apartWidth = BrightBox(apart).Right - BrightBox(apart).Left;
        Assert.True(joinedWidth < apartWidth * 0.8, $"Joined {joinedWidth} px wide, apart {apartWidth} px: the letters were not shaped.");
    }

    /// <summary>Font families fontconfig finds for a code point: libass's fallback asks it the same question.</summary>
    private static async Task<string[]> FontsCoveringAsync(int codePoint, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("fc-list")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $":charset={codePoint:x}"));
        startInfo.ArgumentList.Add("family");
        using var process = Process.Start(startInfo)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"fc-list failed: {await stderr}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // Joiners and variation selectors steer shaping and are never drawn, so no font needs a glyph for them.
    private static bool IsDefaultIgnorable(int codePoint) => codePoint is 0x200C or 0x200D or (>= 0xFE00 and <= 0xFE0F);

    private static IEnumerable<(int X, int Y)> Bright(byte[] rgb) =>
        LibassFrames.Marked(rgb, Width, (0, 0, 0), 200 - 1).Where(p => Enumerable.Range(0, 3).All(c => rgb[(((p.Y * Width) + p.X) * 3) + c] >= 200));

    private static (int Left, int Right, int Top, int Bottom) BrightBox(byte[] rgb)
    {
        var points = Bright(rgb).ToList();
        Assert.NotEmpty(points);
        return (points.Min(p => p.X), points.Max(p => p.X), points.Min(p => p.Y), points.Max(p => p.Y));
    }
}
