using System.Globalization;
using ViralForge.Core.Metrics;

namespace ViralForge.Core.Trends;

/// <summary>
/// The sheet's own best performers, as a signal for the next script: which kind of hook held the sheet's published
/// videos' viewers longest, against the rest of them.
/// </summary>
/// <param name="Line">What the analysis says: "your videos with question hooks held 18 % longer (52.0 % vs 44.0 % watched; 3 vs 4 videos)".</param>
/// <param name="HookKind">The best kind (<see cref="HookKinds"/>).</param>
/// <param name="AverageViewPercentage">The best kind's videos' mean average view percentage (0-100).</param>
/// <param name="OthersAverageViewPercentage">The other videos' mean.</param>
/// <param name="PercentLonger">How much longer the best kind held, in percent of the others' figure.</param>
public sealed record OwnPerformers(
    string Line,
    string HookKind,
    double AverageViewPercentage,
    double OthersAverageViewPercentage,
    int PercentLonger,
    int Videos,
    int OtherVideos);

/// <summary>Computes <see cref="OwnPerformers"/> from the sheet's read videos (video_metrics through <see cref="IVideoMetricsStore"/>).</summary>
public static class OwnPerformance
{
    /// <summary>A kind needs this many videos, and so do the others, before a difference is worth saying.</summary>
    public const int MinVideosPerSide = 2;

    /// <summary>
    /// The hook kind whose videos held viewers longest (mean of each video's average view percentage, a video on two
    /// platforms counted once with the mean of its reads) against every other video of the sheet; null when the sheet
    /// has too few read videos on either side, or the best kind did not hold them longer.
    /// </summary>
    public static OwnPerformers? From(IReadOnlyList<OwnVideo> videos, int minVideosPerSide = MinVideosPerSide)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var perJob = videos
            .Where(v => double.IsFinite(v.AverageViewPercentage) && v.AverageViewPercentage >= 0)
            .GroupBy(v => v.JobId)
            .Select(g => (Kind: g.First().HookKind, Percent: g.Average(v => v.AverageViewPercentage)))
            .ToList();
        OwnPerformers? best = null;
        foreach (var kind in perJob.GroupBy(v => v.Kind, StringComparer.Ordinal))
        {
            var others = perJob.Where(v => v.Kind != kind.Key).ToList();
            if (kind.Count() < minVideosPerSide || others.Count < minVideosPerSide)
            {
                continue;
            }
            var mean = kind.Average(v => v.Percent);
            var othersMean = others.Average(v => v.Percent);
            if (othersMean <= 0 || mean <= othersMean)
            {
                continue;
            }
            var longer = (int)Math.Round((mean / othersMean - 1) * 100, MidpointRounding.AwayFromZero);
            if (longer < 1 || (best is not null && mean <= best.AverageViewPercentage))
            {
                continue;
            }
            var line = string.Create(CultureInfo.InvariantCulture,
                $"your videos with {kind.Key.Replace('-', ' ')} hooks held {longer} % longer ({mean:0.0} % vs {othersMean:0.0} % watched; {kind.Count()} vs {others.Count} videos)");
            best = new OwnPerformers(line, kind.Key, mean, othersMean, longer, kind.Count(), others.Count);
        }
        return best;
    }
}
