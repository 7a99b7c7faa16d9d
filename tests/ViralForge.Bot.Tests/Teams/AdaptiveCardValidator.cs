using ViralForge.Testing;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>Runs eng/validate-adaptive-cards (the adaptivecards reference parser, pinned by its package-lock) over card files.</summary>
public static class AdaptiveCardValidator
{
    private static readonly NodeTool Tool = new("validate-adaptive-cards", "adaptivecards");

    public static Task<(int ExitCode, string Output)> ValidateAsync(params string[] files) =>
        Tool.RunAsync("validate-adaptive-cards.js", files);
}
