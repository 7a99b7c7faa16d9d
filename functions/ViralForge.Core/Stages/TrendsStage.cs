using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Stage 1: what is trending now for the row's platform, topic and region.</summary>
public sealed class TrendsStage(ITrendsProvider trends, IOptions<ViralForgeOptions> options) : IStage
{
    /// <summary>What the job's events say when the provider has no trends for the row's topic.</summary>
    public const string NoTrendsForThisNiche = "no trends for this niche";

    public StageName Name => StageName.Trends;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var query = new TrendQuery(request.Platforms, request.Topic, request.Language, options.Value.RegionCode, MaxResults: 25);
        // A provider that could not look throws (and the queue retries or the row fails with its reason); one that
        // looked and found nothing answers an empty sample, and the script goes on without trends rather than with
        // another niche's. That is information for the job's events (this stage's completed event), not a shortfall
        // of the row, so it is not a note for the Error cell.
        var sample = await trends.GetTrendingAsync(query, cancellationToken);
        return sample.IsEmpty
            ? StageResult.Completed(sample, $"{NoTrendsForThisNiche} ({sample.Source})")
            : StageResult.Completed(sample, $"{sample.Videos.Count} trending videos in {sample.Niche}");
    }
}
