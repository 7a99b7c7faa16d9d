using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using ViralForge.Core.Ports;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

public partial class HostileCaptionTests(ITestOutputHelper output)
{
    private static readonly CaptionLayout Layout = new(1080, 1920, "DejaVu Sans");

    /// <summary>The hostile text as the middle word of a short caption, so it shares a line with ordinary words.</summary>
    private static List<WordTiming> Words(string hostile) => [new("Go", 0, 0.2), new(hostile, 0.2, 0.9), new("now.", 0.9, 1.0)];

    [Fact]
    public void The_corpus_has_over_a_hundred_and_ten_distinct_strings()
    {
        Assert.True(HostileCaptions.All.Count >= 110, $"Only {HostileCaptions.All.Count} hostile strings.");
        Assert.Equal(HostileCaptions.All.Count, HostileCaptions.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(HostileCaptions.Data), MemberType = typeof(HostileCaptions), DisableDiscoveryEnumeration = true)]
    public void Hostile_text_stays_inside_well_formed_events(string hostile)
    {
        foreach (var style in CaptionStyle.All)
        {
            var ass = CaptionTrack.BuildAss(Words(hostile), Layout, style);
            var what = $"{HostileCaptions.Describe(hostile)} in {style.Name}";

            // The header is exactly the one with no words: text cannot add a style or change the script.
            var header = CaptionTrack.BuildAss([], Layout, style);
            Assert.StartsWith(header, ass, StringComparison.Ordinal);
            // No line break other than the one ending each event, and nothing after the events but that.
            Assert.DoesNotContain(ass, c => c is '\r' or '\u0085' or '\u2028' or '\u2029' or '\v' or '\f');
            Assert.EndsWith("\n", ass.Length > header.Length ? ass : header + "\n", StringComparison.Ordinal);
            var events = ass[header.Length..].Split('\n')[..^1];
            Assert.NotEmpty(events);
            foreach (var line in events)
            {
                var fields = line.Split(',', 10);
                Assert.True(fields.Length == 10, $"{what}: an event with {fields.Length} fields: {line}");
                Assert.Equal("Dialogue: 0", fields[0]);
                Assert.Matches(TimeStamp(), fields[1]);
                Assert.Matches(TimeStamp(), fields[2]);
                Assert.Equal([CaptionTrack.StyleName, "", "0", "0", "0", ""], fields[3..9]);
                AssertInert(fields[9], style, what);
            }
        }
    }

    [Fact]
    public async Task Libass_renders_every_hostile_caption_or_fails_cleanly_and_nothing_hangs()
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(180, 320, m => m.FfmpegTimeout = TimeSpan.FromSeconds(20)));
        var layout = new CaptionLayout(180, 320, "DejaVu Sans");
        var rendered = 0;
        var failures = new ConcurrentBag<string>();
        var problems = new ConcurrentBag<string>();
        var stopwatch = Stopwatch.StartNew();

        // Two at a time: each ffmpeg is single-threaded enough here, and CI machines have two cores.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, HostileCaptions.All.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (i, cancellationToken) =>
            {
                var hostile = HostileCaptions.All[i];
                var style = CaptionStyle.All[i % CaptionStyle.All.Count];
                var assPath = Path.Combine(scratch.Path, $"{i}.ass");
                await File.WriteAllTextAsync(assPath, CaptionTrack.BuildAss(Words(hostile), layout, style), cancellationToken);
                try
                {
                    await runner.RunAsync(LibassFrames.NullArguments(assPath, 180, 320), cancellationToken);
                    Interlocked.Increment(ref rendered);
                }
                catch (FfmpegException e) when (!e.TimedOut)
                {
                    failures.Add($"#{i} {HostileCaptions.Describe(hostile)}: {e.Message} {e.StandardErrorTail}");
                }
                catch (Exception e)
                {
                    problems.Add($"#{i} {HostileCaptions.Describe(hostile)}: {e.GetType().Name}: {e.Message}");
                }
            });

        output.WriteLine($"{HostileCaptions.All.Count} hostile captions: {rendered} rendered, {failures.Count} failed cleanly, {problems.Count} problems, in {stopwatch.Elapsed.TotalSeconds:0.0} s with 2 in parallel");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(problems.IsEmpty, "Hung or failed with something other than an FfmpegException:\n" + string.Join('\n', problems));
    }

    // Removes our own override blocks, then proves what is left is plain text: every brace escaped, every
    // backslash followed by an escaped brace or a WORD JOINER (so never \N, \n or \h), and nothing invisible that
    // could restructure the line.
    private static void AssertInert(string text, CaptionStyle style, string what)
    {
        var plain = FontSizeTag().Replace(text, string.Empty, 1)
            .Replace(CaptionTrack.ColourTag(style.HighlightColour), string.Empty, StringComparison.Ordinal)
            .Replace(CaptionTrack.ColourTag(style.PrimaryColour), string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < plain.Length; i++)
        {
            var c = plain[i];
            if (c == '\\')
            {
                var next = i + 1 < plain.Length ? plain[i + 1] : '\0';
                Assert.True(next is '{' or '}' or '\u2060', $"{what}: a backslash followed by '{next}' in: {text}");
                i += next is '{' or '}' ? 1 : 0;
                continue;
            }

            Assert.False(c is '{' or '}', $"{what}: an unescaped '{c}' at {i} in: {text}");
            Assert.False(char.IsControl(c), $"{what}: control character U+{(int)c:X4} in the text.");
            Assert.False(c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'), $"{what}: bidi control U+{(int)c:X4} in the text.");
            if (char.IsHighSurrogate(c))
            {
                Assert.True(i + 1 < plain.Length && char.IsLowSurrogate(plain[i + 1]), $"{what}: a lone high surrogate.");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(c), $"{what}: a lone low surrogate.");
            }
        }
    }

    [GeneratedRegex(@"^\d+:\d\d:\d\d\.\d\d\z")]
    private static partial Regex TimeStamp();

    [GeneratedRegex(@"^\{\\fs\d+\}")]
    private static partial Regex FontSizeTag();
}
