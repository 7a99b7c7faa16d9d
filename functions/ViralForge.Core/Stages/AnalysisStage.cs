using ViralForge.Core.Jobs;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Stages;

/// <summary>Stage 2: what the trending videos have in common (pure computation over the trends output).</summary>
/// <param name="metrics">The sheet's read videos, for the own-performers signal; none leaves it out.</param>
public sealed class AnalysisStage(IVideoMetricsStore? metrics = null) : IStage
{
    public StageName Name => StageName.Analysis;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var sample = await context.GetOutputAsync<TrendSample>(StageName.Trends, cancellationToken);
        var analysis = TrendAnalyzer.Analyze(sample);
        var own = metrics is null ? null : OwnPerformance.From(await metrics.ListOwnVideosAsync(context.Job.SheetId, context.Job.Id, cancellationToken));
        analysis = analysis with { OwnPerformers = own };
        if (analysis.VideoCount == 0)
        {
            return StageResult.Completed(analysis, "no trends to analyse; the script is written without them");
        }
        var topHook = analysis.HookPatterns.FirstOrDefault()?.Kind ?? "none";
        return StageResult.Completed(analysis, $"median engagement {analysis.MedianEngagementRate:P1}, top hook {topHook}{(own is null ? "" : "; " + own.Line)}");
    }
}
