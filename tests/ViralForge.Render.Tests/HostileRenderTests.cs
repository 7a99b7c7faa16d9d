using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Ports;
using ViralForge.Testing;
using ViralForge.Testing.Media;
using Xunit.Abstractions;

namespace ViralForge.Render.Tests;

public class HostileRenderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_hostile_string_as_a_caption_and_an_overlay_renders_through_the_renderer_or_fails_with_a_typed_error_in_time()
    {
        using var scratch = new TempFolder();
        var timeout = TimeSpan.FromSeconds(20);
        var options = MediaTesting.Options(240, 428, m => m.FfmpegTimeout = timeout);
        var renderer = new FfmpegRenderer(options, MediaTesting.Runner(options), TimeProvider.System, NullLogger<FfmpegRenderer>.Instance);
        var outcomes = new ConcurrentDictionary<int, string>();
        var slowest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();

        await Parallel.ForEachAsync(
            Enumerable.Range(0, HostileCaptions.All.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (i, cancellationToken) =>
            {
                var hostile = HostileCaptions.All[i];
                var plan = new RenderPlan
                {
                    Scenes = [new PlanScene { Visual = new PlanVisual { Color = "#202020" }, Duration = 1 }],
                    Captions = new PlanCaptions([new("Go", 0, 0.2), new(hostile, 0.2, 0.9), new("now.", 0.9, 1.0)]),
                    // Overlays hold at most 200 characters; longer text is cut so the overlay path still sees its start.
                    Overlays = [new PlanOverlay { Text = hostile.Length > RenderPlanValidator.MaxOverlayTextLength ? hostile[..RenderPlanValidator.MaxOverlayTextLength] : hostile }],
                    Output = OutputProfile.YouTubeShorts with { Width = 240, Height = 428 },
                };
                var started = Stopwatch.StartNew();
                try
                {
                    var result = await renderer.RenderAsync(plan, new RenderTargets(Path.Combine(scratch.Path, $"{i}.mp4")), cancellationToken);
                    outcomes[i] = result.DurationSeconds > 0.9 ? "rendered" : $"short video {result.DurationSeconds}";
                }
                catch (Exception e) when (e is RenderPlanException or FfmpegException)
                {
                    outcomes[i] = $"typed {e.GetType().Name}";
                }
                catch (Exception e)
                {
                    outcomes[i] = $"UNTYPED {e.GetType().Name}: {e.Message}";
                }

                lock (outcomes)
                {
                    slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
                }
            });

        output.WriteLine($"{HostileCaptions.All.Count} renders in {total.Elapsed.TotalSeconds:0.0} s, slowest {slowest.TotalSeconds:0.00} s; "
            + string.Join(", ", outcomes.Values.GroupBy(o => o).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.Equal(HostileCaptions.All.Count, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Value is "rendered" || o.Value.StartsWith("typed ", StringComparison.Ordinal), $"{HostileCaptions.Describe(HostileCaptions.All[o.Key])}: {o.Value}"));
        // Every string is valid caption text, so nearly all must render: a regression that refused them all would still be "typed".
        Assert.True(outcomes.Values.Count(o => o == "rendered") >= HostileCaptions.All.Count * 0.95, "Fewer than 95% of the hostile strings rendered.");
        Assert.True(slowest < timeout, $"A render took {slowest}, longer than the {timeout} timeout.");
    }
}
