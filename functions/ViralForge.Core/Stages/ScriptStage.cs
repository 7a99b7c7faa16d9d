using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Stages;

/// <summary>Stage 3: hook, beats and call to action, fitted to the row's duration.</summary>
public sealed class ScriptStage(IScriptWriter writer) : IStage
{
    public StageName Name => StageName.Script;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var analysis = await context.GetOutputAsync<TrendAnalysis>(StageName.Analysis, cancellationToken);
        var script = await writer.WriteAsync(context.Request, analysis, cancellationToken);
        if (script.Beats.Count == 0)
        {
            throw new PermanentStageException("The script writer returned no beats.");
        }
        return StageResult.Completed(script, $"{script.Beats.Count} beats, about {script.EstimatedSeconds:0} s");
    }
}
