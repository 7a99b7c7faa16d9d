using System.Globalization;
using System.Text.Json;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Local;

/// <summary>The offline trends provider: picks the niche of a bundled videos.list sample that best fits the row's topic.</summary>
/// <remarks>
/// The bundled sample (Local/Data/trending-sample.json) is synthetic metadata we wrote in the exact
/// videos.list format; ids, channels and counts are made up. In it, a video's first tag names its niche.
/// Region, language and platform are not applied offline: the sample is one English, US-style chart.
/// </remarks>
public sealed class SampleTrendsProvider : ITrendsProvider
{
    /// <summary>Where the bundled sample lives among the assembly's resources.</summary>
    public const string ResourceName = "data/trending-sample.json";

    private const double Epsilon = 1e-9;

    private readonly List<Niche> niches;

    /// <summary>Uses the sample bundled with the assembly.</summary>
    public SampleTrendsProvider()
        : this(LoadBundledSample())
    {
    }

    /// <summary>Uses <paramref name="sample"/>, whose videos each name their niche in their first tag.</summary>
    public SampleTrendsProvider(VideoListResponse sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var videos = sample.Items.Select(ToSampleVideo).ToList();
        if (videos.Count == 0)
        {
            throw new ArgumentException("The trend sample has no videos.", nameof(sample));
        }
        niches = videos
            .GroupBy(v => v.Niche, StringComparer.Ordinal)
            .Select(g => new Niche(g.Key, g.ToList()))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        Videos = videos.Select(v => v.Video).ToList();
    }

    /// <summary>Every video of the sample, in file order.</summary>
    public IReadOnlyList<TrendVideo> Videos { get; }

    /// <summary>The niches the sample covers, in ordinal order.</summary>
    public IReadOnlyList<string> Niches => niches.Select(n => n.Name).ToList();

    /// <summary>Reads and parses the sample embedded in this assembly.</summary>
    public static VideoListResponse LoadBundledSample()
    {
        using var stream = typeof(SampleTrendsProvider).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(SampleTrendsProvider).Assembly.GetName().Name}.");
        return JsonSerializer.Deserialize(stream, YouTubeJsonContext.Default.VideoListResponse)
            ?? throw new InvalidDataException($"The embedded resource '{ResourceName}' holds JSON null instead of a videos.list response.");
    }

    /// <summary>Up to query.MaxResults videos of the niche that best matches the topic, most relevant first, then most viewed; none when no niche matches.</summary>
    /// <remarks>
    /// A niche's score sums, over the topic's words, the share of its videos whose tags or title contain
    /// the word (so big and small niches compete on equal terms), weighted by ln(1 + niches / niches
    /// using the word) so that a word every niche uses decides little. A tie goes to the tied niche with the
    /// highest pooled engagement, and Source says so. No match gives an empty sample (no niche, no videos):
    /// the sample has nothing for the topic, and borrowing another niche's trends would put that niche in its script.
    /// </remarks>
    public Task<TrendSample> GetTrendingAsync(TrendQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.MaxResults, 1);
        cancellationToken.ThrowIfCancellationRequested();

        var terms = TopicWords.Terms(query.Topic);
        var topicWords = terms.Select(t => t.Stem).ToList();
        var weights = topicWords.Select(Weight).ToList();
        var scored = niches
            .Select(n => (niche: n, score: topicWords.Select((w, i) => weights[i] * n.Share(w)).Sum()))
            .ToList();
        var best = scored.Max(s => s.score);
        var leaders = scored.Where(s => best - s.score < Epsilon).Select(s => s.niche).ToList();

        Niche chosen;
        string source;
        if (best < Epsilon)
        {
            // Another niche's trends would put its words and tags into this topic's video (a houseplant video
            // tagged #pets), so a topic the sample does not cover gets none.
            return Task.FromResult(new TrendSample(string.Empty, $"bundled sample; no niche of {Niches.Count} ({string.Join(", ", Niches)}) matched '{query.Topic}'", []));
        }
        if (leaders.Count > 1)
        {
            chosen = MostEngaging(leaders);
            var tied = string.Join(", ", leaders.Select(n => $"'{n.Name}'"));
            source = $"bundled sample; '{query.Topic}' matched {tied} equally, using '{chosen.Name}' (highest engagement)";
        }
        else
        {
            chosen = leaders[0];
            var matched = terms.Where(t => chosen.Share(t.Stem) > 0).Select(t => t.Word);
            source = string.Create(
                CultureInfo.InvariantCulture,
                $"bundled sample; niche '{chosen.Name}' matched '{query.Topic}' on {string.Join(", ", matched)} (score {best:0.00})");
        }

        var videos = chosen.Videos
            .Select(v => (v.Video, relevance: topicWords.Count(v.Words.Contains)))
            .OrderByDescending(x => x.relevance)
            .ThenByDescending(x => x.Video.Views)
            .ThenBy(x => x.Video.Id, StringComparer.Ordinal)
            .Take(query.MaxResults)
            .Select(x => x.Video)
            .ToList();
        return Task.FromResult(new TrendSample(chosen.Name, source, videos));
    }

    /// <summary>How much a word says about a niche: words that many niches use ("budget") count less than rare ones ("keyboard").</summary>
    private double Weight(string word)
    {
        var nichesUsing = niches.Count(n => n.Share(word) > 0);
        return nichesUsing == 0 ? 0 : Math.Log(1 + niches.Count / (double)nichesUsing);
    }

    private static Niche MostEngaging(IEnumerable<Niche> candidates) =>
        candidates.OrderByDescending(n => n.Engagement).ThenBy(n => n.Name, StringComparer.Ordinal).First();

    private static SampleVideo ToSampleVideo(VideoResource resource)
    {
        var video = resource.ToTrendVideo();
        var niche = video.Tags.Count > 0 ? video.Tags[0].Trim().ToLowerInvariant() : string.Empty;
        if (niche.Length == 0)
        {
            throw new InvalidDataException($"Sample video '{video.Id}' has no first tag; in the sample the first tag names the niche.");
        }
        var words = video.Tags.Append(video.Title).SelectMany(TopicWords.Stems).ToHashSet(StringComparer.Ordinal);
        return new SampleVideo(niche, video, words);
    }

    private sealed record SampleVideo(string Niche, TrendVideo Video, HashSet<string> Words);

    private sealed record Niche(string Name, List<SampleVideo> Videos)
    {
        /// <summary>The share of this niche's videos whose tags or title contain <paramref name="word"/>.</summary>
        public double Share(string word) => Videos.Count(v => v.Words.Contains(word)) / (double)Videos.Count;

        // Pooled rather than averaged per video, so a few small videos with odd ratios do not decide it.
        public double Engagement { get; } =
            Videos.Sum(v => v.Video.Views) is var views and > 0
                ? Videos.Sum(v => (double)(v.Video.Likes + v.Video.Comments)) / views
                : 0;
    }
}
