using ViralForge.Adapters.OpenAI;
using ViralForge.Core.Jobs;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The script writer's brief carries the sheet's own best performers when the analysis found them.</summary>
public sealed class ScriptPromptOwnPerformersTests
{
    private static readonly VideoRequest Row = new("Why cats purr", Platforms.YouTube, 30, "clean", "default", "en", null, [], "");

    [Fact]
    public void The_brief_names_the_hook_kind_that_held_this_sheets_viewers_longer_and_says_nothing_without_one()
    {
        var own = new OwnPerformers("your videos with question hooks held 20 % longer (59.0 % vs 49.0 % watched; 2 vs 3 videos)", HookKinds.Question, 59, 49, 20, 2, 3);
        var analysis = TrendAnalyzer.Empty("cats");

        var with = ScriptPrompt.Brief(Row, analysis with { OwnPerformers = own });
        var without = ScriptPrompt.Brief(Row, analysis);

        Assert.Contains("This sheet's own results: your videos with question hooks held 20 % longer (59.0 % vs 49.0 % watched; 2 vs 3 videos); prefer a question hook.", with, StringComparison.Ordinal);
        Assert.DoesNotContain("own results", without, StringComparison.Ordinal);
    }
}
