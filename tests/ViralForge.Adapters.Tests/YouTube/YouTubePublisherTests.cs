using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Publishing;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>The YouTube publisher against WireMock answering YouTube's resumable upload protocol, byte for byte.</summary>
public sealed class YouTubePublisherTests : IDisposable
{
    private const string Token = "ya29.test-access-token-one";
    private const string Refreshed = "ya29.test-access-token-two";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    // 1 November 2026, 10:00 UTC: 02:00 PST, an hour after the clocks went back (see the quota tests).
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCostLedger ledger;
    private readonly FakeYouTube youtube;

    public YouTubePublisherTests()
    {
        ledger = new InMemoryCostLedger(time);
        youtube = new FakeYouTube(server);
    }

    [Fact]
    public async Task A_video_goes_up_in_256_KiB_chunks_each_308_answered_with_the_range_held_and_the_insert_declares_the_row()
    {
        var video = await TestVideo.PathAsync();
        var bytes = await File.ReadAllBytesAsync(video);
        var tokens = new FakePlatformTokens(Token);
        using var services = Services(tokens);
        var request = Upload(video, publishAt: new DateTimeOffset(2026, 12, 10, 15, 0, 0, TimeSpan.Zero));
        PaidCall? storedBeforeBytes = null;
        youtube.BeforeFirstBytes = () => storedBeforeBytes = ledger.FindAsync(request.Work!.For(YouTubePublisher.UploadCall), CancellationToken.None).Result;
        var progress = new Reports();

        var published = await Publisher(services).PublishAsync(request, progress, CancellationToken.None);

        Assert.Equal(("youtube", $"https://www.youtube.com/watch?v={FakeYouTube.VideoId}", FakeYouTube.VideoId), (published.Platform, published.Url, published.ExternalId));
        Assert.Equal(FakePlatformTokens.Channel.Name, published.Channel);
        // Scheduled: public from its publishAt, as the returned resource says (the row reads scheduled until then).
        Assert.Equal(new DateTimeOffset(2026, 12, 10, 15, 0, 0, TimeSpan.Zero), published.LiveAt);
        Assert.Equal(bytes, youtube.Stored);
        // The insert: resumable, snippet and status, with the size and type of what follows.
        var insert = Assert.Single(youtube.Requests("POST", FakeYouTube.InsertPath));
        Assert.Equal("?uploadType=resumable&part=snippet,status&notifySubscribers=true", new Uri(insert.RequestMessage.Url).Query);
        Assert.Equal($"Bearer {Token}", insert.RequestMessage.Headers!["Authorization"].Single());
        Assert.Equal(bytes.Length.ToString(CultureInfo.InvariantCulture), insert.RequestMessage.Headers!["X-Upload-Content-Length"].Single());
        Assert.Equal("video/mp4", insert.RequestMessage.Headers!["X-Upload-Content-Type"].Single());
        Assert.Equal("application/json; charset=UTF-8", string.Join(", ", insert.RequestMessage.Headers!["Content-Type"]));
        using var body = JsonDocument.Parse(insert.RequestMessage.Body!);
        var snippet = body.RootElement.GetProperty("snippet");
        Assert.Equal("Why cats knock things off tables", snippet.GetProperty("title").GetString());
        Assert.Equal("Gravity tests, every morning.\n\nCredits:\nVideo by Jane on Pexels", snippet.GetProperty("description").GetString());
        Assert.Equal(["cats", "cat facts", "shorts"], snippet.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("24", snippet.GetProperty("categoryId").GetString());
        Assert.Equal("en", snippet.GetProperty("defaultLanguage").GetString());
        var status = body.RootElement.GetProperty("status");
        Assert.Equal("private", status.GetProperty("privacyStatus").GetString());
        Assert.Equal("2026-12-10T15:00:00Z", status.GetProperty("publishAt").GetString());
        Assert.False(status.GetProperty("selfDeclaredMadeForKids").GetBoolean());
        Assert.True(status.GetProperty("containsSyntheticMedia").GetBoolean());
        // The chunks: multiples of 256 KiB with Content-Range, each going on from the 308's Range.
        var ranges = youtube.Requests("PUT", FakeYouTube.InsertPath).Select(e => e.RequestMessage.Headers!["Content-Range"].Single()).ToList();
        var expected = Enumerable.Range(0, (bytes.Length + YouTubePublisher.ChunkUnit - 1) / YouTubePublisher.ChunkUnit)
            .Select(i => $"bytes {i * YouTubePublisher.ChunkUnit}-{Math.Min((i + 1) * YouTubePublisher.ChunkUnit, bytes.Length) - 1}/{bytes.Length}")
            .ToList();
        Assert.True(expected.Count >= 3, $"the test video should take several chunks, it is {bytes.Length} bytes");
        Assert.Equal(expected, ranges);
        // The session was in the ledger, with the insert's quota units, before the first byte went.
        Assert.NotNull(storedBeforeBytes);
        Assert.Equal((youtube.Sessions.Single(), 1600m, "quota units", (JsonElement?)null), (storedBeforeBytes!.VendorId, storedBeforeBytes.Units, storedBeforeBytes.UnitKind, storedBeforeBytes.Result));
        var upload = await ledger.FindAsync(request.Work!.For(YouTubePublisher.UploadCall), CancellationToken.None);
        Assert.Equal(FakeYouTube.VideoId, upload!.Result!.Value.GetProperty("videoId").GetString());
        // The thumbnail: the render's image as the body, for the new video.
        var thumbnail = Assert.Single(youtube.Requests("POST", FakeYouTube.ThumbnailPath));
        Assert.Equal(FakeYouTube.VideoId, thumbnail.RequestMessage.Query!["videoId"].Single());
        Assert.Equal("image/jpeg", string.Join(", ", thumbnail.RequestMessage.Headers!["Content-Type"]));
        Assert.Equal(await File.ReadAllBytesAsync(request.ThumbnailPath!), thumbnail.RequestMessage.BodyAsBytes);
        Assert.Equal(1650m, await ledger.UnitsSinceAsync("youtube", "quota units", time.GetUtcNow().AddDays(-1), CancellationToken.None));
        // Progress: rising to all of it.
        Assert.Equal(progress.Values.Order(), progress.Values);
        Assert.Equal(1.0, progress.Values[^1]);
        Assert.True(progress.Values.Count >= expected.Count);
    }

    [Fact]
    public async Task A_Publish_At_inside_the_lead_time_goes_out_at_once_says_so_and_is_live_from_now()
    {
        var video = await TestVideo.PathAsync();
        using var services = Services(new FakePlatformTokens(Token));

        var published = await Publisher(services).PublishAsync(Upload(video, publishAt: time.GetUtcNow().AddMinutes(10)), null, CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(youtube.Requests("POST", FakeYouTube.InsertPath)).RequestMessage.Body!);
        Assert.False(body.RootElement.GetProperty("status").TryGetProperty("publishAt", out _));
        // LiveAt now, so the row reads published rather than scheduled for a video that is already out.
        Assert.Equal(time.GetUtcNow(), published.LiveAt);
        Assert.Contains("less than 15 min ahead, so the video went out at once", published.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_dropped_mid_upload_is_resumed_from_what_the_session_says_it_holds()
    {
        var video = await TestVideo.PathAsync();
        var bytes = await File.ReadAllBytesAsync(video);
        var second = $"bytes {YouTubePublisher.ChunkUnit}-{(2 * YouTubePublisher.ChunkUnit) - 1}/{bytes.Length}";
        youtube.DropConnectionOnce(second);
        using var services = Services(new FakePlatformTokens(Token));

        var published = await Publisher(services).PublishAsync(Upload(video), null, CancellationToken.None);

        Assert.Equal(FakeYouTube.VideoId, published.ExternalId);
        Assert.Equal(bytes, youtube.Stored);
        var ranges = youtube.Requests("PUT", FakeYouTube.InsertPath).Select(e => e.RequestMessage.Headers!["Content-Range"].Single()).ToList();
        // The dropped chunk, then the question, then the same chunk again (the session kept none of it).
        var dropped = ranges.IndexOf(second);
        Assert.Equal($"bytes */{bytes.Length}", ranges[dropped + 1]);
        Assert.Equal(second, ranges[dropped + 2]);
        var question = youtube.Requests("PUT", FakeYouTube.InsertPath).Single(e => e.RequestMessage.Headers!["Content-Range"].Single().StartsWith("bytes */", StringComparison.Ordinal));
        Assert.Empty(question.RequestMessage.BodyAsBytes ?? []);
        Assert.Single(youtube.Requests("POST", FakeYouTube.InsertPath));
    }

    [Fact]
    public async Task A_crash_after_the_session_started_and_before_any_byte_resumes_that_session_and_makes_one_video()
    {
        var video = await TestVideo.PathAsync();
        var bytes = await File.ReadAllBytesAsync(video);
        var request = Upload(video);
        using (var crashing = Services(new FakePlatformTokens(Token), crashBeforeBytes: true))
        {
            await Assert.ThrowsAsync<ProcessKilledException>(() => Publisher(crashing).PublishAsync(request, null, CancellationToken.None));
        }
        Assert.Empty(youtube.Stored);

        // The redelivery, in a new process: the same ledger, a new publisher.
        using var services = Services(new FakePlatformTokens(Token));
        var published = await Publisher(services).PublishAsync(request, null, CancellationToken.None);

        Assert.Equal(FakeYouTube.VideoId, published.ExternalId);
        Assert.Equal(bytes, youtube.Stored);
        Assert.Single(youtube.Requests("POST", FakeYouTube.InsertPath));
        var first = youtube.Requests("PUT", FakeYouTube.InsertPath).First();
        Assert.Equal($"bytes */{bytes.Length}", first.RequestMessage.Headers!["Content-Range"].Single());
        Assert.Equal(1600m, (await ledger.ListAsync(request.JobId, CancellationToken.None)).Where(c => c.Work.Call.StartsWith(YouTubePublisher.UploadCall, StringComparison.Ordinal)).Sum(c => c.Units));
    }

    [Fact]
    public async Task A_redelivery_after_the_upload_finished_sends_nothing_at_all()
    {
        var video = await TestVideo.PathAsync();
        var request = Upload(video);
        using (var services = Services(new FakePlatformTokens(Token)))
        {
            await Publisher(services).PublishAsync(request, null, CancellationToken.None);
        }
        server.ResetLogEntries();
        var tokens = new FakePlatformTokens(Token);

        using var again = Services(tokens);
        var published = await Publisher(again).PublishAsync(request, null, CancellationToken.None);

        Assert.Equal($"https://www.youtube.com/watch?v={FakeYouTube.VideoId}", published.Url);
        Assert.Empty(server.LogEntries);
        Assert.Equal(0, tokens.Asked);
        // When it went public is kept with the video id: out at once, at the first delivery's time.
        Assert.Equal(time.GetUtcNow(), published.LiveAt);
    }

    [Fact]
    public async Task A_stored_session_that_expired_is_recorded_as_gone_and_a_new_one_is_stored_under_the_next_call_before_its_bytes()
    {
        var video = await TestVideo.PathAsync();
        var bytes = await File.ReadAllBytesAsync(video);
        var request = Upload(video);
        using (var crashing = Services(new FakePlatformTokens(Token), crashBeforeBytes: true))
        {
            await Assert.ThrowsAsync<ProcessKilledException>(() => Publisher(crashing).PublishAsync(request, null, CancellationToken.None));
        }
        youtube.Expire(youtube.Sessions[0]);
        using var services = Services(new FakePlatformTokens(Token));

        var published = await Publisher(services).PublishAsync(request, null, CancellationToken.None);

        Assert.Equal(FakeYouTube.VideoId, published.ExternalId);
        Assert.Equal(bytes, youtube.Stored);
        Assert.Equal(2, youtube.Requests("POST", FakeYouTube.InsertPath).Count());
        var first = await ledger.FindAsync(request.Work!.For(YouTubePublisher.UploadCall), CancellationToken.None);
        Assert.Equal(youtube.Sessions[0], first!.VendorId);
        Assert.True(first.Result!.Value.GetProperty("sessionGone").GetBoolean());
        var second = await ledger.FindAsync(request.Work!.For($"{YouTubePublisher.UploadCall}-2"), CancellationToken.None);
        Assert.Equal(youtube.Sessions[1], second!.VendorId);
        Assert.Equal(FakeYouTube.VideoId, second.Result!.Value.GetProperty("videoId").GetString());
    }

    [Fact]
    public async Task Quota_used_up_in_the_ledger_defers_to_the_next_Pacific_midnight_across_the_change_from_daylight_time()
    {
        // Sunday 1 November 2026, 02:00 PST: the clocks went back at 02:00 PDT, so this Pacific day is 25 hours long. It
        // began at 07:00 UTC (midnight PDT) and the next begins at 08:00 UTC on 2 November (midnight PST).
        await Charge(5000m, new DateTimeOffset(2026, 11, 1, 6, 59, 0, TimeSpan.Zero)); // the day before, Pacific time
        await Charge(8000m, new DateTimeOffset(2026, 11, 1, 7, 30, 0, TimeSpan.Zero));
        var video = await TestVideo.PathAsync();
        using var services = Services(new FakePlatformTokens(Token));

        // 8,000 today + 1,600 fits 10,000: it goes.
        await Publisher(services).PublishAsync(Upload(video), null, CancellationToken.None);
        server.ResetLogEntries();
        // 9,650 today + 1,600 does not.
        var deferral = await Assert.ThrowsAsync<StageDeferredException>(() => Publisher(services).PublishAsync(Upload(video), null, CancellationToken.None));

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero), deferral.Until);
        Assert.StartsWith("YouTube's daily upload quota is used up; the upload goes at 2026-11-02 08:00 UTC", deferral.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task A_403_quotaExceeded_defers_to_the_next_Pacific_midnight_and_the_refused_call_is_counted()
    {
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeYouTube.InsertPath).UsingPost()).AtPriority(0).RespondWith(Response.Create().WithStatusCode(403).WithBody(
            """{"error":{"code":403,"message":"The request cannot be completed because you have exceeded your quota.","errors":[{"message":"The request cannot be completed because you have exceeded your quota.","domain":"youtube.quota","reason":"quotaExceeded"}]}}"""));
        var video = await TestVideo.PathAsync();
        using var services = Services(new FakePlatformTokens(Token));
        var request = Upload(video);

        var deferral = await Assert.ThrowsAsync<StageDeferredException>(() => Publisher(services).PublishAsync(request, null, CancellationToken.None));

        // 02:00 PST on 1 November: the next Pacific midnight is 08:00 UTC on 2 November.
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero), deferral.Until);
        Assert.Contains("quotaExceeded", deferral.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, deferral.Message, StringComparison.Ordinal);
        Assert.Empty(youtube.Requests("PUT", FakeYouTube.InsertPath));
        var refused = Assert.Single(await ledger.ListAsync(request.JobId, CancellationToken.None));
        Assert.Equal((1m, "quota units", (string?)null), (refused.Units, refused.UnitKind, refused.VendorId));
        Assert.Null(await ledger.FindAsync(request.Work!.For(YouTubePublisher.UploadCall), CancellationToken.None));
    }

    [Fact]
    public async Task A_channel_that_may_not_set_thumbnails_publishes_with_a_note_instead_of_failing()
    {
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeYouTube.ThumbnailPath).UsingPost()).AtPriority(0).RespondWith(Response.Create().WithStatusCode(403).WithBody(
            """{"error":{"code":403,"message":"The authenticated user doesn't have permissions to upload and set custom video thumbnails.","errors":[{"message":"The authenticated user doesn't have permissions to upload and set custom video thumbnails.","domain":"youtube.thumbnail","reason":"forbidden"}]}}"""));
        var video = await TestVideo.PathAsync();
        using var services = Services(new FakePlatformTokens(Token));
        var request = Upload(video);

        var published = await Publisher(services).PublishAsync(request, null, CancellationToken.None);

        Assert.Equal(FakeYouTube.VideoId, published.ExternalId);
        Assert.Contains("verified", published.Note, StringComparison.Ordinal);
        var thumbnail = await ledger.FindAsync(request.Work!.For(YouTubePublisher.ThumbnailCall), CancellationToken.None);
        Assert.False(thumbnail!.Result!.Value.GetProperty("set").GetBoolean());
    }

    [Fact]
    public async Task A_401_asks_the_tokens_once_more_and_the_call_goes_with_the_refreshed_token()
    {
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeYouTube.InsertPath).UsingPost().WithHeader("Authorization", $"Bearer {Token}")).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"code":401,"message":"Request had invalid authentication credentials.","errors":[{"reason":"authError"}]}}"""));
        var tokens = new FakePlatformTokens(Token, Refreshed);
        var video = await TestVideo.PathAsync();
        using var services = Services(tokens);

        var published = await Publisher(services).PublishAsync(Upload(video, channel: "Cat Facts Daily"), null, CancellationToken.None);

        Assert.Equal(FakeYouTube.VideoId, published.ExternalId);
        Assert.Equal(2, tokens.Asked);
        Assert.Equal([Token], tokens.Forgotten);
        Assert.All(tokens.Channels, c => Assert.Equal("Cat Facts Daily", c));
        var inserts = youtube.Requests("POST", FakeYouTube.InsertPath).Select(e => e.RequestMessage.Headers!["Authorization"].Single()).ToList();
        Assert.Equal([$"Bearer {Token}", $"Bearer {Refreshed}"], inserts);
        Assert.All(youtube.Requests("PUT", FakeYouTube.InsertPath), e => Assert.Equal($"Bearer {Refreshed}", e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task A_revoked_grant_fails_the_row_for_good_saying_reconnect_YouTube_and_a_second_401_does_too()
    {
        var tokens = new FakePlatformTokens(Token) { Refusal = new ReconnectRequiredException("youtube", "Cat Facts Daily", "Token has been expired or revoked") };
        var video = await TestVideo.PathAsync();
        using var services = Services(tokens);

        var failure = await Assert.ThrowsAsync<PermanentStageException>(() => services.GetRequiredService<IPublisher>().PublishAsync(Upload(video), CancellationToken.None));

        Assert.StartsWith("Reconnect YouTube (Cat Facts Daily): Token has been expired or revoked; run ./vf connect youtube", failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);

        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeYouTube.InsertPath).UsingPost()).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"code":401,"message":"Invalid Credentials"}}"""));
        tokens.Refusal = null;
        var again = await Assert.ThrowsAsync<ReconnectRequiredException>(() => Publisher(services).PublishAsync(Upload(video), null, CancellationToken.None));
        Assert.Contains("Reconnect YouTube", again.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, again.Message, StringComparison.Ordinal);
        Assert.Equal(2, youtube.Requests("POST", FakeYouTube.InsertPath).Count());
    }

    [Fact]
    public async Task Take_down_deletes_the_video_once_records_its_quota_and_counts_404_as_done()
    {
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeYouTube.DeletePath).UsingDelete().WithParam("id", FakeYouTube.VideoId)).RespondWith(Response.Create().WithStatusCode(204));
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(FakeYouTube.DeletePath).UsingDelete().WithParam("id", "gone-already")).RespondWith(Response.Create().WithStatusCode(404)
            .WithBody("""{"error":{"code":404,"message":"Video not found.","errors":[{"reason":"videoNotFound"}]}}"""));
        using var services = Services(new FakePlatformTokens(Token));
        var router = services.GetRequiredService<IPublisher>();
        var work = new PaidWork(Guid.NewGuid(), StageName.Publish, 1, PublishStage.TakeDownCall);
        var video = new PublishedVideo("youtube", YouTubePublisher.WatchUrl(FakeYouTube.VideoId), FakeYouTube.VideoId, "Cat Facts Daily");

        Assert.Empty(await router.TakeDownAsync(work, [video], CancellationToken.None));
        Assert.Empty(await router.TakeDownAsync(work, [video], CancellationToken.None));

        var delete = Assert.Single(youtube.Requests("DELETE", FakeYouTube.DeletePath));
        Assert.Equal($"Bearer {Token}", delete.RequestMessage.Headers!["Authorization"].Single());
        var call = await ledger.FindAsync(work.For(YouTubePublisher.DeleteCall), CancellationToken.None);
        Assert.Equal((50m, "quota units"), (call!.Units, call.UnitKind));
        var other = new PaidWork(Guid.NewGuid(), StageName.Publish, 1, PublishStage.TakeDownCall);
        Assert.Empty(await router.TakeDownAsync(other, [video with { ExternalId = "gone-already" }], CancellationToken.None));
        Assert.True((await ledger.FindAsync(other.For(YouTubePublisher.DeleteCall), CancellationToken.None))!.Result!.Value.GetProperty("alreadyGone").GetBoolean());
    }

    private ServiceProvider Services(FakePlatformTokens tokens, bool crashBeforeBytes = false) =>
        YouTubeServices.Build(server, tokens, ledger, time, folder.Path, crashBeforeBytes: crashBeforeBytes);

    private static IPlatformPublisher Publisher(IServiceProvider services) =>
        services.GetServices<IPlatformPublisher>().Single(p => p.Platform == "youtube");

    private Task Charge(decimal units, DateTimeOffset at) => ledger.RecordAsync(
        new PaidCall(new PaidWork(Guid.NewGuid(), StageName.Publish, 1, YouTubePublisher.UploadCall), "youtube", units, "quota units", 0m, new DateOnly(2026, 11, 1), At: at),
        CancellationToken.None);

    private PublishRequest Upload(string video, DateTimeOffset? publishAt = null, string? channel = null)
    {
        var job = Guid.NewGuid();
        var thumbnail = Path.Combine(folder.Path, $"thumb-{job:N}.jpg");
        File.WriteAllBytes(thumbnail, TestVideo.Jpeg);
        return new PublishRequest(
            job, video, "Why cats knock things off tables", "Gravity tests, every morning.\n\nCredits:\nVideo by Jane on Pexels",
            ["#cats", "cat facts", "Cats", "shorts"], Platforms.YouTube, publishAt,
            Work: new PaidWork(job, StageName.Publish, 1, PublishStage.PublishCall), ThumbnailPath: thumbnail, Language: "en", Channel: channel);
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    /// <summary>Every share reported, in order.</summary>
    private sealed class Reports : IProgress<double>
    {
        public List<double> Values { get; } = [];

        public void Report(double value)
        {
            lock (Values)
            {
                Values.Add(value);
            }
        }
    }
}

/// <summary>A real small MP4 (a second of noise, which does not compress: about 1.2 MB, five chunks), made once with ffmpeg.</summary>
internal static class TestVideo
{
    private static readonly Lazy<Task<string>> Made = new(MakeAsync);

    /// <summary>A tiny but real JPEG's first bytes are enough for a thumbnail body the fake only compares.</summary>
    public static byte[] Jpeg { get; } = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9];

    public static Task<string> PathAsync() => Made.Value;

    private static async Task<string> MakeAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vf-youtube-test-{Guid.NewGuid():N}.mp4");
        var runner = ViralForge.Testing.Media.MediaTesting.Runner(ViralForge.Testing.Media.MediaTesting.Options(320, 240));
        await runner.RunAsync(
            [.. ViralForge.Render.FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=25:d=1", "-vf", "noise=alls=60:allf=t+u",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-y", path],
            CancellationToken.None);
        return path;
    }
}
