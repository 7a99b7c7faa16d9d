using System.Text.Json;
using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Local;

public sealed class SampleTrendsProviderTests
{
    private static readonly SampleTrendsProvider Provider = new();

    [Fact]
    public void Bundled_sample_is_a_videos_list_response_with_string_counts()
    {
        var sample = SampleTrendsProvider.LoadBundledSample();

        Assert.Equal("youtube#videoListResponse", sample.Kind);
        Assert.False(string.IsNullOrWhiteSpace(sample.Etag));
        Assert.Equal(sample.Items.Count, sample.PageInfo.TotalResults);
        Assert.True(sample.Items.Count >= 50, $"only {sample.Items.Count} videos");
        Assert.Equal(sample.Items.Count, sample.Items.Select(v => v.Id).Distinct().Count());
        Assert.All(sample.Items, video =>
        {
            Assert.Equal("youtube#video", video.Kind);
            Assert.NotNull(video.Snippet);
            Assert.NotNull(video.Snippet.Thumbnails);
            Assert.Contains("default", video.Snippet.Thumbnails.Keys);
            Assert.NotNull(video.ContentDetails);
            Assert.NotNull(video.Statistics);
            Assert.True(video.Statistics.ViewCount > 0);
            Assert.True(video.Statistics.LikeCount < video.Statistics.ViewCount);
            Assert.True(video.Statistics.CommentCount < video.Statistics.LikeCount);
        });

        // The API sends counts as strings; the records read and write them that way.
        using var stream = typeof(SampleTrendsProvider).Assembly.GetManifestResourceStream(SampleTrendsProvider.ResourceName)!;
        using var document = JsonDocument.Parse(stream);
        var statistics = document.RootElement.GetProperty("items")[0].GetProperty("statistics");
        Assert.Equal(JsonValueKind.String, statistics.GetProperty("viewCount").ValueKind);
        var written = JsonSerializer.Serialize(sample, YouTubeJsonContext.Default.VideoListResponse);
        Assert.Contains($"\"viewCount\":\"{sample.Items[0].Statistics!.ViewCount}\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_covers_at_least_six_niches_of_mostly_short_form_videos()
    {
        Assert.True(Provider.Niches.Count >= 6, string.Join(", ", Provider.Niches));
        Assert.True(Provider.Videos.Count >= 50);
        var shortForm = Provider.Videos.Count(v => v.DurationSeconds is >= 12 and <= 90);
        Assert.True(shortForm >= Provider.Videos.Count * 0.9, $"{shortForm} of {Provider.Videos.Count} are 12-90 s");
        Assert.All(Provider.Videos, v => Assert.Contains(v.Tags[0], Provider.Niches, StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Home workout for beginners", "fitness")]
    [InlineData("Building glutes with squats", "fitness")]
    [InlineData("Quick pasta dinner recipes", "cooking")]
    [InlineData("Meal prep for busy people", "cooking")]
    [InlineData("Paying off credit card debt", "personal finance")]
    [InlineData("Best budget mechanical keyboard", "tech")]
    [InlineData("Cheap flights to Portugal", "travel")]
    [InlineData("Morning routine for deep focus", "productivity")]
    [InlineData("Training my puppy to walk on a leash", "pets")]
    public async Task Topic_picks_the_niche_whose_tags_and_titles_it_shares(string topic, string niche)
    {
        var sample = await Provider.GetTrendingAsync(Query(topic), CancellationToken.None);

        Assert.Equal(niche, sample.Niche);
        Assert.StartsWith("bundled sample; niche '" + niche + "' matched", sample.Source, StringComparison.Ordinal);
        Assert.NotEmpty(sample.Videos);
        Assert.All(sample.Videos, v => Assert.Equal(niche, v.Tags[0], ignoreCase: true));
    }

    [Fact]
    public async Task Source_names_the_topic_words_that_matched()
    {
        var sample = await Provider.GetTrendingAsync(Query("Home workouts for the beginners"), CancellationToken.None);

        // "beginners" is filler every niche uses (TopicWords), so it decides nothing.
        Assert.Contains("on home, workouts (score ", sample.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Videos_are_ranked_by_topic_relevance_then_views()
    {
        var sample = await Provider.GetTrendingAsync(Query("home workout", maxResults: 50), CancellationToken.None);

        // "home workout" videos share both topic words, so they come first, most viewed first.
        var matching = sample.Videos.TakeWhile(v => v.Tags.Contains("home workout")).ToList();
        Assert.Equal(4, matching.Count);
        Assert.Equal(matching.OrderByDescending(v => v.Views).Select(v => v.Id), matching.Select(v => v.Id));
        Assert.Equal(Provider.Videos.Count(v => v.Tags[0] == "fitness"), sample.Videos.Count);
    }

    [Theory]
    [InlineData("Medieval castle architecture")]
    [InlineData("Houseplant care for beginners")]
    public async Task Unknown_topic_gets_no_trends_rather_than_another_niches(string topic)
    {
        var sample = await Provider.GetTrendingAsync(Query(topic), CancellationToken.None);

        Assert.True(sample.IsEmpty);
        Assert.Empty(sample.Videos);
        Assert.Equal("", sample.Niche);
        Assert.Equal(
            $"bundled sample; no niche of 7 (cooking, fitness, personal finance, pets, productivity, tech, travel) matched '{topic}'",
            sample.Source);
    }

    [Fact]
    public async Task A_tie_goes_to_the_more_engaging_of_the_tied_niches()
    {
        var provider = new SampleTrendsProvider(List(
            Resource("a1", "Garden beds", ["alpha", "garden"], views: 1_000, likes: 10),
            Resource("b1", "Garden paths", ["beta", "garden"], views: 1_000, likes: 90),
            Resource("c1", "Sourdough", ["gamma", "bread"], views: 1_000, likes: 500)));

        var sample = await provider.GetTrendingAsync(Query("garden"), CancellationToken.None);

        Assert.Equal("beta", sample.Niche);
        Assert.Equal("bundled sample; 'garden' matched 'alpha', 'beta' equally, using 'beta' (highest engagement)", sample.Source);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task MaxResults_is_honoured(int maxResults)
    {
        var sample = await Provider.GetTrendingAsync(Query("pasta", maxResults), CancellationToken.None);

        Assert.Equal(maxResults, sample.Videos.Count);
    }

    [Fact]
    public async Task MaxResults_below_one_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Provider.GetTrendingAsync(Query("pasta", 0), CancellationToken.None));
    }

    [Fact]
    public void Sample_video_without_a_niche_tag_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => new SampleTrendsProvider(List(Resource("x1", "No tags", []))));

        Assert.Contains("x1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_missing_a_required_field_fails_while_parsing()
    {
        const string json = """
            {"kind":"youtube#videoListResponse","etag":"e","pageInfo":{"totalResults":1,"resultsPerPage":1},
             "items":[{"kind":"youtube#video","etag":"e","id":"abc","snippet":{"title":"no channel or date"}}]}
            """;

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, YouTubeJsonContext.Default.VideoListResponse));
    }

    [Fact]
    public void Mapping_reads_string_counts_and_treats_missing_parts_as_zero()
    {
        const string json = """
            {"kind":"youtube#videoListResponse","etag":"e","pageInfo":{"totalResults":1,"resultsPerPage":1},
             "items":[{"kind":"youtube#video","etag":"e","id":"abc",
               "snippet":{"publishedAt":"2025-05-01T10:00:00Z","channelId":"UC1","title":"T","description":"D",
                          "channelTitle":"C","categoryId":"22"},
               "statistics":{"viewCount":"1234","favoriteCount":"0","commentCount":"5"}}]}
            """;

        var video = JsonSerializer.Deserialize(json, YouTubeJsonContext.Default.VideoListResponse)!.Items[0].ToTrendVideo();

        Assert.Equal(1_234, video.Views);
        Assert.Equal(0, video.Likes);
        Assert.Equal(5, video.Comments);
        Assert.Equal(0, video.DurationSeconds);
        Assert.Empty(video.Tags);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero), video.PublishedAt);
    }

    private static TrendQuery Query(string topic, int maxResults = 5) => new(Platforms.YouTube, topic, "en", "US", maxResults);

    private static VideoListResponse List(params VideoResource[] items) =>
        new("youtube#videoListResponse", "etag", items, new PageInfo(items.Length, items.Length));

    private static VideoResource Resource(string id, string title, string[] tags, long views = 1_000, long likes = 50) =>
        new(
            "youtube#video",
            "etag-" + id,
            id,
            new VideoSnippet(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), "UC" + id, title, string.Empty, "channel", "22", Tags: tags),
            new VideoContentDetails("PT30S"),
            new VideoStatistics(views, likes, 0, 1));
}
