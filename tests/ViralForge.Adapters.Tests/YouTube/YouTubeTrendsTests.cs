using System.Globalization;
using System.Text.Json.Nodes;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing.Providers;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>The YouTube trend reads against WireMock in the Data API's own wire format, with snapshots and quota in PostgreSQL.</summary>
public sealed class YouTubeTrendsTests
{
    private const string Cats = "Why cats knock things off tables";

    [Fact]
    public async Task The_mostPopular_chart_follows_nextPageToken_sends_the_key_only_as_a_header_and_records_a_unit_a_page()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync(o => o.TrendPages = 3);
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("pageToken", "CDIQAA").UsingGet()).AtPriority(1)
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(3, 3_000), YouTubeTrendsWire.CatShort(4, 4_000)])));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).AtPriority(10)
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 1_000), YouTubeTrendsWire.CatShort(2, 2_000)], nextPageToken: "CDIQAA")));
        var work = new PaidWork(Guid.NewGuid(), StageName.Trends, 1, "trends");

        var taken = await h.Client.MostPopularAsync("GB", "15", work, CancellationToken.None);

        // Two pages: the second page had no nextPageToken, so the third allowed page is never asked for.
        Assert.Equal(["cat01Short", "cat02Short", "cat03Short", "cat04Short"], taken.Videos.Select(v => v.Id));
        Assert.Equal(2, taken.Units);
        var requests = h.Server.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(2, requests.Count);
        foreach (var sent in requests)
        {
            // WireMock splits a parameter at its commas; the URL shows it as sent.
            Assert.Contains("part=snippet,statistics,contentDetails&", sent.Url, StringComparison.Ordinal);
            Assert.Equal(["mostPopular"], sent.Query!["chart"]);
            Assert.Equal(["GB"], sent.Query["regionCode"]);
            Assert.Equal(["15"], sent.Query["videoCategoryId"]);
            Assert.Equal(["50"], sent.Query["maxResults"]);
            Assert.False(sent.Query.ContainsKey("key"));
            Assert.Equal(YouTubeTrendsWire.ApiKey, sent.Headers![YouTubeTrendsClient.ApiKeyHeader].Single());
            Assert.DoesNotContain(YouTubeTrendsWire.ApiKey, sent.Url, StringComparison.Ordinal);
        }
        Assert.False(requests[0].Query!.ContainsKey("pageToken"));
        Assert.Equal(["CDIQAA"], requests[1].Query!["pageToken"]);
        // The statistics are strings on the wire and the duration ISO 8601.
        var first = taken.Videos[0];
        Assert.Equal((1_000L, 1_000L, 100L, 31.0), (first.Views, first.Likes, first.Comments, first.DurationSeconds));
        // A unit a page, in the ledger publishing reads, under the job that needed it.
        var calls = await h.Ledger.ListAsync(work.JobId, CancellationToken.None);
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal((YouTubePublisher.Provider, YouTubePublisher.QuotaUnits, 1m, 0m, StageName.Trends), (c.Provider, c.UnitKind, c.Units, c.Usd, c.Work.Stage)));
        Assert.All(calls, c => Assert.StartsWith(YouTubeTrendsClient.ChartCall, c.Work.Call, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_all_categories_chart_sends_no_category_and_a_chart_youtube_lacks_is_an_empty_snapshot_with_a_note()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync(o => o.TrendCategories = ["0", "29"]);
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("videoCategoryId", "29").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json; charset=UTF-8")
                .WithBody(YouTubeTrendsWire.Error(404, "videoChartNotFound", "The requested video chart is not supported or is not available.", "youtube.video")));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).AtPriority(10)
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 10), YouTubeTrendsWire.CatShort(2, 20), YouTubeTrendsWire.CatShort(3, 30)])));

        var report = await h.Refresher.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal((2, 2, 0, 0, 2), (report.Charts, report.Taken, report.Reused, report.Failed, report.Units));
        var all = Assert.Single(h.Server.LogEntries, e => !e.RequestMessage.Query!.ContainsKey("videoCategoryId"));
        Assert.Equal(["US"], all.RequestMessage.Query!["regionCode"]);
        var missing = await h.Snapshots.LatestAsync(TrendSnapshotKey.ForChart("US", "29"), CancellationToken.None);
        Assert.NotNull(missing);
        Assert.Empty(missing.Videos);
        Assert.Contains("no mostPopular chart of category 29 in US", missing.Note, StringComparison.Ordinal);
        // The refresh's units are in the ledger too, under no job, where the Pacific-day window counts them.
        Assert.Equal(2m, await h.UnitsTodayAsync());
    }

    [Fact]
    public async Task A_topic_the_charts_cover_is_answered_from_them_Shorts_first_and_a_second_job_reuses_the_snapshot_without_a_call()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).RespondWith(Json(YouTubeTrendsWire.VideoList(
        [
            YouTubeTrendsWire.CatShort(1, 900_000),
            YouTubeTrendsWire.CatShort(2, 800_000),
            YouTubeTrendsWire.CatShort(3, 700_000),
            // Long-form about cats: it matches but is no Short; a short clip without #shorts is short-form only.
            YouTubeTrendsWire.Video("catDocLong", "Cats: the documentary", ["cats"], 1_800, 9_000_000),
            YouTubeTrendsWire.Video("catClipNoTag", "Cats and tables", ["cats"], 45, 5_000_000),
            YouTubeTrendsWire.Video("dogShort", "Dogs being dogs #shorts", ["dogs", "#shorts"], 20, 8_000_000),
        ])));

        var first = await h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None);
        h.Time.Advance(TimeSpan.FromHours(5));
        var second = await h.Provider.GetTrendingAsync(Query("Why cats sleep all day", Platforms.TikTok), CancellationToken.None);

        Assert.Equal(["cat01Short", "cat02Short", "cat03Short"], first.Videos.Select(v => v.Id));
        Assert.Contains("cats", first.Niche, StringComparison.Ordinal);
        Assert.Contains("3 Shorts", first.Source, StringComparison.Ordinal);
        Assert.Equal(1, h.Calls(YouTubeTrendsWire.VideosPath));
        Assert.Contains("1 reused", second.Source, StringComparison.Ordinal);
        Assert.Equal(first.Videos.Select(v => v.Id), second.Videos.Select(v => v.Id));
        Assert.Equal(1m, await h.UnitsTodayAsync());

        // Past YouTube:TrendSnapshotMaxAge (6 h) the chart is read again.
        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None);
        Assert.Equal(2, h.Calls(YouTubeTrendsWire.VideosPath));
    }

    [Fact]
    public async Task A_topic_no_chart_covers_is_searched_over_the_last_30_days_by_views_then_its_statistics_are_read_and_the_search_is_shared()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("chart", "mostPopular").UsingGet())
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 10)])));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.SearchPath).UsingGet()).RespondWith(Json(YouTubeTrendsWire.SearchList("plantA", "plantB", "plantC")));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).WithParam("id").UsingGet()).RespondWith(Json(YouTubeTrendsWire.VideoList(
        [
            YouTubeTrendsWire.Video("plantA", "Repotting a monstera #shorts", ["houseplants", "#shorts"], 50, 20_000, "26"),
            YouTubeTrendsWire.Video("plantC", "Watering succulents #shorts", ["succulents", "#shorts"], 40, 90_000, "26"),
            // plantB was made private between the search and the lookup: YouTube leaves it out.
        ])));
        var jobs = new[] { Guid.NewGuid(), Guid.NewGuid() };

        var first = await h.Provider.GetTrendingAsync(Query("Houseplant care for beginners", Platforms.YouTube, jobs[0]), CancellationToken.None);
        var second = await h.Provider.GetTrendingAsync(Query("houseplant care for beginners!", Platforms.YouTube, jobs[1]), CancellationToken.None);

        Assert.Equal(["plantC", "plantA"], first.Videos.Select(v => v.Id));
        Assert.Equal(first.Videos.Select(v => v.Id), second.Videos.Select(v => v.Id));
        Assert.Contains("search reused", second.Source, StringComparison.Ordinal);
        var search = Assert.Single(h.Server.LogEntries, e => e.RequestMessage.Path == YouTubeTrendsWire.SearchPath).RequestMessage;
        Assert.Equal(["snippet"], search.Query!["part"]);
        Assert.Equal(["video"], search.Query["type"]);
        Assert.Equal(["viewCount"], search.Query["order"]);
        Assert.Equal(["Houseplant care for beginners"], search.Query["q"]);
        Assert.Equal(["US"], search.Query["regionCode"]);
        Assert.Equal(["short"], search.Query["videoDuration"]);
        Assert.Equal(["2026-11-07T18:00:00Z"], search.Query["publishedAfter"]);
        var lookup = Assert.Single(h.Server.LogEntries, e => e.RequestMessage.Query!.ContainsKey("id")).RequestMessage;
        Assert.Contains("part=snippet,statistics,contentDetails&id=plantA,plantB,plantC&", lookup.Url, StringComparison.Ordinal);
        // The chart (1), the search (100) and the lookup (1), all on the first job; the second job spent nothing.
        Assert.Equal([1m, 1m, 100m], (await h.Ledger.ListAsync(jobs[0], CancellationToken.None)).Select(c => c.Units).Order());
        Assert.Empty(await h.Ledger.ListAsync(jobs[1], CancellationToken.None));
    }

    [Fact]
    public async Task Two_concurrent_jobs_that_need_the_same_chart_make_one_call()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet())
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 10), YouTubeTrendsWire.CatShort(2, 20), YouTubeTrendsWire.CatShort(3, 30)])).WithDelay(TimeSpan.FromMilliseconds(500)));

        var samples = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None))));

        Assert.Equal(1, h.Calls(YouTubeTrendsWire.VideosPath));
        Assert.All(samples, s => Assert.Equal(3, s.Videos.Count));
        Assert.Equal(1L, await h.Database.ScalarAsync<long>("SELECT count(*) FROM trend_snapshots"));
        Assert.Equal(1m, await h.UnitsTodayAsync());
    }

    [Fact]
    public async Task Quota_exceeded_defers_the_stage_to_midnight_Pacific_when_nothing_is_stored_and_uses_the_stale_snapshot_when_something_is()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).InScenario("quota").WillSetStateTo("spent")
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 10), YouTubeTrendsWire.CatShort(2, 20), YouTubeTrendsWire.CatShort(3, 30)])));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).InScenario("quota").WhenStateIs("spent")
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(YouTubeTrendsWire.QuotaExceeded()));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.SearchPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(YouTubeTrendsWire.QuotaExceeded()));

        await h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None);
        h.Time.Advance(TimeSpan.FromHours(7));
        var stale = await h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None);
        var deferred = await Assert.ThrowsAsync<StageDeferredException>(() => h.Provider.GetTrendingAsync(Query("Houseplant care for beginners", Platforms.YouTube), CancellationToken.None));

        Assert.Equal(3, stale.Videos.Count);
        Assert.Contains("quota is used up", stale.Source, StringComparison.Ordinal);
        // 2026-12-08 01:00 UTC is 17:00 Pacific on the 7th: the quota day turns at 08:00 UTC on the 8th.
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero), deferred.Until);
        Assert.Contains("403 quotaExceeded", deferred.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(YouTubeTrendsWire.ApiKey, deferred.Message, StringComparison.Ordinal);
        // Refused calls cost quota too: the chart (1), its refused retake (1), the chart again (1) and the refused search (100).
        Assert.Equal(103m, await h.UnitsTodayAsync());
    }

    [Fact]
    public async Task No_read_is_sent_once_todays_units_leave_only_the_upload_reserve()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).RespondWith(Json(YouTubeTrendsWire.VideoList([])));
        // Uploads spent 6,800 of the 10,000: 3,200 are kept for two more uploads, so not even a one-unit read goes out.
        for (var i = 0; i < 4; i++)
        {
            await h.Ledger.RecordAsync(new PaidCall(new PaidWork(Guid.NewGuid(), StageName.Publish, 1, "youtube-upload"), YouTubePublisher.Provider, 1_700m, YouTubePublisher.QuotaUnits, 0m, new DateOnly(2026, 11, 1)), CancellationToken.None);
        }

        var deferred = await Assert.ThrowsAsync<StageDeferredException>(() => h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None));

        Assert.Empty(h.Server.LogEntries);
        Assert.Contains("6800 of 10000 units used today", deferred.Message, StringComparison.Ordinal);
        Assert.Contains("3200 kept for uploads", deferred.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_key_fails_the_stage_naming_YouTube_ApiKey_and_never_the_key()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(YouTubeTrendsWire.KeyInvalid()));

        var failure = await Assert.ThrowsAsync<PermanentStageException>(() => h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None));

        Assert.Contains("YouTube:ApiKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains("API_KEY_INVALID", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(YouTubeTrendsWire.ApiKey, failure.Message, StringComparison.Ordinal);
        // A 400 is not repeated.
        Assert.Equal(1, h.Calls(YouTubeTrendsWire.VideosPath));
    }

    [Fact]
    public async Task A_429_and_a_503_are_asked_again_each_try_counted_and_more_than_the_retries_fail_the_attempt()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync(o => o.MaxRetries = 2);
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).InScenario("flaky").WillSetStateTo("503")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Content-Type", "application/json").WithBody(YouTubeTrendsWire.Error(429, "rateLimitExceeded", "Too many requests", "global")));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).InScenario("flaky").WhenStateIs("503").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet()).InScenario("flaky").WhenStateIs("ok")
            .RespondWith(Json(YouTubeTrendsWire.VideoList([YouTubeTrendsWire.CatShort(1, 10)])));
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.SearchPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody(YouTubeTrendsWire.Error(500, "backendError", "Backend Error", "global")));

        var chart = await h.Client.MostPopularAsync("US", "15", YouTubeTrendsRefresher.Work, CancellationToken.None);
        var failure = await Assert.ThrowsAsync<TransientStageException>(() => h.Client.SearchAsync("cats", "US", true, YouTubeTrendsRefresher.Work, CancellationToken.None));

        Assert.Single(chart.Videos);
        Assert.Equal(3, chart.Units);
        Assert.Equal(3, h.Calls(YouTubeTrendsWire.SearchPath));
        Assert.Contains("500 backendError", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3m + 300m, await h.UnitsTodayAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_the_documented_JSON_is_a_clear_error_and_stores_no_snapshot()
    {
        await using var h = await YouTubeTrendsHarness.CreateAsync();
        h.Server.Given(Request.Create().WithPath(YouTubeTrendsWire.VideosPath).UsingGet())
            .RespondWith(Json("""{"kind":"youtube#videoListResponse","etag":"x","items":[{"kind":"youtube#video","etag":"e","id":"v1","snippet":{"title":"t"}}"""));

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => h.Provider.GetTrendingAsync(Query(Cats, Platforms.YouTube), CancellationToken.None));

        Assert.StartsWith("YouTube answered videos.list with a body that is not its documented JSON", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await h.Database.ScalarAsync<long>("SELECT count(*) FROM trend_snapshots"));
    }

    [Theory]
    [InlineData(59, new[] { "#shorts" }, "", true)]
    [InlineData(180, new[] { "shorts" }, "", true)]
    [InlineData(170, new string[0], "Cat fails #Shorts", true)]
    [InlineData(181, new[] { "#shorts" }, "", false)]
    [InlineData(45, new string[0], "", false)]
    [InlineData(0, new[] { "#shorts" }, "", false)]
    public void A_Short_is_at_most_180_s_and_tagged_shorts(int seconds, string[] tags, string title, bool isShort)
    {
        var video = new TrendVideo("v", title, "", "c", tags, "15", YouTubeTrendsHarness.Start, seconds, 1, 0, 0);

        Assert.Equal(isShort, YouTubeTrendsProvider.IsShort(video, 180));
    }

    private static TrendQuery Query(string topic, Platforms platforms, Guid? job = null) =>
        new(platforms, topic, "en", "US", 25, new PaidWork(job ?? Guid.NewGuid(), StageName.Trends, 1, "trends"));

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body);
}
