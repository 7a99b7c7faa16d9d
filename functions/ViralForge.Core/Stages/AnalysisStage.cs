using ViralForge.Core.Jobs;
using ViralForge.Core.Metrics;
using ViralForge.Core.Ports;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Stages;

/// <summary>
/// Stage 2: what the trending videos have in common. The statistics are pure computation over the trends output; with
/// an insight writer (ViralForge:Analysis:Insight) a language model adds what the top videos share and three hook lines
/// in the row's language. The insight is a bonus: when it fails the stage completes with the statistics and a note.
/// </summary>
/// <param name="insight">The insight writer; none (a host without one, the offline profile) gives the statistics alone.</param>
/// <param name="metrics">The sheet's read videos, for the own-performers signal; none leaves it out.</param>
public sealed class AnalysisStage(ITrendInsightWriter? insight = null, IVideoMetricsStore? metrics = null) : IStage
{
    /// <summary>The ledger's name for the insight call of an analysis attempt.</summary>
    public const string InsightCall = "insight";

    public StageName Name => StageName.Analysis;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sample = await context.GetOutputAsync<TrendSample>(StageName.Trends, cancellationToken);
        var analysis = TrendAnalyzer.Analyze(sample);
        var own = metrics is null ? null : OwnPerformance.From(await metrics.ListOwnVideosAsync(context.Job.SheetId, context.Job.Id, cancellationToken));
        analysis = analysis with { OwnPerformers = own };
        if (analysis.VideoCount == 0)
        {
            return StageResult.Completed(analysis, "no trends to analyse; the script is written without them");
        }
        var topHook = analysis.HookPatterns.FirstOrDefault()?.Kind ?? "none";
        var summary = $"median engagement {analysis.MedianEngagementRate:P1}, top hook {topHook}{(own is null ? "" : "; " + own.Line)}";

        var (found, problem) = await InsightAsync(context, sample, cancellationToken);
        if (problem is not null)
        {
            await context.NoteAsync([problem], cancellationToken);
            return StageResult.Completed(analysis, $"{summary}; statistics only ({problem})");
        }
        return found is null
            ? StageResult.Completed(analysis, summary)
            : StageResult.Completed(analysis with { Insight = found }, $"{summary}; insight by {found.Source}: {found.HookLines.Count} hook lines");
    }

    /// <summary>The sample's most-viewed videos, the most viewed first (title order breaks ties, as for the top titles).</summary>
    public static IReadOnlyList<TrendVideo> TopVideos(TrendSample sample, int count = ITrendInsightWriter.MaxVideos)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return [.. sample.Videos.OrderByDescending(v => v.Views).ThenBy(v => v.Title, StringComparer.Ordinal).Take(count)];
    }

    /// <summary>The insight, or none; when the writer failed, the note that says so instead.</summary>
    private async Task<(TrendInsight? Insight, string? Problem)> InsightAsync(StageContext context, TrendSample sample, CancellationToken cancellationToken)
    {
        if (insight is null)
        {
            return (null, null);
        }
        var request = new InsightRequest(sample.Niche, context.Request.Topic, context.Request.Language, TopVideos(sample));
        // Keyed by the attempt's generation, as the script's calls are: a redelivery reuses the paid answer.
        var work = new PaidWork(context.Job.Id, StageName.Analysis, context.Generation, InsightCall);
        try
        {
            return (await insight.WriteAsync(request, work, cancellationToken), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Deliberately not retried by the queue: the writer has made its own safe retries, the insight is optional,
            // and the statistics are enough to write a script. The reason goes into the job's events, not lost.
            return (null, $"no trend insight ({e.Message.TrimEnd('.')}); the script is written from the statistics alone");
        }
    }
}
