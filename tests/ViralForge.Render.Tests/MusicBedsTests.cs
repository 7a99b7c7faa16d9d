using System.Globalization;
using ViralForge.Core.Jobs;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

public class MusicBedsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_mood_is_a_seamless_16_second_stereo_bed_with_its_own_brightness()
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        var centroids = new Dictionary<string, double>();
        foreach (var mood in VideoChoices.MusicMoods)
        {
            var bed = await MusicBeds.EnsureAsync(runner, mood, scratch.Path, CancellationToken.None);

            var probe = await runner.ProbeAsync(bed, CancellationToken.None);
            Assert.Equal((48000, 2), (probe.AudioSampleRate, probe.AudioChannels));
            Assert.InRange(probe.DurationSeconds, MusicBeds.LoopSeconds - 0.05, MusicBeds.LoopSeconds + 0.05);
            centroids[mood] = await SpectralCentroidAsync(runner, bed, scratch.Path);
        }

        output.WriteLine(string.Join(", ", centroids.Select(c => $"{c.Key} {c.Value:0} Hz")));
        // Mood is heard as register and timbre: every pair of beds differs in spectral centroid by a third or more.
        foreach (var a in centroids)
        {
            foreach (var b in centroids.Where(b => string.CompareOrdinal(a.Key, b.Key) < 0))
            {
                var ratio = Math.Max(a.Value, b.Value) / Math.Min(a.Value, b.Value);
                Assert.True(ratio >= 1.33, $"{a.Key} ({a.Value:0} Hz) and {b.Key} ({b.Value:0} Hz) sound too alike");
            }
        }
    }

    [Fact]
    public async Task A_bed_is_made_once_and_then_reused()
    {
        using var scratch = new TempFolder();
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        var first = await MusicBeds.EnsureAsync(runner, "calm", scratch.Path, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(first);

        var second = await MusicBeds.EnsureAsync(runner, "calm", scratch.Path, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
        Assert.Equal([Path.GetFileName(first)], Directory.GetFiles(scratch.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_unknown_mood_is_refused_with_the_moods_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() => MusicBeds.Arguments("jazzy", "/tmp/x.wav"));

        Assert.Contains("'jazzy' is not a bundled music mood; use one of calm, upbeat, dramatic, playful.", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The mean spectral centroid (Hz) of the first channel over the file, from ffmpeg's aspectralstats.</summary>
    private static async Task<double> SpectralCentroidAsync(FfmpegRunner runner, string path, string scratch)
    {
        var stats = Path.Combine(scratch, $"stats-{Guid.NewGuid():N}.txt");
        await runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-i", path, "-af", $"aspectralstats=win_size=4096,ametadata=mode=print:file={FilterGraph.Value(stats)}", "-f", "null", "-"],
            CancellationToken.None);
        var values = File.ReadLines(stats)
            .Where(l => l.StartsWith("lavfi.aspectralstats.1.centroid=", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture))
            .Where(double.IsFinite)
            .ToList();
        Assert.NotEmpty(values);
        return values.Average();
    }
}
