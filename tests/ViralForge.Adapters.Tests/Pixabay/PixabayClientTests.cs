using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ViralForge.Adapters.Pixabay;
using ViralForge.Adapters.Tests.Visuals;
using ViralForge.Adapters.Visuals;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Tests.Pixabay;

/// <summary>The Pixabay client against WireMock answering Pixabay's documented wire format, and Cloudflare's challenge.</summary>
public sealed class PixabayClientTests : IDisposable
{
    private const string SearchPath = "/api/videos/";
    private const string ChallengePage = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src=\"/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1\"></script></body></html>";

    private readonly WireMockServer server = WireMockServer.Start();

    [Fact]
    public async Task A_search_sends_the_key_as_a_parameter_with_the_documented_ones_and_keeps_only_the_asked_shape()
    {
        var portrait = StockTesting.PixabayHit(125, 12, "Coverr", ("https://cdn.pixabay.com/125/large.mp4", 2160, 3840), ("https://cdn.pixabay.com/125/medium.mp4", 1080, 1920));
        var landscape = StockTesting.PixabayHit(126, 20, "Other", ("https://cdn.pixabay.com/126/large.mp4", 3840, 2160), ("https://cdn.pixabay.com/126/medium.mp4", 1920, 1080));
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PixabayPage(portrait, landscape)));
        var pixabay = StockTesting.Pixabay(server);

        var clips = await pixabay.SearchAsync(new StockSearch("ocean waves & sand", "portrait", 5, "de-AT", PerPage: 150), CancellationToken.None);

        var sent = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal([StockTesting.PixabayKey], sent.Query!["key"]);
        // URL-encoded, so the & is part of q rather than the start of another parameter.
        Assert.Equal(["ocean waves & sand"], sent.Query["q"]);
        Assert.Equal(["all"], sent.Query["video_type"]);
        Assert.Equal(["true"], sent.Query["safesearch"]);
        Assert.Equal(["de"], sent.Query["lang"]);
        Assert.Equal(["1"], sent.Query["page"]);
        // No orientation filter at Pixabay: twice the answers are asked for (at most 200) and the wrong shape dropped here.
        Assert.Equal(["200"], sent.Query["per_page"]);
        Assert.False(sent.Query.ContainsKey("orientation"));
        var clip = Assert.Single(clips);
        Assert.Equal(("pixabay", "125", 12.0, 2160, 3840), (clip.Provider, clip.Id, clip.DurationSeconds, clip.Width, clip.Height));
        Assert.Equal(new ClipCredit("pixabay", "125", "Coverr", "https://pixabay.com/users/Coverr-4242/", "https://pixabay.com/videos/clip-125/",
            "Pixabay Content License, https://pixabay.com/service/license-summary/"), clip.Credit);
    }

    [Fact]
    public async Task A_missing_or_empty_large_falls_back_to_medium_and_smaller()
    {
        var emptyLarge = StockTesting.PixabayHit(1, 10, "A", ("", 0, 0), ("https://cdn.pixabay.com/1/medium.mp4", 1920, 1080), ("https://cdn.pixabay.com/1/small.mp4", 1280, 720));
        var noLarge = StockTesting.PixabayHit(2, 10, "B", null, ("https://cdn.pixabay.com/2/medium.mp4", 1920, 1080));
        var nothing = StockTesting.PixabayHit(3, 10, "C", ("", 0, 0), null);
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PixabayPage(emptyLarge, noLarge, nothing)));
        var pixabay = StockTesting.Pixabay(server);

        var clips = await pixabay.SearchAsync(new StockSearch("city", "", 5, "en", PerPage: 1), CancellationToken.None);

        Assert.Equal(["1", "2"], clips.Select(c => c.Id));
        Assert.Equal([(1920, 1080), (1280, 720)], clips[0].Renditions.Select(r => (r.Width, r.Height)));
        Assert.Equal((1920, 1080), (clips[0].Width, clips[0].Height));
        Assert.Equal(["3"], Assert.Single(server.LogEntries).RequestMessage.Query!["per_page"]);
    }

    [Fact]
    public void A_long_query_is_cut_to_100_characters_at_a_word()
    {
        var query = string.Join(' ', Enumerable.Repeat("waterfall", 15));

        var cut = PixabayClient.CutQuery(query);

        Assert.True(cut.Length <= 100);
        Assert.EndsWith("waterfall", cut, StringComparison.Ordinal);
        Assert.Equal(query[..cut.Length], cut);
        Assert.Equal(100, PixabayClient.CutQuery(new string('x', 150)).Length);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(403, false)]
    public async Task A_Cloudflare_challenge_is_the_site_unavailable_never_parsed_and_never_repeated(int status, bool header)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html; charset=UTF-8").WithBody(ChallengePage);
        if (header)
        {
            response = response.WithHeader("cf-mitigated", "challenge");
        }
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(response);
        var pixabay = StockTesting.Pixabay(server);

        var error = await Assert.ThrowsAsync<StockSourceUnavailableException>(() => pixabay.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.StartsWith("Pixabay is unavailable (a Cloudflare challenge)", error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task A_text_error_body_is_the_message_with_the_key_cut_out()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "text/plain")
            .WithBody($"[ERROR 400] \"page\" is out of valid range for key={StockTesting.PixabayKey}"));
        var pixabay = StockTesting.Pixabay(server);

        var error = await Assert.ThrowsAsync<PermanentStageException>(() => pixabay.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Contains("[ERROR 400] \"page\" is out of valid range for key=***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StockTesting.PixabayKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_with_a_long_reset_makes_the_site_unavailable()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Content-Type", "text/plain")
            .WithHeader("X-RateLimit-Reset", "55").WithBody("API rate limit exceeded"));
        var pixabay = StockTesting.Pixabay(server);

        var error = await Assert.ThrowsAsync<StockSourceUnavailableException>(() => pixabay.SearchAsync(new StockSearch("sea", "portrait", 5, "en"), CancellationToken.None));

        Assert.Equal("Pixabay answered 429, over the key's request limit (API rate limit exceeded); it allows more in 55 s.", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(55), error.RetryAfter);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task The_per_minute_limit_is_held_by_the_process_and_a_cached_search_spends_none_of_it()
    {
        server.Given(Request.Create().WithPath(SearchPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(StockTesting.PixabayPage()));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var pixabay = StockTesting.Pixabay(server, time: time, configure: o => (o.RequestsPerMinute, o.MaxRetryAfter) = (2, TimeSpan.FromSeconds(5)));
        await pixabay.SearchAsync(new StockSearch("one", "", 5, "en"), CancellationToken.None);
        await pixabay.SearchAsync(new StockSearch("two", "", 5, "en"), CancellationToken.None);
        await pixabay.SearchAsync(new StockSearch("one", "", 5, "en"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StockSourceUnavailableException>(() => pixabay.SearchAsync(new StockSearch("three", "", 5, "en"), CancellationToken.None));

        Assert.Equal("The Pixabay limit of 2 requests in a minute is spent; the next is free in 60 s.", error.Message);
        Assert.Equal(2, server.LogEntries.Count());
        time.Advance(TimeSpan.FromMinutes(1));
        await pixabay.SearchAsync(new StockSearch("three", "", 5, "en"), CancellationToken.None);
        Assert.Equal(3, server.LogEntries.Count());
    }

    [Fact]
    public async Task The_key_is_in_no_log_line_and_no_error_of_a_failing_timed_out_or_malformed_search()
    {
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddHttpClient(PixabayClient.HttpClientName);
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<IHttpClientFactory>();
        var errors = new List<Exception>();

        server.Given(Request.Create().WithPath(SearchPath).WithParam("q", "broken").UsingGet()).RespondWith(Response.Create().WithStatusCode(503)
            .WithBody($"upstream failed for /api/videos/?key={Uri.EscapeDataString(StockTesting.PixabayKey)}&q=broken"));
        server.Given(Request.Create().WithPath(SearchPath).WithParam("q", "slow").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(1)).WithBody("{}"));
        server.Given(Request.Create().WithPath(SearchPath).WithParam("q", "garbled").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"hits\":[{\"id\":"));
        var pixabay = StockTesting.Pixabay(server, time: TimeProvider.System, clients: clients, configure: o => (o.MaxRetries, o.Timeout) = (1, TimeSpan.FromMilliseconds(300)));
        foreach (var query in new[] { "broken", "slow", "garbled" })
        {
            errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => pixabay.SearchAsync(new StockSearch(query, "", 5, "en"), CancellationToken.None)));
        }

        Assert.Equal([typeof(HttpRequestException), typeof(TimeoutException), typeof(InvalidDataException)], errors.Select(e => e.GetType()));
        Assert.Contains("key=***", errors[0].Message, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        foreach (var text in logs.Lines.Concat(errors.SelectMany(Messages)))
        {
            Assert.DoesNotContain(StockTesting.PixabayKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(StockTesting.PixabayKey), text, StringComparison.Ordinal);
        }
    }

    public void Dispose() => server.Dispose();

    private static IEnumerable<string> Messages(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current.Message;
            yield return current.ToString();
        }
    }
}
