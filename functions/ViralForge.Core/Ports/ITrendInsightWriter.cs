using ViralForge.Core.Trends;

namespace ViralForge.Core.Ports;

/// <summary>What the insight writer is shown: the row's topic and language, and the top trending videos of its niche.</summary>
/// <param name="Niche">The niche the trends were chosen for.</param>
/// <param name="Topic">The row's topic, which the hook lines open.</param>
/// <param name="Language">The row's BCP 47 language tag: the hook lines are written in it.</param>
/// <param name="TopVideos">The most-viewed videos of the sample, most viewed first (at most <see cref="ITrendInsightWriter.MaxVideos"/>).</param>
public sealed record InsightRequest(string Niche, string Topic, string Language, IReadOnlyList<TrendVideo> TopVideos);

/// <summary>
/// The analysis stage's optional reading of the top trending videos by a language model: what they have in common and
/// three hook lines in the row's language. Offline it gives nothing (no canned text passes for insight); in production
/// an LLM with Structured Outputs, each call in the cost ledger.
/// </summary>
public interface ITrendInsightWriter
{
    /// <summary>How many of the sample's videos, most viewed first, the writer is shown.</summary>
    const int MaxVideos = 10;

    /// <summary>
    /// The insight, or null when this writer gives none. A paying writer looks <paramref name="work"/> up in the
    /// <see cref="ICostLedger"/> first and records its call after, so a redelivery reuses the answer it paid for. A call
    /// that fails throws (a <see cref="Stages.PermanentStageException"/> or a transient one, after the writer's own
    /// retries); the analysis stage then goes on with the statistics alone.
    /// </summary>
    Task<TrendInsight?> WriteAsync(InsightRequest request, PaidWork? work, CancellationToken cancellationToken);
}

/// <summary>The offline insight writer: no model, so no insight; the analysis is the statistics alone.</summary>
public sealed class NoTrendInsightWriter : ITrendInsightWriter
{
    public Task<TrendInsight?> WriteAsync(InsightRequest request, PaidWork? work, CancellationToken cancellationToken) =>
        Task.FromResult<TrendInsight?>(null);
}
