using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// Real trends from YouTube, shared by every job through <see cref="ITrendSnapshots"/>: the region's mostPopular charts
/// of the configured categories (kept warm by <see cref="YouTubeTrendsRefresher"/>) answer a topic their videos cover;
/// a topic none covers is searched once (search.list, 100 units) and that search is shared in turn. Shorts come first
/// (a duration of at most YouTube:ShortsMaxSeconds and the #shorts tag), then other short-form videos, as the videos
/// ViralForge makes are short. TikTok has no public trending endpoint for ordinary apps, so TikTok rows get the same
/// YouTube Shorts trends; a provider for TikTok's Research API can implement <see cref="ITrendsProvider"/> in its place.
/// </summary>
public sealed class YouTubeTrendsProvider(
    YouTubeTrendsClient client,
    ITrendSnapshots snapshots,
    IOptions<YouTubeTrendsOptions> options,
    ILogger<YouTubeTrendsProvider>? log = null) : ITrendsProvider
{
    /// <summary>The ledger call of a job's trend reads (each request gets its own suffix).</summary>
    public const string Call = "trends";

    private readonly YouTubeTrendsOptions settings = options.Value;
    private readonly ILogger log = log ?? NullLogger<YouTubeTrendsProvider>.Instance;

    public async Task<TrendSample> GetTrendingAsync(TrendQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.MaxResults, 1);
        var work = query.Work ?? new PaidWork(Guid.Empty, StageName.Trends, 1, Call);
        var region = query.RegionCode;
        var terms = TopicWords.Terms(query.Topic);
        var stems = terms.Select(t => t.Stem).ToList();

        // The charts first: one unit a page, and shared by every topic of the region.
        var charts = new List<TrendSnapshot>();
        YouTubeTrendsQuotaException? quota = null;
        foreach (var category in settings.Categories)
        {
            var key = TrendSnapshotKey.ForChart(region, category);
            try
            {
                charts.Add(await TakeAsync(key, ct => client.MostPopularAsync(region, category, work, ct), cancellationToken));
            }
            catch (YouTubeTrendsQuotaException e)
            {
                quota ??= e;
                if (await snapshots.LatestAsync(key, cancellationToken) is { } stale)
                {
                    log.StaleSnapshotUsed(key.ToString(), e.Message, stale.TakenAt);
                    charts.Add(stale);
                }
            }
        }

        var matched = charts
            .SelectMany(c => c.Videos)
            .DistinctBy(v => v.Id, StringComparer.Ordinal)
            .Select(v => (Video: v, Relevance: Relevance(v, stems)))
            .Where(x => x.Relevance > 0)
            .ToList();
        if (stems.Count > 0 && matched.Count >= settings.MinTopicMatches)
        {
            var chosen = Pick(matched, query.MaxResults, out var form);
            var words = terms.Where(t => chosen.Any(v => Words(v).Contains(t.Stem))).Select(t => t.Word).ToList();
            var newest = charts.Where(c => c.Videos.Count > 0).Max(c => c.TakenAt);
            var source = string.Create(CultureInfo.InvariantCulture,
                $"YouTube mostPopular {region}, categories {string.Join(", ", settings.Categories)}: {matched.Count} videos match '{query.Topic}'; {form}; charts {Reuse(charts)}, newest taken {newest.UtcDateTime:yyyy-MM-dd HH:mm} UTC{Stale(quota)}");
            return new TrendSample(string.Join(", ", words), source, chosen);
        }

        // No chart covers the topic: search it, once for every job with the same topic words.
        if (stems.Count == 0)
        {
            return new TrendSample(string.Empty, $"YouTube: '{query.Topic}' has no word to look for", []);
        }
        var searchKey = TrendSnapshotKey.ForSearch(region, string.Join(' ', stems));
        TrendSnapshot search;
        try
        {
            search = await TakeAsync(searchKey, ct => client.SearchAsync(query.Topic, region, shortForm: true, work, ct), cancellationToken);
        }
        catch (YouTubeTrendsQuotaException e)
        {
            if (await snapshots.LatestAsync(searchKey, cancellationToken) is not { } stale)
            {
                // Nothing stored to fall back on: the stage waits for the quota day rather than write without trends.
                throw new StageDeferredException(e.Message, e.Until);
            }
            log.StaleSnapshotUsed(searchKey.ToString(), e.Message, stale.TakenAt);
            search = stale;
            quota ??= e;
        }
        if (search.Videos.Count == 0)
        {
            return new TrendSample(string.Empty, $"YouTube search {region} '{query.Topic}': {search.Note ?? "no videos"}", []);
        }
        var found = Pick([.. search.Videos.Select(v => (v, Relevance: 1))], query.MaxResults, out var searchForm);
        var searched = string.Create(CultureInfo.InvariantCulture,
            $"YouTube search {region} '{query.Topic}' (no chart of {matched.Count} matching videos covered it): {search.Videos.Count} videos of the last {settings.SearchWindow.TotalDays:0} days by views; {searchForm}; {(search.TakenNow ? "searched now" : "search reused")}, taken {search.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC{Stale(quota)}");
        return new TrendSample(query.Topic.Trim(), searched, found);
    }

    /// <summary>Whether YouTube counts <paramref name="video"/> as a Short: at most <paramref name="maxSeconds"/> long and tagged #shorts (in its tags, title or description).</summary>
    public static bool IsShort(TrendVideo video, int maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(video);
        return IsShortForm(video, maxSeconds)
            && (video.Tags.Any(t => t.TrimStart('#').Equals("shorts", StringComparison.OrdinalIgnoreCase))
                || video.Title.Contains("#shorts", StringComparison.OrdinalIgnoreCase)
                || video.Description.Contains("#shorts", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>At most <paramref name="maxSeconds"/> long (a known duration): short-form, tagged or not.</summary>
    public static bool IsShortForm(TrendVideo video, int maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(video);
        return video.DurationSeconds > 0 && video.DurationSeconds <= maxSeconds;
    }

    private async Task<TrendSnapshot> TakeAsync(TrendSnapshotKey key, Func<CancellationToken, Task<TakenTrends>> take, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.GetOrTakeAsync(key, settings.TrendSnapshotMaxAge, take, cancellationToken);
        if (snapshot.TakenNow)
        {
            log.SnapshotTaken(key.ToString(), snapshot.Videos.Count, snapshot.Units);
        }
        return snapshot;
    }

    /// <summary>
    /// The Shorts when there are enough of them (MinTopicMatches), else the short-form videos, else all: most relevant
    /// first, then most viewed. <paramref name="form"/> says which, for the job's events.
    /// </summary>
    private List<TrendVideo> Pick(List<(TrendVideo Video, int Relevance)> candidates, int max, out string form)
    {
        var shorts = candidates.Where(c => IsShort(c.Video, settings.ShortsMaxSeconds)).ToList();
        var shortForm = candidates.Where(c => IsShortForm(c.Video, settings.ShortsMaxSeconds)).ToList();
        List<(TrendVideo Video, int Relevance)> chosen;
        if (shorts.Count >= Math.Min(settings.MinTopicMatches, candidates.Count))
        {
            chosen = shorts;
            form = $"{shorts.Count} Shorts";
        }
        else if (shortForm.Count >= Math.Min(settings.MinTopicMatches, candidates.Count))
        {
            chosen = shortForm;
            form = $"{shorts.Count} Shorts, so the {shortForm.Count} videos of at most {settings.ShortsMaxSeconds} s";
        }
        else
        {
            chosen = candidates;
            form = $"too few Shorts ({shorts.Count}), so videos of any length";
        }
        return chosen
            .OrderByDescending(c => c.Relevance)
            .ThenByDescending(c => c.Video.Views)
            .ThenBy(c => c.Video.Id, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.Video)
            .ToList();
    }

    /// <summary>How many of the topic's words the video's title and tags use.</summary>
    private static int Relevance(TrendVideo video, List<string> stems)
    {
        var words = Words(video);
        return stems.Count(words.Contains);
    }

    private static HashSet<string> Words(TrendVideo video) =>
        video.Tags.Append(video.Title).SelectMany(TopicWords.Stems).ToHashSet(StringComparer.Ordinal);

    private static string Reuse(List<TrendSnapshot> charts)
    {
        var taken = charts.Count(c => c.TakenNow);
        return taken == 0 ? $"{charts.Count} reused" : $"{taken} taken now, {charts.Count - taken} reused";
    }

    private static string Stale(YouTubeTrendsQuotaException? quota) =>
        quota is null ? "" : "; the quota is used up, so some stored trends are older than YouTube:TrendSnapshotMaxAge";
}
