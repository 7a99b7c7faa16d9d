using ViralForge.Core.Ports;
using ViralForge.Core.Trends;

namespace ViralForge.Core.Tests.Trends;

public sealed class TrendAnalyzerTests
{
    private const int Precision = 12;

    [Fact]
    public void Engagement_median_and_mean_are_exact_and_skip_videos_without_views()
    {
        var sample = Sample(
            Video("a", views: 1_000, likes: 40, comments: 10),   // 0.05
            Video("b", views: 2_000, likes: 100, comments: 20),  // 0.06
            Video("c", views: 500, likes: 10, comments: 5),      // 0.03
            Video("d", views: 0, likes: 7, comments: 1),         // undefined: skipped
            Video("e", views: 4_000, likes: 300, comments: 100)); // 0.10

        var analysis = TrendAnalyzer.Analyze(sample);

        Assert.Equal(5, analysis.VideoCount);
        Assert.Equal(0.055, analysis.MedianEngagementRate, Precision);
        Assert.Equal(0.06, analysis.MeanEngagementRate, Precision);
    }

    [Fact]
    public void Duration_percentiles_interpolate_linearly_between_ranks()
    {
        // Sorted: 12, 30, 45, 90. Rank h = (n - 1) p: p25 → 0.75, p50 → 1.5, p75 → 2.25.
        var sample = Sample(
            Video("a", seconds: 45),
            Video("b", seconds: 12),
            Video("c", seconds: 90),
            Video("d", seconds: 30),
            Video("unknown", seconds: 0));

        var analysis = TrendAnalyzer.Analyze(sample);

        Assert.Equal(12 + 0.75 * (30 - 12), analysis.P25DurationSeconds, Precision);
        Assert.Equal(37.5, analysis.MedianDurationSeconds, Precision);
        Assert.Equal(45 + 0.25 * (90 - 45), analysis.P75DurationSeconds, Precision);
    }

    [Fact]
    public void Duration_percentiles_of_an_odd_count_land_on_values()
    {
        var sample = Sample(
            Video("a", seconds: 100),
            Video("b", seconds: 20),
            Video("c", seconds: 40),
            Video("d", seconds: 10),
            Video("e", seconds: 30));

        var analysis = TrendAnalyzer.Analyze(sample);

        Assert.Equal(20, analysis.P25DurationSeconds, Precision);
        Assert.Equal(30, analysis.MedianDurationSeconds, Precision);
        Assert.Equal(40, analysis.P75DurationSeconds, Precision);
    }

    [Fact]
    public void Statistics_without_any_qualifying_video_are_zero()
    {
        var analysis = TrendAnalyzer.Analyze(Sample(Video("a", views: 0, seconds: 0)));

        Assert.Equal(0, analysis.MedianEngagementRate);
        Assert.Equal(0, analysis.MeanEngagementRate);
        Assert.Equal(0, analysis.MedianDurationSeconds);
        Assert.Equal(0, analysis.P25DurationSeconds);
        Assert.Equal(0, analysis.P75DurationSeconds);
    }

    [Theory]
    [InlineData(new[] { 7.0 }, 0.25, 7.0)]
    [InlineData(new[] { 1.0, 2.0 }, 0.5, 1.5)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 0.0, 1.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 1.0, 4.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 0.9, 3.7)]
    public void Percentile_uses_type_7_interpolation(double[] values, double fraction, double expected)
    {
        Assert.Equal(expected, TrendAnalyzer.Percentile(values, fraction), Precision);
    }

    [Fact]
    public void Percentile_of_nothing_or_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TrendAnalyzer.Percentile([], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrendAnalyzer.Percentile([1.0], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrendAnalyzer.Percentile([1.0], -0.1));
    }

    [Fact]
    public void Hook_patterns_have_exact_counts_shares_and_the_most_viewed_example_sorted_by_count()
    {
        var sample = Sample(
            Video("Why do cats purr?", views: 10),
            Video("Is coffee bad for you?", views: 30),
            Video("What is a stock?", views: 20),
            Video("5 foods to avoid", views: 5),
            Video("3 ways to save", views: 50),
            Video("POV: the alarm did not ring", views: 1),
            Video("Golden hour in Rome", views: 2),
            Video("A day at the lake", views: 3));

        var patterns = TrendAnalyzer.Analyze(sample).HookPatterns;

        Assert.Equal(
            [
                new HookPattern(HookKinds.Question, 3, 0.375, "Is coffee bad for you?"),
                new HookPattern(HookKinds.Number, 2, 0.25, "3 ways to save"),
                new HookPattern(HookKinds.Other, 2, 0.25, "A day at the lake"),
                new HookPattern(HookKinds.Pov, 1, 0.125, "POV: the alarm did not ring"),
            ],
            patterns);
    }

    [Theory]
    [InlineData("Why do cats knock things off tables?", HookKinds.Question)]
    [InlineData("Is walking better than running for fat loss?", HookKinds.Question)]
    [InlineData("Do you really need 8 hours of sleep", HookKinds.Question)]
    [InlineData("What does RAM actually do", HookKinds.Question)]
    [InlineData("This $30 keyboard: any good?", HookKinds.Question)]
    [InlineData("5 exercises that fixed my posture", HookKinds.Number)]
    [InlineData("3-ingredient pasta in 10 minutes", HookKinds.Number)]
    [InlineData("Top 10 hidden gems in Lisbon", HookKinds.Number)]
    [InlineData("$5 dinners that taste expensive", HookKinds.Number)]
    [InlineData("Three habits that changed my life", HookKinds.Number)]
    [InlineData("How to cut an onion without crying", HookKinds.HowTo)]
    [InlineData("how to speed up an old laptop", HookKinds.HowTo)]
    [InlineData("POV: you finally hit a 100 kg squat", HookKinds.Pov)]
    [InlineData("pov your cat hears the treat bag", HookKinds.Pov)]
    [InlineData("Stop charging your phone to 100%", HookKinds.Imperative)]
    [InlineData("Don't rinse your chicken", HookKinds.Imperative)]
    [InlineData("Never skip this stretch", HookKinds.Imperative)]
    [InlineData("Do this before bed", HookKinds.Imperative)]
    [InlineData("I tried 100 burpees a day for 30 days", HookKinds.PersonalStory)]
    [InlineData("I\u2019m never buying bottled water again", HookKinds.PersonalStory)]
    [InlineData("My dog learned to open the fridge", HookKinds.PersonalStory)]
    [InlineData("How I paid off $40k of debt", HookKinds.PersonalStory)]
    [InlineData("You've been cooking rice wrong", HookKinds.SecondPerson)]
    [InlineData("Your warm-up is too short", HookKinds.SecondPerson)]
    [InlineData("The secret to crispy roast potatoes", HookKinds.Secret)]
    [InlineData("The hidden Android feature nobody uses", HookKinds.Secret)]
    [InlineData("Hidden beaches in Portugal", HookKinds.Secret)]
    [InlineData("Nobody tells you this about renting", HookKinds.Secret)]
    [InlineData("What nobody tells you about credit cards", HookKinds.Secret)]
    [InlineData("Golden retriever meets a kitten", HookKinds.Other)]
    [InlineData("The Pomodoro technique in 45 seconds", HookKinds.Other)]
    [InlineData("\U0001F525 5 meal prep lunches", HookKinds.Number)]
    [InlineData("", HookKinds.Other)]
    public void Classifies_a_title_by_its_opening(string title, string kind)
    {
        Assert.Equal(kind, TrendAnalyzer.ClassifyHook(title));
    }

    [Fact]
    public void Top_tags_are_counted_once_per_video_case_insensitively_and_capped_at_ten()
    {
        var sample = Sample(
            Video("a", tags: ["Fitness", "fitness", "Gym", "t01", "t02", "t03"]),
            Video("b", tags: ["FITNESS", "gym ", "t04", "t05", "t06"]),
            Video("c", tags: ["fitness", "cardio", "t07", "t08", "t09", "t10", "t11"]));

        var tags = TrendAnalyzer.Analyze(sample).TopTags;

        Assert.Equal(TrendAnalyzer.MaxTopTags, tags.Count);
        Assert.Equal(new TagCount("fitness", 3), tags[0]);
        Assert.Equal(new TagCount("gym", 2), tags[1]);
        // Ties are in ordinal order, so the cap drops the last ones deterministically.
        Assert.Equal(["cardio", "t01", "t02", "t03", "t04", "t05", "t06", "t07"], tags.Skip(2).Select(t => t.Tag));
        Assert.All(tags.Skip(2), t => Assert.Equal(1, t.Count));
    }

    [Fact]
    public void Top_titles_are_the_five_most_viewed()
    {
        var sample = Sample(
            Video("v100", views: 100),
            Video("v600", views: 600),
            Video("v300", views: 300),
            Video("v500", views: 500),
            Video("v200", views: 200),
            Video("v400", views: 400));

        Assert.Equal(["v600", "v500", "v400", "v300", "v200"], TrendAnalyzer.Analyze(sample).TopTitles);
    }

    [Fact]
    public void Niche_is_carried_over()
    {
        Assert.Equal("pets", TrendAnalyzer.Analyze(new TrendSample("pets", "test", [Video("a")])).Niche);
    }

    [Fact]
    public void Empty_sample_gives_an_analysis_with_nothing_to_borrow()
    {
        var analysis = TrendAnalyzer.Analyze(new TrendSample("", "bundled sample; no niche matched 'houseplants'", []));

        Assert.Equal(0, analysis.VideoCount);
        Assert.Equal("", analysis.Niche);
        Assert.Empty(analysis.HookPatterns);
        Assert.Empty(analysis.TopTags);
        Assert.Empty(analysis.TopTitles);
        Assert.Equal(0, analysis.MedianEngagementRate);
    }

    private static TrendSample Sample(params TrendVideo[] videos) => new("test", "hand-made", videos);

    private static TrendVideo Video(
        string title,
        long views = 1_000,
        long likes = 50,
        long comments = 5,
        double seconds = 30,
        string[]? tags = null) =>
        new(
            Id: title,
            Title: title,
            Description: string.Empty,
            ChannelTitle: "channel",
            Tags: tags ?? [],
            CategoryId: "22",
            PublishedAt: new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero),
            DurationSeconds: seconds,
            Views: views,
            Likes: likes,
            Comments: comments);
}
