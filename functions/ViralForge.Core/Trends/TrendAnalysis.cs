namespace ViralForge.Core.Trends;

/// <summary>How often a kind of opening appears in trending titles, with an example.</summary>
public sealed record HookPattern(string Kind, int Count, double Share, string Example);

/// <summary>A tag and how many of the trending videos carry it.</summary>
public sealed record TagCount(string Tag, int Count);

/// <summary>What the trending videos have in common: the analysis stage's output.</summary>
/// <param name="MedianEngagementRate">(likes + comments) / views, median over the sample.</param>
/// <param name="OwnPerformers">The sheet's own published videos: which hook kind held viewers longest (OwnPerformance); null until enough are read.</param>
public sealed record TrendAnalysis(
    string Niche,
    int VideoCount,
    double MedianEngagementRate,
    double MeanEngagementRate,
    double MedianDurationSeconds,
    double P25DurationSeconds,
    double P75DurationSeconds,
    IReadOnlyList<HookPattern> HookPatterns,
    IReadOnlyList<TagCount> TopTags,
    IReadOnlyList<string> TopTitles,
    OwnPerformers? OwnPerformers = null);
