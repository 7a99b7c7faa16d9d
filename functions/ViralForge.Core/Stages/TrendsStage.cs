using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Stage 1: what is trending now for the row's platform, topic and region.</summary>
public sealed class TrendsStage(ITrendsProvider trends, IOptions<ViralForgeOptions> options) : IStage
{
    /// <summary>What the job's events say when the provider has no trends for the row's topic.</summary>
    public const string NoTrendsForThisNiche = "no trends for this niche";

    /// <summary>What the job's events say for a TikTok row: its trends are YouTube's (docs/PROVIDERS.md, Trends).</summary>
    public const string TikTokNote =
        "TikTok has no public trending endpoint for ordinary apps (its Research API is for approved researchers), so YouTube Shorts trends stand in for TikTok";

    /// <summary>The ledger call name of the stage's quota-counted reads.</summary>
    public const string TrendsCall = "trends";

    public StageName Name => StageName.Trends;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var work = new PaidWork(context.Job.Id, StageName.Trends, context.Generation, TrendsCall);
        var query = new TrendQuery(request.Platforms, request.Topic, request.Language, options.Value.RegionCode, MaxResults: 25, work);
        // A provider that could not look throws (and the queue retries or the row fails with its reason); one that
        // looked and found nothing answers an empty sample, and the script goes on without trends rather than with
        // another niche's. That is information for the job's events (this stage's completed event), not a shortfall
        // of the row, so it is not a note for the Error cell. The same holds for TikTok's missing trend endpoint.
        var sample = await trends.GetTrendingAsync(query, cancellationToken);
        var summary = sample.IsEmpty
            ? $"{NoTrendsForThisNiche} ({sample.Source})"
            : $"{sample.Videos.Count} trending videos in {sample.Niche} ({sample.Source})";
        if (request.Platforms.HasFlag(Platforms.TikTok))
        {
            summary += $"; {TikTokNote}";
        }
        return StageResult.Completed(sample, summary);
    }
}
