namespace ViralForge.Core.Jobs;

/// <summary>The eight pipeline stages, in order. The string values are stored in the database and shown in the sheet.</summary>
public enum StageName
{
    Trends,
    Analysis,
    Script,
    Visuals,
    Voice,
    Render,
    Review,
    Publish,
}

/// <summary>Order and wire names of the stages.</summary>
public static class StageOrder
{
    public static IReadOnlyList<StageName> InOrder { get; } = Enum.GetValues<StageName>();

    /// <summary>The stage after <paramref name="stage"/>, or null after publish.</summary>
    public static StageName? Next(StageName stage) =>
        stage == StageName.Publish ? null : stage + 1;

    /// <summary>The lower-case word used in URLs, the database and the sheet's Stage column.</summary>
    public static string Wire(this StageName stage) => stage.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out StageName stage) =>
        Enum.TryParse(text, ignoreCase: true, out stage) && Enum.IsDefined(stage);
}
