using System.Net;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Pexels;
using ViralForge.Adapters.Tests.Visuals;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Adapters.Tests.Pexels;

/// <summary>The Pexels client against WireMock answering Pexels' documented wire format.</summary>
public sealed class PexelsClientTests : IDisposable
{
    private const string SearchPath = "/videos/search";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();

    [Fact]
    public async Task A_search_sends_the_raw_key_and_the_documented_parameters_and_reads_every_sized_rendition()
    {
        var video = StockTesting.PexelsVideo(857251, 1080, 1920, 14, "Jane Doe",
            ("hls", null, null, "https://player.vimeo.com/external/857251.m3u8"),
            ("sd", 540, 960, "https://videos.pexels.com/video-files/857251/sd.mp4"),
            ("hd", 1080, 1920, "https://videos.pexels.com/video-files/857251/hd.mp4"),
            ("uhd", 2160, 3840, "https://videos.pexels.com/video-files/857251/uhd.mp4"));
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("X-Ratelimit-Limit", "200").WithHeader("X-Ratelimit-Remaining", "199").WithBody(StockTesting.PexelsPage(video)));
        var pexels = StockTesting.Pexels(server);

        var clips = await pexels.SearchAsync(new StockSearch("ocean waves", "portrait", 5, "pt-PT", PerPage: 200), CancellationToken.None);

        var sent = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal(StockTesting.PexelsKey, sent.Headers!["Authorization"].Single());
        Assert.Equal(["ocean waves"], sent.Query!["query"]);
        Assert.Equal(["portrait"], sent.Query["orientation"]);
        Assert.Equal(["medium"], sent.Query["size"]);
        Assert.Equal(["pt-BR"], sent.Query["locale"]);
        Assert.Equal(["1"], sent.Query["page"]);
        Assert.Equal(["80"], sent.Query["per_page"]);
        var clip = Assert.Single(clips);
        Assert.Equal(("pexels", "857251", 14.0, 1080, 1920), (clip.Provider, clip.Id, clip.DurationSeconds, clip.Width, clip.Height));
        // The HLS entry has no size and is no file to download.
        Assert.Equal([(540, 960), (1080, 1920), (2160, 3840)], clip.Renditions.Select(r => (r.Width, r.Height)));
        Assert.Equal(29.97, clip.Renditions[0].FramesPerSecond);
        Assert.Equal(new ClipCredit("pexels", "857251", "Jane Doe", "https://www.pexels.com/@jane-doe", "https://www.pexels.com/video/clip-857251/",
            "Pexels License, https://www.pexels.com/license/"), clip.Credit);
        Assert.Equal("Video by Jane Doe on Pexels: https://www.pexels.com/video/clip-857251/", clip.Credit.Line());
    }

    [Fact]
    public async Task The_search_path_is_a_setting_for_the_v1_path_and_any_orientation_sends_none()
    {
        server.Given(Request.Create().WithPath("/v1/videos/search").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PexelsPage()));
        var pexels = StockTesting.Pexels(server, configure: o => (o.SearchPath, o.MinimumSize) = ("v1/videos/search", ""));

        var clips = await pexels.SearchAsync(new StockSearch("café crème", "", 5, "xx"), CancellationToken.None);

        Assert.Empty(clips);
        var sent = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("/v1/videos/search", sent.Path);
        Assert.Equal(["café crème"], sent.Query!["query"]);
        Assert.False(sent.Query.ContainsKey("orientation"));
        Assert.False(sent.Query.ContainsKey("size"));
        Assert.False(sent.Query.ContainsKey("locale"));
        Assert.Equal(["40"], sent.Query["per_page"]);
    }

    [Theory]
    [InlineData("en", "en-US")]
    [InlineData("ja", "ja-JP")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("no", "nb-NO")]
    [InlineData("tlh", null)]
    public void A_rows_language_becomes_a_Pexels_locale(string language, string? locale) =>
        Assert.Equal(locale, PexelsClient.LocaleFor(language));

    [Fact]
    public async Task An_error_body_is_read_into_a_permanent_error_for_a_bad_request()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":"per_page must be between 1 and 80"}"""));
        var pexels = StockTesting.Pexels(server);

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("Pexels answered 400: per_page must be between 1 and 80", error.Message);
    }

    [Fact]
    public async Task A_refused_key_names_the_setting_never_the_key()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody($$"""{"error":"Invalid key {{StockTesting.PexelsKey}}"}"""));
        var pexels = StockTesting.Pexels(server);

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("Pexels refused the key in Pexels:ApiKey (401: Invalid key ***); set it to a valid API key.", error.Message);
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_the_longest_wait_makes_the_site_unavailable_after_one_request()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600")
            .WithBody("""{"error":"Rate limit exceeded"}"""));
        var pexels = StockTesting.Pexels(server);

        var error = await Assert.ThrowsAsync<StockSourceUnavailableException>(() => pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("Pexels answered 429, over the account's request limit (Rate limit exceeded); it allows more in 3600 s.", error.Message);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task A_429_with_a_short_Retry_After_is_waited_and_the_search_repeated()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).InScenario("busy").WillSetStateTo("answered")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBody("""{"error":"Rate limit exceeded"}"""));
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).InScenario("busy").WhenStateIs("answered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PexelsPage(StockTesting.PexelsVideo(1, 1080, 1920, 8, "A", ("hd", 1080, 1920, "https://v.example/1.mp4")))));
        var pexels = StockTesting.Pexels(server, time: TimeProvider.System);

        var clips = await pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None);

        Assert.Single(clips);
        Assert.Equal(2, server.LogEntries.Count());
        Assert.Equal(2, pexels.RequestsThisHour);
    }

    [Fact]
    public async Task A_5xx_is_repeated_a_bounded_number_of_times_then_is_transient()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(502).WithBody("bad gateway"));
        var pexels = StockTesting.Pexels(server, time: TimeProvider.System, configure: o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("Pexels answered 502: bad gateway", error.Message);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(3, server.LogEntries.Count());
    }

    [Fact]
    public async Task A_search_that_outlasts_the_timeout_is_transient_with_a_plain_message()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(1)).WithBody(StockTesting.PexelsPage()));
        var pexels = StockTesting.Pexels(server, configure: o => o.Timeout = TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("Pexels did not answer within 0.2 s.", error.Message);
    }

    [Theory]
    [InlineData("""{"page":1,"videos":[{"id":1,""", "Pexels answered JSON that could not be read")]
    [InlineData("null", "Pexels answered JSON null instead of a page of videos.")]
    public async Task A_malformed_answer_is_transient_and_says_what_was_wrong(string body, string expected)
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
        var pexels = StockTesting.Pexels(server);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => pexels.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hourly_limit_is_held_by_the_process_and_frees_as_the_hour_passes()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PexelsPage()));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var pexels = StockTesting.Pexels(server, time: time, configure: o => (o.RequestsPerHour, o.MaxRetryAfter) = (2, TimeSpan.FromSeconds(5)));
        await pexels.SearchAsync(new StockSearch("one", "portrait", 5, "en"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        await pexels.SearchAsync(new StockSearch("two", "portrait", 5, "en"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StockSourceUnavailableException>(() => pexels.SearchAsync(new StockSearch("three", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("The Pexels limit of 2 requests in an hour is spent; the next is free in 3000 s.", error.Message);
        Assert.Equal(2, server.LogEntries.Count());
        time.Advance(TimeSpan.FromMinutes(51));
        await pexels.SearchAsync(new StockSearch("three", "portrait", 5, "en"), CancellationToken.None);
        Assert.Equal(3, server.LogEntries.Count());
    }

    [Fact]
    public async Task When_Pexels_says_no_request_is_left_none_is_sent_until_its_reset()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        // Another instance spent the key's hour: this process has sent one request, Pexels counts them all.
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("X-Ratelimit-Limit", "200").WithHeader("X-Ratelimit-Remaining", "0")
            .WithHeader("X-Ratelimit-Reset", time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithBody(StockTesting.PexelsPage()));
        var pexels = StockTesting.Pexels(server, time: time, configure: o => o.MaxRetryAfter = TimeSpan.FromSeconds(5));
        await pexels.SearchAsync(new StockSearch("one", "portrait", 5, "en"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StockSourceUnavailableException>(() => pexels.SearchAsync(new StockSearch("two", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Single(server.LogEntries);
        time.Advance(TimeSpan.FromMinutes(10));
        await pexels.SearchAsync(new StockSearch("two", "portrait", 5, "en"), CancellationToken.None);
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task X_Ratelimit_Reset_is_read_as_epoch_milliseconds_epoch_seconds_or_seconds_left()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        using var milliseconds = Answer(time.GetUtcNow().AddSeconds(90).ToUnixTimeMilliseconds());
        using var seconds = Answer(time.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds());
        using var left = Answer(45);

        Assert.Equal(TimeSpan.FromSeconds(90), StockHttp.WaitAsked(milliseconds, time));
        Assert.Equal(TimeSpan.FromSeconds(30), StockHttp.WaitAsked(seconds, time));
        Assert.Equal(TimeSpan.FromSeconds(45), StockHttp.WaitAsked(left, time));
        await Task.CompletedTask;

        static HttpResponseMessage Answer(long reset)
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
    }

    [Fact]
    public async Task A_rendition_is_downloaded_whole_without_the_key_to_the_file_host()
    {
        var mp4 = await StockTesting.Mp4Async(360, 640);
        server.Given(Request.Create().WithPath("/files/1.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "video/mp4").WithBody(mp4));
        var pexels = StockTesting.Pexels(server);
        var path = folder.File("beat-01.mp4");

        await pexels.DownloadAsync(new StockRendition(new Uri(server.Urls[0] + "/files/1.mp4"), 360, 640, 25, null), path, CancellationToken.None);

        Assert.Equal(mp4, await File.ReadAllBytesAsync(path));
        Assert.Equal((360, 640), (await StockTesting.ProbeAsync(path)) is var (w, h, _) ? (w, h) : default);
        Assert.False(Assert.Single(server.LogEntries).RequestMessage.Headers!.ContainsKey("Authorization"));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task A_missing_file_fails_the_download_and_leaves_no_partial_file()
    {
        server.Given(Request.Create().WithPath("/files/gone.mp4").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        var pexels = StockTesting.Pexels(server);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            pexels.DownloadAsync(new StockRendition(new Uri(server.Urls[0] + "/files/gone.mp4"), 360, 640, 25, null), folder.File("beat-01.mp4"), CancellationToken.None));

        Assert.StartsWith("Pexels answered 404 for a clip's file", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }
}
