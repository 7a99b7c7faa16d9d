using ViralForge.Core.Ports;

namespace ViralForge.Adapters.YouTube;

/// <summary>What a snapshot is of: a chart (region and category) or a topic search (region and query).</summary>
public sealed record TrendSnapshotKey(string Source, string Region, string? Category, string? Query)
{
    public const string Chart = "youtube-chart";

    public const string Search = "youtube-search";

    public static TrendSnapshotKey ForChart(string region, string category) => new(Chart, region, category, null);

    public static TrendSnapshotKey ForSearch(string region, string query) => new(Search, region, null, query);

    /// <summary>The key as one string: the advisory lock's name, and what logs show.</summary>
    public override string ToString() => $"{Source}:{Region}:{Category ?? Query}";
}

/// <summary>What one read of YouTube gave: the videos, the quota units it cost, and why it is empty when it is.</summary>
public sealed record TakenTrends(IReadOnlyList<TrendVideo> Videos, int Units, string? Note = null);

/// <summary>A stored snapshot. <paramref name="TakenNow"/> says this call took it (spent quota); false means it was reused.</summary>
public sealed record TrendSnapshot(TrendSnapshotKey Key, DateTimeOffset TakenAt, IReadOnlyList<TrendVideo> Videos, int Units, string? Note, bool TakenNow);

/// <summary>The trend snapshots every job shares (sql/011_trend_snapshots.sql).</summary>
public interface ITrendSnapshots
{
    /// <summary>
    /// The newest snapshot of <paramref name="key"/> younger than <paramref name="maxAge"/>; otherwise runs
    /// <paramref name="take"/>, stores and returns what it took. Concurrent callers for one key, in any process, wait
    /// for each other, so only the first one takes: the rest find its snapshot. A take that throws stores nothing.
    /// </summary>
    Task<TrendSnapshot> GetOrTakeAsync(TrendSnapshotKey key, TimeSpan maxAge, Func<CancellationToken, Task<TakenTrends>> take, CancellationToken cancellationToken);

    /// <summary>The newest snapshot of <paramref name="key"/> at any age (what is left when the quota is spent), or null.</summary>
    Task<TrendSnapshot?> LatestAsync(TrendSnapshotKey key, CancellationToken cancellationToken);

    /// <summary>Deletes the snapshots taken before <paramref name="before"/> but the newest of each key; answers how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
