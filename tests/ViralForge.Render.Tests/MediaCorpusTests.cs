using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Ports;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

/// <summary>Issue 13's media corpus through the real renderer: each file renders upright, framed, bt709, on time, or fails with the typed error naming it.</summary>
public partial class MediaCorpusTests(ITestOutputHelper output)
{
    private const int Width = 360;
    private const int Height = 640;
    private const double SceneSeconds = 1.5;

    [Fact]
    public void The_corpus_has_at_least_thirty_files_with_distinct_names()
    {
        Assert.True(MediaCorpus.All.Count >= 30, $"The corpus has {MediaCorpus.All.Count} files.");
        Assert.Equal(MediaCorpus.All.Count, MediaCorpus.All.Select(c => c.FileName).Distinct().Count());
    }

    [Fact]
    public async Task Every_corpus_file_renders_into_a_one_scene_plan_or_fails_with_the_typed_error_naming_it()
    {
        var folder = await MediaCorpus.FolderAsync();
        using var scratch = new TempFolder();
        // The renderer's own timeout: a clip that hung ffmpeg would be killed and reported, never wait forever.
        var options = MediaTesting.Options(Width, Height, m => m.FfmpegTimeout = TimeSpan.FromSeconds(60));
        var runner = MediaTesting.Runner(options);
        var renderer = new FfmpegRenderer(options, runner, TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);
        var failures = new ConcurrentDictionary<string, string>();
        var outcomes = new ConcurrentDictionary<string, string>();

        await Parallel.ForEachAsync(MediaCorpus.All, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (clip, cancellationToken) =>
        {
            var video = Path.Combine(scratch.Path, Path.GetFileNameWithoutExtension(clip.FileName) + "-out.mp4");
            var plan = new RenderPlan
            {
                Assets = new Dictionary<string, PlanAsset> { ["beat-1"] = new(PlanAssetKind.Video, Path.Combine(folder, clip.FileName)) },
                Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "beat-1" }, Duration = SceneSeconds }],
                Output = OutputProfile.YouTubeShorts with { Width = Width, Height = Height },
            };
            try
            {
                await renderer.RenderAsync(plan, new RenderTargets(video), cancellationToken);
                var problems = await CheckRenderAsync(runner, clip, video, scratch.Path);
                if (clip.FailsWith is not null)
                {
                    problems.Insert(0, $"rendered, but it should have failed with '{clip.FailsWith}'");
                }

                outcomes[clip.Name] = "rendered";
                if (problems.Count > 0)
                {
                    failures[clip.Name] = string.Join("; ", problems);
                }
            }
            catch (UnusableClipException e)
            {
                outcomes[clip.Name] = $"refused: {e.Reason}";
                var problems = new List<string>();
                if (clip.FailsWith is null)
                {
                    problems.Add($"should have rendered: {e.Message}");
                }
                else if (!e.Reason.Contains(clip.FailsWith, StringComparison.Ordinal))
                {
                    problems.Add($"the reason '{e.Reason}' does not say '{clip.FailsWith}'");
                }

                if (e.AssetId != "beat-1" || e.FileName != clip.FileName || !e.Message.Contains("beat-1", StringComparison.Ordinal) || !e.Message.Contains(clip.FileName, StringComparison.Ordinal))
                {
                    problems.Add($"the error does not name the asset and its file: {e.Message}");
                }

                if (e.Message.Contains('\n', StringComparison.Ordinal) || e.Message.Contains(" at ", StringComparison.Ordinal))
                {
                    problems.Add($"the message is not one line: {e.Message}");
                }

                if (File.Exists(video))
                {
                    problems.Add("a refused clip left a video behind");
                }

                if (problems.Count > 0)
                {
                    failures[clip.Name] = string.Join("; ", problems);
                }
            }
            catch (Exception e)
            {
                outcomes[clip.Name] = $"UNTYPED {e.GetType().Name}";
                failures[clip.Name] = $"{e.GetType().Name}: {e.Message}";
            }
        });

        foreach (var clip in MediaCorpus.All)
        {
            output.WriteLine($"{clip}: {outcomes.GetValueOrDefault(clip.Name, "no outcome")}");
        }

        Assert.Equal(MediaCorpus.All.Count, outcomes.Count);
        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Select(f => $"{f.Key}: {f.Value}")));
        // Most of the corpus is real footage that must render; a renderer that refused everything would fail above, and here.
        Assert.True(outcomes.Values.Count(o => o == "rendered") >= 28, "Fewer than 28 corpus files rendered.");
    }

    /// <summary>Everything wrong with one rendered corpus video; empty when it is right.</summary>
    private static async Task<List<string>> CheckRenderAsync(FfmpegRunner runner, CorpusClip clip, string video, string scratch)
    {
        var problems = new List<string>();
        var probe = await runner.ProbeAsync(video, CancellationToken.None);
        if ((probe.Width, probe.Height) != (Width, Height))
        {
            problems.Add($"frame {probe.Width}x{probe.Height}, not the plan's {Width}x{Height}");
        }

        if (probe.PixelFormat != "yuv420p")
        {
            problems.Add($"pixel format {probe.PixelFormat}");
        }

        if ((probe.ColorSpace, probe.ColorPrimaries, probe.ColorTransfer) != ("bt709", "bt709", "bt709"))
        {
            problems.Add($"colour tags {probe.ColorSpace}/{probe.ColorPrimaries}/{probe.ColorTransfer}, not bt709");
        }

        if (Math.Abs(probe.DurationSeconds - SceneSeconds) > 0.1)
        {
            problems.Add($"{probe.DurationSeconds:0.000} s long, not the scene's {SceneSeconds} s");
        }

        if (Math.Abs(probe.FrameRate - 30) > 0.01 || Math.Abs(probe.AverageFrameRate - 30) > 0.01)
        {
            problems.Add($"{probe.FrameRate}/{probe.AverageFrameRate} fps, not conformed to 30");
        }

        // Upright and filled: red over blue as displayed, near the start and near the end (past any loop point). A sideways
        // picture cut to the frame shows red and blue side by side (about half of each region); 80% leaves room for the noisy file.
        foreach (var at in new[] { 0.2, 1.3 })
        {
            var rgb = await MediaTesting.FrameRgbAsync(runner, video, at, scratch);
            var area = (Width * 6 / 10) * (Height * 3 / 10);
            var redTop = MediaTesting.CountPixels(rgb, Width, Width * 2 / 10, Height / 10, Width * 8 / 10, Height * 4 / 10, (r, _, b) => r > b + 60);
            var blueBottom = MediaTesting.CountPixels(rgb, Width, Width * 2 / 10, Height * 6 / 10, Width * 8 / 10, Height * 9 / 10, (r, _, b) => b > r + 60);
            if (redTop < area * 0.8 || blueBottom < area * 0.8)
            {
                problems.Add($"at {at} s the top is {100 * redTop / area}% red and the bottom {100 * blueBottom / area}% blue (sideways, upside down or off colour)");
            }
        }

        if (clip.MarkerPixels is { } expected)
        {
            var rgb = await MediaTesting.FrameRgbAsync(runner, video, 0.5, scratch);
            var green = MediaTesting.CountPixels(rgb, Width, 0, Height / 2, Width, (Height / 2) + 1, (r, g, b) => g > r + 60 && g > b + 60);
            if (Math.Abs(green - expected) > expected / 8)
            {
                problems.Add($"the marker is {green} px wide, not {expected} (squeezed or stretched)");
            }
        }

        if (clip.HasOwnAudio)
        {
            // The clip's own sound is not the soundtrack: with no narration or music the render is silent.
            var run = await runner.RunAsync([.. FfmpegRunner.ReportingArguments, "-i", video, "-map", "0:a", "-af", "volumedetect", "-f", "null", "-"], CancellationToken.None);
            var peak = MaxVolume().Match(run.StandardErrorTail);
            if (!peak.Success || (peak.Groups[1].Value != "-inf" && double.Parse(peak.Groups[1].Value, CultureInfo.InvariantCulture) > -60))
            {
                problems.Add($"the clip's own sound reached the video (max_volume {(peak.Success ? peak.Groups[1].Value : "not reported")})");
            }
        }

        return problems;
    }

    [GeneratedRegex(@"max_volume: (-inf|-?[0-9.]+) dB")]
    private static partial Regex MaxVolume();
}
