using Microsoft.Extensions.Options;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Stages;

/// <summary>Stage 1: what is trending now for the row's platform, topic and region.</summary>
public sealed class TrendsStage(ITrendsProvider trends, IOptions<ViralForgeOptions> options) : IStage
{
    public StageName Name => StageName.Trends;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var query = new TrendQuery(request.Platforms, request.Topic, request.Language, options.Value.RegionCode, MaxResults: 25);
        var sample = await trends.GetTrendingAsync(query, cancellationToken);
        if (sample.Videos.Count == 0)
        {
            throw new PermanentStageException($"No trending videos found for '{request.Topic}' ({sample.Source}).");
        }
        return StageResult.Completed(sample, $"{sample.Videos.Count} trending videos in {sample.Niche}");
    }
}
