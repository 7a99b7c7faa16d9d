namespace ViralForge.Core.Trends;

/// <summary>How often a kind of opening appears in trending titles, with an example.</summary>
public sealed record HookPattern(string Kind, int Count, double Share, string Example);

/// <summary>A tag and how many of the trending videos carry it.</summary>
public sealed record TagCount(string Tag, int Count);

/// <summary>What the trending videos have in common: the analysis stage's output.</summary>
/// <param name="MedianEngagementRate">(likes + comments) / views, median over the sample.</param>
/// <param name="Insight">What a language model read in the top videos, when the insight is on and it answered; null otherwise.</param>
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
    TrendInsight? Insight = null,
    OwnPerformers? OwnPerformers = null);

/// <summary>
/// What a language model says the top trending videos have in common, and opening lines for the row's video in the
/// row's language (ITrendInsightWriter). Stored with the analysis, so a redelivered or later stage never asks again.
/// </summary>
/// <param name="Common">A few short lines, in English, on what the top videos share (openings, length, format, tone).</param>
/// <param name="HookLines">Exactly three opening lines for the row's video, in <paramref name="Language"/>.</param>
/// <param name="Language">The row's language tag the hook lines were asked in (en, es, pt-BR).</param>
/// <param name="Source">Who wrote it ("openai gpt-5.4-mini"), for the job's record.</param>
/// <param name="VideoCount">How many of the top videos the model was shown.</param>
public sealed record TrendInsight(IReadOnlyList<string> Common, IReadOnlyList<string> HookLines, string Language, string Source, int VideoCount);
