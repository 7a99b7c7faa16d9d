using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.TikTok;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Functions.Tests.Simulated;
using ViralForge.RenderJob;
using ViralForge.Testing;
using WireMock.Logging;
using Xunit.Abstractions;

namespace ViralForge.Functions.Tests;

/// <summary>
/// Issue 14's done-when run: a row asking for both platforms goes end to end in the gcp profile and is published for
/// real, YouTube and TikTok played by WireMock in their own wire formats (Google's and TikTok's token endpoints, YouTube's
/// resumable videos.insert and thumbnails.set, TikTok's creator_info, video/init, chunk PUT and status/fetch), with the
/// accounts connected through the real token vault as `vf connect` stores them.
/// </summary>
public sealed class GcpPublishPipelineTests(ITestOutputHelper output)
{
    private const string SpreadsheetId = "1PublishBothPlatformsSheet000000000000000000";
    private const string Tab = "Ideas";
    private const string VideoId = "vfPipe_1234";
    private const string PostId = "7312345678901234567";
    private const string PublishId = "v_pub_file~v2-1.7312345678901234500";
    private const string YouTubeRefresh = "1//yt-refresh-token-SECRET";
    private const string TikTokRefresh = "rft.tiktok-refresh-token-SECRET";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_row_for_both_platforms_is_uploaded_once_to_each_and_a_redelivery_uploads_nothing()
    {
        using var platforms = WireMockServer.Start();
        AnswerAsGoogleAndYouTube(platforms);
        AnswerAsTikTok(platforms);
        using var google = new SimulatedGoogleCloud();
        google.AddSheet(SpreadsheetId, Tab,
        [
            ["Topic", "Platform", "Duration", "Notes"],
            ["Why cats love boxes", "both", "10", "Keep it light."],
        ]);
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = Settings(google, platforms, url, scratch.Path);
        await using var host = await TestHost.StartAsync(dispatch: false, settings: settings, url: url, replace: GcpPipelineSettings.SimulatedCredentials);
        google.OnJobRun = overrides => RunRenderJobAsync(settings, host.Database.ConnectionString, overrides);
        // Connected as `vf connect youtube` and `vf connect tiktok` leave them: the refresh tokens sealed in the vault.
        var vault = host.Get<AccountVault>();
        await vault.SaveAsync(new PlatformAccount(PlatformNames.YouTube, "UCcatfacts000000000000", "Cat Facts Daily"), YouTubeRefresh, CancellationToken.None);
        await vault.SaveAsync(new PlatformAccount(PlatformNames.TikTok, "open-id-catfacts", "catfacts"), TikTokRefresh, CancellationToken.None);

        using var delivery = new CancellationTokenSource();
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var deliverer = google.DeliverAsync(client, TimeProvider.System, maxAttempts: 5, delivery.Token);
        var sheet = host.Get<ISheetRegistry>().Open($"gsheet:{SpreadsheetId}/{Tab}");
        var id = Assert.Single(await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None), r => r.JobId is not null).JobId!.Value;
        var job = await WaitAsync(host, id);
        var cells = await WaitForRowAsync(google, c => c.Cell(1, SheetContract.Status) == JobStatus.Published && c.Cell(1, SheetContract.PublishedUrlTikTok).Length > 0);
        await delivery.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliverer);

        Assert.Equal(JobStatus.Published, job.Status);
        var rendered = google.Objects.Single(o => o.Key.StartsWith($"vf-test-bucket/jobs/{id:N}/render/", StringComparison.Ordinal) && o.Key.EndsWith("video.mp4", StringComparison.Ordinal)).Value;

        // Exactly one upload to each platform, of the rendered video's bytes.
        var counts = Calls(platforms);
        output.WriteLine(string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
        Assert.Equal(1, counts["POST /upload/youtube/v3/videos"]);
        Assert.Equal(1, counts["PUT /upload/youtube/v3/videos"]);
        Assert.Equal(1, counts["POST /upload/youtube/v3/thumbnails/set"]);
        Assert.Equal(1, counts["POST /v2/post/publish/creator_info/query/"]);
        Assert.Equal(1, counts["POST /v2/post/publish/video/init/"]);
        Assert.Equal(1, counts["PUT /upload/tiktok/"]);
        Assert.True(counts["POST /v2/post/publish/status/fetch/"] >= 1);
        var insert = Single(platforms, "POST", "/upload/youtube/v3/videos");
        Assert.Equal(rendered.Length.ToString(CultureInfo.InvariantCulture), insert.RequestMessage.Headers!["X-Upload-Content-Length"].Single());
        Assert.Equal("Bearer ya29.pipeline-access", insert.RequestMessage.Headers!["Authorization"].Single());
        var snippet = JsonNode.Parse(insert.RequestMessage.Body!)!;
        Assert.True((bool)snippet["status"]!["containsSyntheticMedia"]!);
        Assert.Equal("public", (string)snippet["status"]!["privacyStatus"]!);
        Assert.Equal(SHA256.HashData(rendered), SHA256.HashData(Single(platforms, "PUT", "/upload/youtube/v3/videos").RequestMessage.BodyAsBytes!));
        var init = JsonNode.Parse(Single(platforms, "POST", "/v2/post/publish/video/init/").RequestMessage.Body!)!;
        Assert.Equal(rendered.Length, (long)init["source_info"]!["video_size"]!);
        Assert.Equal("FILE_UPLOAD", (string)init["source_info"]!["source"]!);
        Assert.True((bool)init["post_info"]!["is_aigc"]!);
        Assert.Equal("PUBLIC_TO_EVERYONE", (string)init["post_info"]!["privacy_level"]!);
        var chunk = Single(platforms, "PUT", "/upload/tiktok/");
        Assert.Equal($"bytes 0-{rendered.Length - 1}/{rendered.Length}", chunk.RequestMessage.Headers!["Content-Range"].Single());
        Assert.False(chunk.RequestMessage.Headers!.ContainsKey("Authorization"), "TikTok's upload_url takes no Authorization header");
        Assert.Equal(SHA256.HashData(rendered), SHA256.HashData(chunk.RequestMessage.BodyAsBytes!));
        // Each refresh token was exchanged once; TikTok's rotated one was stored before its access token was used.
        Assert.Equal(1, counts["POST /token"]);
        Assert.Equal(1, counts["POST /v2/oauth/token/"]);
        Assert.Equal("rft.rotated-SECRET", await vault.ReadRefreshTokenAsync(new PlatformAccount(PlatformNames.TikTok, "open-id-catfacts", "catfacts"), CancellationToken.None));

        // The row: Published URL is the first platform's link, and each platform has its own cell, made on demand at the right.
        var youtubeUrl = YouTubePublisher.WatchUrl(VideoId);
        var tiktokUrl = $"https://www.tiktok.com/@catfacts/video/{PostId}";
        Assert.Equal(youtubeUrl, cells.Cell(1, SheetContract.PublishedUrl));
        Assert.Equal(youtubeUrl, cells.Cell(1, SheetContract.PublishedUrlYouTube));
        Assert.Equal(tiktokUrl, cells.Cell(1, SheetContract.PublishedUrlTikTok));
        Assert.Equal(youtubeUrl, cells.Cell(1, SheetContract.Video));
        Assert.Equal("", cells.Cell(1, SheetContract.Error));
        var header = google.Values(SpreadsheetId, Tab)[0];
        Assert.Equal([SheetContract.PublishedUrlYouTube, SheetContract.PublishedUrlTikTok], header.Skip(header.Count - 2));
        Assert.Equal(["Topic", "Platform", "Duration", "Notes"], header.Take(4));
        Assert.Equal(["Why cats love boxes", "both", "10", "Keep it light."], google.Values(SpreadsheetId, Tab)[1].Take(4));
        Assert.DoesNotContain(google.Values(SpreadsheetId, Tab).SelectMany(r => r), c => c.Contains("SECRET", StringComparison.Ordinal));

        // The ledger holds each platform's upload, under the publish stage's work, once.
        var ledger = await host.Get<ICostLedger>().ListAsync(id, CancellationToken.None);
        Assert.Single(ledger, c => c.Work.Call == YouTubePublisher.UploadCall && c.Provider == YouTubePublisher.Provider);
        Assert.Single(ledger, c => c.Work.Call == TikTokPublisher.CallName && c.Provider == "tiktok:catfacts");

        // Cloud Tasks delivers at least once: the publish task arrives again and uploads nothing.
        var publishTask = google.DeliveredTasks.ToList().FindIndex(t =>
            t.Url.EndsWith("/stages/publish", StringComparison.Ordinal) && t.Body.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.True(publishTask >= 0, "the publish task was never delivered");
        var answer = await google.RedeliverAsync(client, TimeProvider.System, publishTask, CancellationToken.None);
        Assert.True((int)answer is >= 200 and < 300, $"the redelivered publish task was answered {(int)answer}");
        // And a delivery that crashed after both uploads, before the stage was committed, finds both in the ledger.
        var video = scratch.File("again.mp4");
        await File.WriteAllBytesAsync(video, rendered);
        var again = await host.Get<IPublisher>().PublishAsync(
            new PublishRequest(id, video, "Why cats love boxes", "Again.", ["cats"], Platforms.Both, null,
                Work: new PaidWork(id, StageName.Publish, job.Generation, PublishStage.PublishCall)),
            CancellationToken.None);
        Assert.Equal([youtubeUrl, tiktokUrl], again.Select(v => v.Url));
        Assert.Equal(counts, Calls(platforms));
        Assert.Equal(JobStatus.Published, (await host.Get<IJobStore>().GetAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_TikTok_grant_revoked_after_YouTube_published_keeps_YouTube_says_reconnect_and_posts_once_connected_again()
    {
        using var platforms = WireMockServer.Start();
        AnswerAsGoogleAndYouTube(platforms);
        AnswerAsTikTok(platforms);
        // The stored grant was revoked in the TikTok app; the one `vf connect tiktok` stores later works.
        platforms.Given(Request.Create().WithPath("/v2/oauth/token/").UsingPost().WithBody(b => b != null && b.Contains("revoked", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":"invalid_grant","error_description":"Refresh token is invalid or expired.","log_id":"202612071400000009"}"""));
        using var google = new SimulatedGoogleCloud();
        google.AddSheet(SpreadsheetId, Tab,
        [
            ["Topic", "Platform", "Duration"],
            ["Why cats love boxes", "both", "10"],
        ]);
        using var scratch = new TempFolder();
        var url = $"http://127.0.0.1:{TestHost.FreePort()}";
        var settings = Settings(google, platforms, url, scratch.Path);
        settings["Publishing:ReconnectRetry"] = "00:01:00";
        await using var host = await TestHost.StartAsync(dispatch: false, settings: settings, url: url, replace: GcpPipelineSettings.SimulatedCredentials);
        google.OnJobRun = overrides => RunRenderJobAsync(settings, host.Database.ConnectionString, overrides);
        var vault = host.Get<AccountVault>();
        var tiktok = new PlatformAccount(PlatformNames.TikTok, "open-id-catfacts", "catfacts");
        await vault.SaveAsync(new PlatformAccount(PlatformNames.YouTube, "UCcatfacts000000000000", "Cat Facts Daily"), YouTubeRefresh, CancellationToken.None);
        await vault.SaveAsync(tiktok, "rft.revoked-SECRET", CancellationToken.None);

        using var delivery = new CancellationTokenSource();
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var deliverer = google.DeliverAsync(client, TimeProvider.System, maxAttempts: 5, delivery.Token);
        var sheet = host.Get<ISheetRegistry>().Open($"gsheet:{SpreadsheetId}/{Tab}");
        var id = Assert.Single(await host.Get<IntakeService>().SubmitAsync(sheet, CancellationToken.None), r => r.JobId is not null).JobId!.Value;
        var waiting = await WaitForRowAsync(google, c => c.Cell(1, SheetContract.Error).Contains("run ./vf connect tiktok", StringComparison.Ordinal), Patience);

        // YouTube's video is up and stays; the job is not failed, it waits for the reconnect, and the row says what to do.
        var youtubeUrl = YouTubePublisher.WatchUrl(VideoId);
        var error = waiting.Cell(1, SheetContract.Error);
        output.WriteLine(error);
        Assert.StartsWith("note: Reconnect TikTok (catfacts): TikTok refused the stored grant (400 invalid_grant: Refresh token is invalid or expired.); run ./vf connect tiktok; TikTok is tried again at ", error, StringComparison.Ordinal);
        Assert.EndsWith($"YouTube is uploaded and stays up: {youtubeUrl}", error, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Approved, waiting.Cell(1, SheetContract.Status));
        Assert.Equal(JobStatus.Approved, (await host.Get<IJobStore>().GetAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(1, Calls(platforms)["POST /upload/youtube/v3/videos"]);
        Assert.False(Calls(platforms).ContainsKey("POST /v2/post/publish/video/init/"));
        Assert.Contains(await vault.ListAsync(CancellationToken.None), a => a.Account == tiktok && a.ReconnectReason is not null);

        // `vf connect tiktok` stores a new grant; the deferred task posts to TikTok and YouTube uploads nothing again.
        await vault.SaveAsync(tiktok, "rft.reconnected-SECRET", CancellationToken.None);
        // Cloud Tasks delivers the deferred task at its time; the simulator delivers it within 2 s, when the held run turns
        // it away. So the test does what the queue does at the window: delivers the publish task again until it is taken.
        var publishTask = google.DeliveredTasks.ToList().FindIndex(t =>
            t.Url.EndsWith("/stages/publish", StringComparison.Ordinal) && t.Body.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.True(publishTask >= 0, "the publish task was never delivered");
        var store = host.Get<IJobStore>();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !(await store.GetAsync(id, CancellationToken.None))!.IsTerminal; await Task.Delay(TimeSpan.FromSeconds(3)))
        {
            Assert.True(waited.Elapsed < Patience, "the publish stage was never taken again after the reconnect");
            await google.RedeliverAsync(client, TimeProvider.System, publishTask, CancellationToken.None);
        }
        var job = await WaitAsync(host, id);
        var cells = await WaitForRowAsync(google, c => c.Cell(1, SheetContract.PublishedUrlTikTok).Length > 0 && c.Cell(1, SheetContract.Status) == JobStatus.Published);
        await delivery.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliverer);

        Assert.Equal(JobStatus.Published, job.Status);
        var counts = Calls(platforms);
        Assert.Equal(1, counts["POST /upload/youtube/v3/videos"]);
        Assert.Equal(1, counts["PUT /upload/youtube/v3/videos"]);
        Assert.Equal(1, counts["POST /v2/post/publish/video/init/"]);
        Assert.Equal(youtubeUrl, cells.Cell(1, SheetContract.PublishedUrlYouTube));
        Assert.Equal($"https://www.tiktok.com/@catfacts/video/{PostId}", cells.Cell(1, SheetContract.PublishedUrlTikTok));
        // The wait is over: its note is gone from Error.
        Assert.Equal("", cells.Cell(1, SheetContract.Error));
    }

    private static Dictionary<string, string?> Settings(SimulatedGoogleCloud google, WireMockServer platforms, string url, string workFolder)
    {
        var settings = GcpPipelineSettings.For(google, url, workFolder);
        // In gcp the vault's key comes only from the setting (Secret Manager's vf-accounts-key in a deployment).
        settings["Accounts:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["YouTube:ClientId"] = "1234-pipeline.apps.googleusercontent.com";
        settings["YouTube:ClientSecret"] = "GOCSPX-pipeline-SECRET";
        settings["YouTube:TokenUrl"] = platforms.Url + "/token";
        settings["YouTube:UploadBaseUrl"] = platforms.Url + "/upload/youtube/v3";
        settings["YouTube:ApiBaseUrl"] = platforms.Url + "/youtube/v3";
        settings["TikTok:ClientKey"] = "awpipelineclientkey";
        settings["TikTok:ClientSecret"] = "tiktok-pipeline-SECRET";
        settings["TikTok:BaseUrl"] = platforms.Url + "/";
        settings["TikTok:Audited"] = "true";
        settings["TikTok:StatusPollInterval"] = "00:00:00.100";
        return settings;
    }

    /// <summary>
    /// Google's token endpoint, then YouTube's resumable insert: 200 with the session URI in Location, the whole (small)
    /// file in one PUT answered 200 with the video resource, thumbnails.set answered with its resource.
    /// </summary>
    private static void AnswerAsGoogleAndYouTube(WireMockServer server)
    {
        server.Given(Request.Create().WithPath("/token").UsingPost().WithBody(b => b != null && b.Contains("grant_type=refresh_token", StringComparison.Ordinal)))
            .RespondWith(Json("""{"access_token":"ya29.pipeline-access","expires_in":3599,"scope":"https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl","token_type":"Bearer"}"""));
        server.Given(Request.Create().WithPath("/upload/youtube/v3/videos").UsingPost().WithParam("uploadType", "resumable"))
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("Location", server.Url + "/upload/youtube/v3/videos?uploadType=resumable&upload_id=ADPycdpipeline")
                .WithHeader("X-GUploader-UploadID", "ADPycdpipeline"));
        server.Given(Request.Create().WithPath("/upload/youtube/v3/videos").UsingPut().WithParam("upload_id", "ADPycdpipeline"))
            .RespondWith(Json($$$"""
                {"kind":"youtube#video","etag":"pipeline","id":"{{{VideoId}}}",
                 "snippet":{"publishedAt":"2026-12-07T14:00:00Z","channelId":"UCcatfacts000000000000","title":"Why cats love boxes","categoryId":"22"},
                 "status":{"uploadStatus":"uploaded","privacyStatus":"public","license":"youtube","embeddable":true,"publicStatsViewable":true,"selfDeclaredMadeForKids":false}}
                """));
        server.Given(Request.Create().WithPath("/upload/youtube/v3/thumbnails/set").UsingPost().WithParam("videoId", VideoId))
            .RespondWith(Json("""{"kind":"youtube#thumbnailSetResponse","etag":"t","items":[{"default":{"url":"https://i.ytimg.com/vi/x/default.jpg","width":120,"height":90}}]}"""));
    }

    /// <summary>TikTok's token endpoint (which rotates the refresh token) and the Content Posting API's direct post, in its envelope.</summary>
    private static void AnswerAsTikTok(WireMockServer server)
    {
        server.Given(Request.Create().WithPath("/v2/oauth/token/").UsingPost().WithBody(b => b != null && !b.Contains("revoked", StringComparison.Ordinal)))
            .RespondWith(Json("""{"access_token":"act.pipeline-access","expires_in":7200,"open_id":"open-id-catfacts","refresh_expires_in":15552000,"refresh_token":"rft.rotated-SECRET","scope":"user.info.basic,video.publish","token_type":"Bearer"}"""));
        server.Given(Request.Create().WithPath("/v2/post/publish/creator_info/query/").UsingPost().WithHeader("Authorization", "Bearer act.pipeline-access"))
            .RespondWith(Json("""{"data":{"creator_avatar_url":"https://p16.tiktokcdn.com/a.jpeg","creator_username":"catfacts","creator_nickname":"Cat Facts","privacy_level_options":["PUBLIC_TO_EVERYONE","MUTUAL_FOLLOW_FRIENDS","SELF_ONLY"],"comment_disabled":false,"duet_disabled":false,"stitch_disabled":true,"max_video_post_duration_sec":600},"error":{"code":"ok","message":"","log_id":"202612071400000001"}}"""));
        server.Given(Request.Create().WithPath("/v2/post/publish/video/init/").UsingPost().WithHeader("Authorization", "Bearer act.pipeline-access"))
            .RespondWith(Json($$$"""{"data":{"publish_id":"{{{PublishId}}}","upload_url":"{{{server.Url}}}/upload/tiktok/?upload_id=67890&upload_token=Xza123"},"error":{"code":"ok","message":"","log_id":"202612071400000002"}}"""));
        server.Given(Request.Create().WithPath("/upload/tiktok/").UsingPut().WithParam("upload_id", "67890"))
            .RespondWith(Response.Create().WithStatusCode(201));
        server.Given(Request.Create().WithPath("/v2/post/publish/status/fetch/").UsingPost().WithBody(b => b != null && b.Contains(PublishId, StringComparison.Ordinal)))
            .RespondWith(Json($$$"""{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[{{{PostId}}}],"uploaded_bytes":1},"error":{"code":"ok","message":"","log_id":"202612071400000003"}}"""));
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(body);

    /// <summary>How often each method and path was called.</summary>
    private static Dictionary<string, int> Calls(WireMockServer server) =>
        server.LogEntries.GroupBy(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static ILogEntry Single(WireMockServer server, string method, string path) =>
        Assert.Single(server.LogEntries, e => e.RequestMessage.Method == method && e.RequestMessage.Path == path);

    private async Task<Job> WaitAsync(TestHost host, Guid id)
    {
        try
        {
            return Assert.Single(await host.WaitForJobsAsync([id], j => j.IsTerminal, Patience));
        }
        finally
        {
            foreach (var e in await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None))
            {
                output.WriteLine($"{e.Kind} {e.Stage} {e.Message}");
            }
        }
    }

    /// <summary>The sheet once <paramref name="done"/> holds (the write coalescer flushes a little after a job ends), or as it is after 30 s or <paramref name="patience"/>.</summary>
    private static async Task<SheetCells> WaitForRowAsync(SimulatedGoogleCloud google, Func<SheetCells, bool> done, TimeSpan? patience = null)
    {
        var cells = new SheetCells(google.Values(SpreadsheetId, Tab));
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < (patience ?? TimeSpan.FromSeconds(30)) && !done(cells); cells = new SheetCells(google.Values(SpreadsheetId, Tab)))
        {
            await Task.Delay(200);
        }
        return cells;
    }

    private async Task<bool> RunRenderJobAsync(Dictionary<string, string?> settings, string database, IReadOnlyDictionary<string, string> overrides)
    {
        var environment = GcpPipelineSettings.RenderJobEnvironment(settings, database, overrides);
        using var errors = new StringWriter();
        var code = await RenderJobEntry.RunAsync([], environment, errors, CancellationToken.None, GcpPipelineSettings.SimulatedCredentials);
        output.WriteLine($"render job exited {code} {errors}");
        return code == 0;
    }

    /// <summary>The sheet's values with cells found by column name.</summary>
    private sealed class SheetCells(IReadOnlyList<IReadOnlyList<string>> values)
    {
        public string Cell(int row, string column)
        {
            var c = values[0].ToList().IndexOf(column);
            return c >= 0 && row < values.Count && c < values[row].Count ? values[row][c] : "";
        }
    }
}
