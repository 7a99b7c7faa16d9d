using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.TikTok;
using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;

namespace ViralForge.Adapters.Tests.TikTok;

/// <summary>The TikTok publisher against WireMock answering the Content Posting API's envelope and upload URL.</summary>
public sealed class TikTokPublisherTests : IDisposable
{
    private const string PublishId = "v_pub_file~v2-1.7312345678901234567";
    private const string PostId = "7312345678901234567";
    private const string Creator = "/v2/post/publish/creator_info/query/";
    private const string Init = "/v2/post/publish/video/init/";
    private const string Status = "/v2/post/publish/status/fetch/";
    private const string Upload = "/upload/";
    private const long MB = TikTokOptions.Megabyte;

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly TempFolder folder = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 15, 30, 0, TimeSpan.Zero));
    private readonly InMemoryCostLedger ledger;
    private readonly FakeTokens tokens = new();
    private int uploadedChunks;

    public TikTokPublisherTests()
    {
        ledger = new InMemoryCostLedger(time);
        Api(Creator, """
            {"data":{"creator_avatar_url":"https://p16.tiktokcdn.com/a.jpeg","creator_username":"gardentips","creator_nickname":"Garden Tips",
                     "privacy_level_options":["PUBLIC_TO_EVERYONE","MUTUAL_FOLLOW_FRIENDS","SELF_ONLY"],
                     "comment_disabled":false,"duet_disabled":false,"stitch_disabled":true,"max_video_post_duration_sec":600},
             "error":{"code":"ok","message":"","log_id":"20261207153000A1"}}
            """);
        Api(Init, $$$"""{"data":{"publish_id":"{{{PublishId}}}","upload_url":"{{{server.Urls[0]}}}/upload/?upload_id=67890&upload_token=Xza123"},"error":{"code":"ok","message":"","log_id":"20261207153000A2"}}""");
        UploadAnswers(201);
        StatusAnswers(_ => $$$"""{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[{{{PostId}}}],"uploaded_bytes":{{{uploadedChunks}}}},"error":{"code":"ok","message":"","log_id":"A3"}}""");
    }

    [Fact]
    public async Task A_post_sends_creator_info_init_chunks_and_status_in_TikToks_wire_format_and_says_it_is_SELF_ONLY()
    {
        var video = Video(1 * MB);
        var work = Work();

        var published = await Publisher().PublishAsync(PostOf(video, work), null, CancellationToken.None);

        Assert.Equal([Creator, Init, Upload, Status], server.LogEntries.Select(e => e.RequestMessage.Path));
        var creator = Sent(Creator);
        Assert.Equal("Bearer act.1", creator.RequestMessage.Headers!["Authorization"].Single());
        Assert.StartsWith("application/json; charset=UTF-8", creator.RequestMessage.Headers["Content-Type"].Single(), StringComparison.OrdinalIgnoreCase);
        var init = JsonNode.Parse(Sent(Init).RequestMessage.Body!)!;
        var expected = JsonNode.Parse($$$"""
            {"post_info":{"title":"Grow basil indoors\n\nThree steps to a windowsill of basil.\n#basil #garden","privacy_level":"SELF_ONLY",
                          "disable_comment":false,"disable_duet":false,"disable_stitch":true,"video_cover_timestamp_ms":1000,
                          "brand_content_toggle":false,"brand_organic_toggle":false,"is_aigc":true},
             "source_info":{"source":"FILE_UPLOAD","video_size":{{{MB}}},"chunk_size":{{{MB}}},"total_chunk_count":1}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, init), init.ToJsonString());
        var put = Sent(Upload).RequestMessage;
        Assert.Equal("PUT", put.Method);
        Assert.Contains("upload_token=Xza123", put.Url, StringComparison.Ordinal);
        Assert.False(put.Headers!.ContainsKey("Authorization"));
        Assert.Equal($"bytes 0-{MB - 1}/{MB}", put.Headers["Content-Range"].Single());
        Assert.Equal("video/mp4", put.Headers["Content-Type"].Single());
        Assert.Equal(File.ReadAllBytes(video), put.BodyAsBytes);
        Assert.Equal("""{"publish_id":"v_pub_file~v2-1.7312345678901234567"}""", Sent(Status).RequestMessage.Body);

        Assert.Equal($"https://www.tiktok.com/@gardentips/video/{PostId}", published.Url);
        Assert.Equal(PostId, published.ExternalId);
        Assert.Equal("gardentips", published.Channel);
        Assert.Contains("SELF_ONLY", published.Note, StringComparison.Ordinal);
        Assert.Contains("TikTok:Audited", published.Note, StringComparison.Ordinal);
        var call = Assert.Single(ledger.Calls);
        Assert.Equal((work.For("tiktok-post"), "tiktok:gardentips", 1m, "posts", 0m), (call.Work, call.Provider, call.Units, call.UnitKind, call.Usd));
        Assert.StartsWith(PublishId + " ", call.VendorId, StringComparison.Ordinal);
        Assert.NotNull(call.Result);
    }

    [Fact]
    public async Task An_audited_client_posts_with_its_privacy_level_and_no_note()
    {
        var published = await Publisher(o => o.Audited = true).PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None);

        Assert.Equal("PUBLIC_TO_EVERYONE", JsonNode.Parse(Sent(Init).RequestMessage.Body!)!["post_info"]!["privacy_level"]!.GetValue<string>());
        Assert.Null(published.Note);
    }

    [Fact]
    public async Task A_twelve_MB_video_in_five_MB_chunks_is_two_PUTs_the_last_absorbing_the_remainder()
    {
        var video = Video(12 * MB);
        var progress = new List<double>();

        await Publisher(o => o.ChunkBytes = 5 * MB).PublishAsync(PostOf(video, Work()), new SyncProgress(progress.Add), CancellationToken.None);

        var source = JsonNode.Parse(Sent(Init).RequestMessage.Body!)!["source_info"]!;
        Assert.Equal((12 * MB, 5 * MB, 2), (source["video_size"]!.GetValue<long>(), source["chunk_size"]!.GetValue<long>(), source["total_chunk_count"]!.GetValue<int>()));
        var puts = server.LogEntries.Where(e => e.RequestMessage.Path == Upload).Select(e => e.RequestMessage).ToList();
        Assert.Equal([$"bytes 0-{5 * MB - 1}/{12 * MB}", $"bytes {5 * MB}-{12 * MB - 1}/{12 * MB}"], puts.Select(p => p.Headers!["Content-Range"].Single()));
        Assert.Equal([5 * MB, 7 * MB], puts.Select(p => (long)p.BodyAsBytes!.Length));
        Assert.Equal(File.ReadAllBytes(video), puts[0].BodyAsBytes!.Concat(puts[1].BodyAsBytes!).ToArray());
        Assert.Equal(1.0, progress[^1], 3);
    }

    [Theory]
    [InlineData("FAILED", "file_format_check_failed")]
    [InlineData("FAILED", "duration_check_failed")]
    public async Task A_FAILED_post_is_permanent_and_names_TikToks_fail_reason(string status, string reason)
    {
        StatusAnswers(_ => $$$"""{"data":{"status":"{{{status}}}","fail_reason":"{{{reason}}}"},"error":{"code":"ok","message":"","log_id":"A4"}}""");

        var e = await Assert.ThrowsAsync<PermanentStageException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Equal($"TikTok failed post {PublishId}: {reason}", e.Message);
    }

    [Fact]
    public async Task Still_processing_past_the_deadline_asks_the_queue_to_come_back_and_the_next_delivery_polls_the_same_post()
    {
        StatusAnswers(_ => """{"data":{"status":"PROCESSING_DOWNLOAD","uploaded_bytes":1000},"error":{"code":"ok","message":"","log_id":"A5"}}""");
        var work = Work();
        var publisher = Publisher(o => (o.StatusDeadline, o.StatusRetryAfter) = (TimeSpan.Zero, TimeSpan.FromMinutes(2)));

        var e = await Assert.ThrowsAsync<WorkStillRunningException>(() => publisher.PublishAsync(PostOf(Video(1000), work), null, CancellationToken.None));
        Assert.Equal(TimeSpan.FromMinutes(2), e.RetryAfter);
        Assert.Contains(PublishId, e.Message, StringComparison.Ordinal);

        StatusAnswers(_ => $$$"""{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[{{{PostId}}}]},"error":{"code":"ok","message":"","log_id":"A6"}}""");
        var published = await publisher.PublishAsync(PostOf(Video(1000), work), null, CancellationToken.None);

        Assert.Equal($"https://www.tiktok.com/@gardentips/video/{PostId}", published.Url);
        Assert.Single(server.LogEntries, x => x.RequestMessage.Path == Init);
        Assert.Single(server.LogEntries, x => x.RequestMessage.Path == Upload);
    }

    [Fact]
    public async Task A_crash_after_init_before_the_upload_resumes_the_same_publish_id_with_one_init()
    {
        UploadAnswers(500);
        var work = Work();
        var video = Video(1000);
        var publisher = Publisher(o => o.MaxRetries = 0);

        await Assert.ThrowsAsync<HttpRequestException>(() => publisher.PublishAsync(PostOf(video, work), null, CancellationToken.None));
        Assert.StartsWith(PublishId, Assert.Single(ledger.Calls).VendorId, StringComparison.Ordinal);

        UploadAnswers(201);
        StatusAnswers(_ => uploadedChunks == 0
            ? """{"data":{"status":"PROCESSING_UPLOAD","uploaded_bytes":0},"error":{"code":"ok","message":"","log_id":"A7"}}"""
            : $$$"""{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[{{{PostId}}}]},"error":{"code":"ok","message":"","log_id":"A8"}}""");
        var published = await publisher.PublishAsync(PostOf(video, work), null, CancellationToken.None);

        Assert.Equal(PostId, published.ExternalId);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == Init);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == Creator);
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Path == Upload));
        Assert.All(server.LogEntries.Where(e => e.RequestMessage.Path == Status),
            e => Assert.Equal("""{"publish_id":"v_pub_file~v2-1.7312345678901234567"}""", e.RequestMessage.Body));
        Assert.Equal(1m, Assert.Single(ledger.Calls).Units);
    }

    [Fact]
    public async Task A_redelivery_after_success_returns_the_stored_post_without_calling_TikTok()
    {
        var work = Work();
        var first = await Publisher().PublishAsync(PostOf(Video(1000), work), null, CancellationToken.None);
        var calls = server.LogEntries.Count();

        var again = await Publisher().PublishAsync(PostOf(Video(1000), work), null, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(calls, server.LogEntries.Count());
    }

    [Fact]
    public async Task Rate_limit_exceeded_on_init_is_retried_later_by_the_queue_and_nothing_is_recorded()
    {
        Api(Init, """{"data":{},"error":{"code":"rate_limit_exceeded","message":"API rate limit was exceeded.","log_id":"A9"}}""", 429);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Contains("rate_limit_exceeded", e.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries, x => x.RequestMessage.Path == Init);
        Assert.Empty(ledger.Calls);
    }

    [Theory]
    [InlineData("spam_risk_too_many_posts")]
    [InlineData("reached_active_user_cap")]
    public async Task TikToks_daily_caps_defer_the_post_to_the_next_UTC_day(string code)
    {
        Api(Creator, $$$"""{"data":{},"error":{"code":"{{{code}}}","message":"","log_id":"B1"}}""", 403);

        var e = await Assert.ThrowsAsync<StageDeferredException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Equal(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), e.Until);
        Assert.Contains(code, e.Message, StringComparison.Ordinal);
        Assert.Contains("2026-12-08 00:00 UTC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_per_day_are_counted_per_account_in_the_ledger_and_over_the_cap_the_post_waits_for_the_next_UTC_day()
    {
        // Yesterday's post and another account's do not count; today's two do.
        await ledger.RecordAsync(Post("tiktok:gardentips", time.GetUtcNow().AddDays(-1)), CancellationToken.None);
        await ledger.RecordAsync(Post("tiktok:someoneelse", time.GetUtcNow()), CancellationToken.None);
        await ledger.RecordAsync(Post("tiktok:gardentips", time.GetUtcNow().AddHours(-2)), CancellationToken.None);
        var publisher = Publisher(o => o.PostsPerDay = 2);
        await publisher.PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None);
        var logged = server.LogEntries.Count();

        var e = await Assert.ThrowsAsync<StageDeferredException>(() => publisher.PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Equal(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), e.Until);
        Assert.Equal("TikTok account gardentips has made 2 of its 2 posts today (TikTok:PostsPerDay, per UTC day); this one goes after 2026-12-08 00:00 UTC", e.Message);
        Assert.Equal(logged, server.LogEntries.Count());
    }

    [Fact]
    public async Task A_future_Publish_At_defers_until_then_because_TikTok_cannot_schedule()
    {
        var at = time.GetUtcNow().AddHours(5);

        var e = await Assert.ThrowsAsync<StageDeferredException>(() =>
            Publisher().PublishAsync(PostOf(Video(1000), Work()) with { PublishAt = at }, null, CancellationToken.None));

        Assert.Equal(at, e.Until);
        Assert.Contains("no scheduled posting", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task An_invalid_access_token_is_refreshed_once_then_the_row_asks_for_vf_connect()
    {
        Api(Creator, """{"data":{},"error":{"code":"access_token_invalid","message":"The access token is invalid or not found in the request.","log_id":"B2"}}""", 401);

        var e = await Assert.ThrowsAsync<ReconnectRequiredException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Equal("tiktok", e.Platform);
        Assert.Equal(1, tokens.Forgets);
        Assert.Equal(["Bearer act.1", "Bearer act.2"], server.LogEntries.Select(x => x.RequestMessage.Headers!["Authorization"].Single()));
        Assert.DoesNotContain("act.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refreshed_token_that_works_carries_on_with_the_post()
    {
        server.Given(Request.Create().WithPath(Creator).UsingPost().WithHeader("Authorization", "Bearer act.1")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"data":{},"error":{"code":"access_token_invalid","message":"","log_id":"B3"}}"""));

        var published = await Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None);

        Assert.Equal(PostId, published.ExternalId);
        Assert.Equal("Bearer act.2", Sent(Init).RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task A_video_longer_than_the_accounts_maximum_is_refused_naming_both_lengths()
    {
        var video = folder.File("long.mp4");
        File.WriteAllBytes(video, Mp4(seconds: 75));
        Api(Creator, """{"data":{"creator_username":"gardentips","privacy_level_options":["SELF_ONLY"],"max_video_post_duration_sec":60},"error":{"code":"ok","message":"","log_id":"B4"}}""");

        var e = await Assert.ThrowsAsync<PermanentStageException>(() => Publisher().PublishAsync(PostOf(video, Work()), null, CancellationToken.None));

        Assert.Equal("The video is 75 s long, but TikTok account gardentips takes videos of at most 60 s (max_video_post_duration_sec); make the row's Duration shorter", e.Message);
        Assert.DoesNotContain(server.LogEntries, x => x.RequestMessage.Path == Init);
    }

    [Fact]
    public void The_MP4_movie_header_gives_the_length_and_other_files_give_none()
    {
        var video = folder.File("short.mp4");
        File.WriteAllBytes(video, Mp4(seconds: 12.5));

        Assert.Equal(12.5, Mp4Duration.TryRead(video));
        Assert.Null(Mp4Duration.TryRead(Video(1000)));
    }

    [Fact]
    public async Task A_private_post_without_a_public_id_links_the_profile_and_says_why()
    {
        StatusAnswers(_ => """{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[]},"error":{"code":"ok","message":"","log_id":"B5"}}""");

        var published = await Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None);

        Assert.Equal("https://www.tiktok.com/@gardentips", published.Url);
        Assert.Contains("a private post has no public link", published.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_is_retried_within_the_delivery_then_left_to_the_queue_and_a_malformed_body_is_not_permanent()
    {
        Api(Creator, """{"data":{},"error":{"code":"internal_error","message":"Something went wrong.","log_id":"C1"}}""", 500);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Contains("internal_error", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.LogEntries.Count());   // the first try and MaxRetries (2) more

        Api(Creator, "<html>502 Bad Gateway</html>");
        await Assert.ThrowsAsync<InvalidDataException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));
    }

    [Theory]
    [InlineData("unaudited_client_can_only_post_to_private_accounts", "make TikTok account gardentips private")]
    [InlineData("privacy_level_option_mismatch", "TikTok video/init answered 400 privacy_level_option_mismatch (log_id C2)")]
    public async Task A_refused_init_is_permanent_and_says_TikToks_code(string code, string said)
    {
        Api(Init, $$$"""{"data":{},"error":{"code":"{{{code}}}","message":"","log_id":"C2"}}""", 400);

        var e = await Assert.ThrowsAsync<PermanentStageException>(() => Publisher().PublishAsync(PostOf(Video(1000), Work()), null, CancellationToken.None));

        Assert.Contains(said, e.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public async Task Taking_a_TikTok_post_down_is_a_sentence_with_the_link_because_TikTok_has_no_delete_API()
    {
        var url = $"https://www.tiktok.com/@gardentips/video/{PostId}";

        var said = await Publisher().UnpublishAsync(new PublishedVideo("tiktok", url, PostId), CancellationToken.None);

        Assert.Equal($"Remove it by hand on TikTok: {url}", said);
        Assert.Empty(server.LogEntries);
    }

    private TikTokPublisher Publisher(Action<TikTokOptions>? configure = null)
    {
        var options = new TikTokOptions
        {
            ClientKey = "client-key", ClientSecret = "client-secret", BaseUrl = new Uri(server.Urls[0] + "/"),
            StatusPollInterval = TimeSpan.Zero, RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        return new TikTokPublisher(new TestHttpClients(), Options.Create(options), tokens, time, ledger);
    }

    private void Api(string path, string body, int status = 200) =>
        server.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body));

    private void UploadAnswers(int status) =>
        server.Given(Request.Create().WithPath(Upload).UsingPut()).AtPriority(5).RespondWith(Response.Create().WithCallback(_ =>
        {
            if (status < 300)
            {
                Interlocked.Increment(ref uploadedChunks);
            }
            return new WireMock.ResponseMessage { StatusCode = status };
        }));

    private void StatusAnswers(Func<int, string> body) =>
        server.Given(Request.Create().WithPath(Status).UsingPost()).AtPriority(5).RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
        {
            StatusCode = 200,
            BodyData = new BodyData { BodyAsString = body(uploadedChunks), DetectedBodyType = BodyType.String },
        }));

    private WireMock.Logging.ILogEntry Sent(string path) => Assert.Single(server.LogEntries, e => e.RequestMessage.Path == path);

    private string Video(long bytes)
    {
        var path = folder.File($"video-{Guid.NewGuid():N}.mp4");
        var data = new byte[bytes];
        new Random(42).NextBytes(data);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static PaidWork Work() => new(Guid.NewGuid(), StageName.Publish, 1, "publish");

    private static PublishRequest PostOf(string video, PaidWork work) => new(
        work.JobId, video, "Grow basil indoors", "Three steps to a windowsill of basil.", ["basil", "#garden"], Platforms.TikTok, null, Work: work);

    private PaidCall Post(string provider, DateTimeOffset at) =>
        new(new PaidWork(Guid.NewGuid(), StageName.Publish, 1, "tiktok-post"), provider, 1, "posts", 0m, DateOnly.FromDateTime(at.UtcDateTime), "x y", At: at);

    /// <summary>An MP4 whose only box is moov holding a version-0 mvhd with a 1000 timescale.</summary>
    private static byte[] Mp4(double seconds)
    {
        var mvhd = new byte[8 + 100];
        BinaryPrimitives.WriteUInt32BigEndian(mvhd, (uint)mvhd.Length);
        Encoding.ASCII.GetBytes("mvhd").CopyTo(mvhd, 4);
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(8 + 12), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(8 + 16), (uint)(seconds * 1000));
        var moov = new byte[8 + mvhd.Length];
        BinaryPrimitives.WriteUInt32BigEndian(moov, (uint)moov.Length);
        Encoding.ASCII.GetBytes("moov").CopyTo(moov, 4);
        mvhd.CopyTo(moov, 8);
        var ftyp = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(ftyp, 16);
        Encoding.ASCII.GetBytes("ftypisom").CopyTo(ftyp, 4);
        return [.. ftyp, .. moov];
    }

    public void Dispose()
    {
        server.Stop();
        folder.Dispose();
    }

    /// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; posts to the thread pool, which a test would race).</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
