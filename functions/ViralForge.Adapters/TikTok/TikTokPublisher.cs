using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Accounts;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.TikTok;

/// <summary>
/// Direct posts to TikTok (Content Posting API v2, API_PROVIDERS.md §7): creator_info/query first (privacy options, the
/// longest video, whether the account may post now), video/init with FILE_UPLOAD, the chunks PUT to upload_url, then
/// status/fetch until PUBLISH_COMPLETE, SEND_TO_USER_INBOX or FAILED.
/// </summary>
/// <remarks>
/// Safe under redelivery: the publish_id (with its upload_url) is recorded in the cost ledger under
/// request.Work.For("tiktok-post") before the first byte, as one "posts" unit of provider tiktok:&lt;account&gt;. A later
/// delivery finds it and goes on with that post (uploading what TikTok has not received, then polling), never posting
/// again; a stored result is returned as it is. The same ledger rows count an account's posts per UTC day against
/// <see cref="TikTokOptions.PostsPerDay"/>. TikTok has no scheduling, so a future Publish At defers the stage until then.
/// </remarks>
public sealed class TikTokPublisher(
    IHttpClientFactory clients,
    IOptions<TikTokOptions> options,
    IPlatformTokens tokens,
    TimeProvider time,
    ICostLedger? ledger = null) : IPlatformPublisher
{
    public const string HttpClientName = "tiktok";

    /// <summary>The ledger's call name for a row's post.</summary>
    public const string CallName = "tiktok-post";

    public const string UnitKind = "posts";

    private const string Vendor = "TikTok";

    public string Platform => PlatformNames.TikTok;

    /// <summary>The ledger's provider for one account's posts: tiktok:&lt;username&gt;.</summary>
    public static string ProviderOf(PlatformAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return $"{PlatformNames.TikTok}:{account.Name}";
    }

    public async Task<PublishedVideo> PublishAsync(PublishRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var work = request.Work?.For(CallName);
        var stored = work is null || ledger is null ? null : await ledger.FindAsync(work, cancellationToken);
        if (stored?.Result is { } result)
        {
            progress?.Report(1);
            return Stored(result);
        }
        if (!File.Exists(request.VideoPath))
        {
            throw new PermanentStageException($"There is no video to post to TikTok at {request.VideoPath}.");
        }
        var plan = TikTokChunks.Plan(new FileInfo(request.VideoPath).Length, options.Value.ChunkBytes);
        var access = new AccessHolder(await tokens.GetAccessAsync(Platform, request.Channel, cancellationToken));
        if (stored?.VendorId is { } vendorId)
        {
            return await ResumeAsync(request, work!, access, TikTokPost.Parse(vendorId), plan, progress, cancellationToken);
        }

        var now = time.GetUtcNow();
        if (request.PublishAt is { } publishAt && publishAt > now)
        {
            // TikTok's API has no scheduled posting: the queue holds the stage until the time comes.
            throw new StageDeferredException(
                $"TikTok has no scheduled posting; the video is posted at its Publish At, {publishAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC", publishAt);
        }
        var provider = ProviderOf(access.Current.Account);
        await CheckPostsTodayAsync(provider, access.Current.Account, now, cancellationToken);
        var creator = await CreatorInfoAsync(access, cancellationToken);
        CheckDuration(request.VideoPath, creator, access.Current.Account);
        var privacy = Privacy(creator, access.Current.Account);

        var post = await InitAsync(access, request, creator, privacy, plan, cancellationToken);
        if (work is not null && ledger is not null)
        {
            // Before the first byte: a crash from here on resumes this publish_id instead of posting a second time.
            await ledger.RecordAsync(new PaidCall(work, provider, 1, UnitKind, 0m, DateOnly.FromDateTime(now.UtcDateTime), post.ToVendorId()), cancellationToken);
        }
        await UploadAsync(post, request.VideoPath, plan, 0, progress, cancellationToken);
        return await FinishAsync(access, work, provider, post, creator.Username ?? access.Current.Account.Name, privacy, cancellationToken);
    }

    /// <summary>TikTok has no delete API: the row says where to remove it by hand.</summary>
    public Task<string?> UnpublishAsync(PublishedVideo video, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        return Task.FromResult<string?>($"Remove it by hand on TikTok: {video.Url}");
    }

    private async Task<PublishedVideo> ResumeAsync(
        PublishRequest request, PaidWork work, AccessHolder access, TikTokPost post, TikTokChunks plan, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var provider = ProviderOf(access.Current.Account);
        var status = await StatusAsync(access, post.PublishId, cancellationToken);
        if (status.Status == "PROCESSING_UPLOAD" && status.UploadedBytes < plan.VideoSize)
        {
            // The earlier delivery stopped before TikTok had every byte: send the rest to the same upload_url.
            await UploadAsync(post, request.VideoPath, plan, plan.ResumeFrom(status.UploadedBytes), progress, cancellationToken);
        }
        var privacy = options.Value.Audited ? options.Value.PrivacyLevel : SelfOnly;
        return await FinishAsync(access, work, provider, post, access.Current.Account.Name, privacy, cancellationToken);
    }

    private const string SelfOnly = "SELF_ONLY";

    private static readonly JsonElement EmptyObject = JsonSerializer.SerializeToElement(new Dictionary<string, string>(), TikTokJsonContext.Default.DictionaryStringString);

    private async Task CheckPostsTodayAsync(string provider, PlatformAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ledger is null)
        {
            return;
        }
        // The UTC calendar day: TikTok does not publish the window of its cap, and a fixed day is one a person can read.
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var posted = await ledger.UnitsSinceAsync(provider, UnitKind, today, cancellationToken);
        var cap = options.Value.PostsPerDay;
        if (posted >= cap)
        {
            var tomorrow = today.AddDays(1);
            throw new StageDeferredException(
                $"TikTok account {account.Name} has made {posted.ToString("0", CultureInfo.InvariantCulture)} of its {cap} posts today (TikTok:PostsPerDay, per UTC day); this one goes after {tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 00:00 UTC",
                tomorrow);
        }
    }

    private sealed record CreatorInfo(string? Username, IReadOnlyList<string> PrivacyOptions, bool CommentDisabled, bool DuetDisabled, bool StitchDisabled, double? MaxSeconds);

    private async Task<CreatorInfo> CreatorInfoAsync(AccessHolder access, CancellationToken cancellationToken)
    {
        var data = await ApiAsync(access, "v2/post/publish/creator_info/query/", body: null, retry: true, cancellationToken);
        var privacy = data.TryGetProperty("privacy_level_options", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
        return new CreatorInfo(
            PlatformOAuth.Str(data, "creator_username"),
            privacy,
            Bool(data, "comment_disabled"),
            Bool(data, "duet_disabled"),
            Bool(data, "stitch_disabled"),
            data.TryGetProperty("max_video_post_duration_sec", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetDouble() : null);
    }

    private static void CheckDuration(string videoPath, CreatorInfo creator, PlatformAccount account)
    {
        if (creator.MaxSeconds is not { } max || Mp4Duration.TryRead(videoPath) is not { } seconds || seconds <= max)
        {
            return;
        }
        throw new PermanentStageException(string.Create(CultureInfo.InvariantCulture,
            $"The video is {seconds:0.#} s long, but TikTok account {account.Name} takes videos of at most {max:0} s (max_video_post_duration_sec); make the row's Duration shorter"));
    }

    private string Privacy(CreatorInfo creator, PlatformAccount account)
    {
        var o = options.Value;
        var wanted = o.Audited ? o.PrivacyLevel : SelfOnly;
        if (creator.PrivacyOptions.Count > 0 && !creator.PrivacyOptions.Contains(wanted))
        {
            throw new PermanentStageException(
                $"TikTok account {account.Name} does not offer the privacy level {wanted} (it offers {string.Join(", ", creator.PrivacyOptions)}); {(o.Audited ? "set TikTok:PrivacyLevel to one of them" : "an unaudited client can only post SELF_ONLY, to a private account: make the account private in the TikTok app")}");
        }
        return wanted;
    }

    private async Task<TikTokPost> InitAsync(
        AccessHolder access, PublishRequest request, CreatorInfo creator, string privacy, TikTokChunks plan, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("post_info");
            w.WriteString("title", Caption(request));
            w.WriteString("privacy_level", privacy);
            w.WriteBoolean("disable_comment", creator.CommentDisabled);
            w.WriteBoolean("disable_duet", creator.DuetDisabled);
            w.WriteBoolean("disable_stitch", creator.StitchDisabled);
            w.WriteNumber("video_cover_timestamp_ms", 1000);
            w.WriteBoolean("brand_content_toggle", false);
            w.WriteBoolean("brand_organic_toggle", false);
            w.WriteBoolean("is_aigc", o.IsAigc);
            w.WriteEndObject();
            w.WriteStartObject("source_info");
            w.WriteString("source", "FILE_UPLOAD");
            w.WriteNumber("video_size", plan.VideoSize);
            w.WriteNumber("chunk_size", plan.ChunkSize);
            w.WriteNumber("total_chunk_count", plan.TotalChunkCount);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        // Not repeated on 5xx within the delivery: nothing is posted before the bytes arrive, so the queue's retry may init again.
        var data = await ApiAsync(access, "v2/post/publish/video/init/", body, retry: false, cancellationToken);
        var publishId = PlatformOAuth.Str(data, "publish_id") ?? throw new InvalidDataException("TikTok's video/init answered without a publish_id.");
        var uploadUrl = PlatformOAuth.Str(data, "upload_url") ?? throw new InvalidDataException("TikTok's video/init answered without an upload_url.");
        return new TikTokPost(publishId, new Uri(uploadUrl));
    }

    /// <summary>The caption: the title, then the description (which ends with the clips' credits), at most 2,200 UTF-16 units.</summary>
    internal static string Caption(PublishRequest request)
    {
        var text = string.IsNullOrWhiteSpace(request.Description) ? request.Title : $"{request.Title}\n\n{request.Description}";
        var missing = request.Tags.Select(t => "#" + t.TrimStart('#').Replace(" ", "", StringComparison.Ordinal))
            .Where(t => t.Length > 1 && !text.Contains(t, StringComparison.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            text += "\n" + string.Join(" ", missing);
        }
        return text.Length <= 2200 ? text : text[..2200];
    }

    private async Task UploadAsync(TikTokPost post, string videoPath, TikTokChunks plan, int fromChunk, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = o.ChunkTimeout;
        await using var file = File.OpenRead(videoPath);
        foreach (var chunk in plan.Chunks.Skip(fromChunk))
        {
            var bytes = new byte[chunk.Length];
            file.Position = chunk.First;
            await file.ReadExactlyAsync(bytes, cancellationToken);
            // The upload_url carries its own authorisation: no Authorization header (API_PROVIDERS.md §7).
            using var response = await VoiceHttp.SendAsync(http, () =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
                content.Headers.ContentLength = chunk.Length;
                content.Headers.ContentRange = new ContentRangeHeaderValue(chunk.First, chunk.Last, plan.VideoSize);
                return new HttpRequestMessage(HttpMethod.Put, post.UploadUrl) { Content = content };
            }, o.MaxRetries, o.RetryBaseDelay, o.MaxRetryAfter, Vendor, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var text = $"TikTok refused chunk {chunk.Index + 1} of {plan.TotalChunkCount} of post {post.PublishId} ({status})";
                throw VoiceHttp.IsClientError(response.StatusCode)
                    ? new PermanentStageException($"{text}; its upload URL may have expired (about an hour): retry the row to post it again")
                    : new HttpRequestException(text + "; the queue sends the rest later", null, response.StatusCode);
            }
            progress?.Report((double)(chunk.Last + 1) / plan.VideoSize);
        }
    }

    private sealed record PostStatus(string Status, string? FailReason, IReadOnlyList<string> PostIds, long UploadedBytes);

    private async Task<PostStatus> StatusAsync(AccessHolder access, string publishId, CancellationToken cancellationToken)
    {
        var body = Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("publish_id", publishId);
            w.WriteEndObject();
        });
        var data = await ApiAsync(access, "v2/post/publish/status/fetch/", body, retry: true, cancellationToken);
        var ids = data.TryGetProperty("publicaly_available_post_id", out var list) && list.ValueKind == JsonValueKind.Array
            // Post ids are 64-bit numbers; read as text so none is rounded through a double.
            ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList()
            : [];
        var uploaded = data.TryGetProperty("uploaded_bytes", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt64() : 0;
        return new PostStatus(PlatformOAuth.Str(data, "status") ?? "", PlatformOAuth.Str(data, "fail_reason"), ids, uploaded);
    }

    private async Task<PublishedVideo> FinishAsync(
        AccessHolder access, PaidWork? work, string provider, TikTokPost post, string username, string privacy, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var deadline = time.GetUtcNow() + o.StatusDeadline;
        while (true)
        {
            var status = await StatusAsync(access, post.PublishId, cancellationToken);
            PublishedVideo? done = null;
            switch (status.Status)
            {
                case "PUBLISH_COMPLETE":
                    done = Published(username, post, status, privacy) with { Channel = access.Current.Account.Name };
                    break;
                case "SEND_TO_USER_INBOX":
                    done = new PublishedVideo(Platform, ProfileUrl(username), post.PublishId,
                        "TikTok put the video in the account's inbox: finish posting it in the TikTok app", access.Current.Account.Name);
                    break;
                case "FAILED":
                    throw new PermanentStageException($"TikTok failed post {post.PublishId}: {status.FailReason ?? "no reason given"}");
            }
            if (done is not null)
            {
                if (work is not null && ledger is not null)
                {
                    var result = JsonSerializer.SerializeToElement(new TikTokResult(done.Url, done.ExternalId, done.Note, done.Channel), TikTokJsonContext.Default.TikTokResult);
                    await ledger.RecordAsync(new PaidCall(work, provider, 1, UnitKind, 0m, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), post.ToVendorId(), result), cancellationToken);
                }
                return done;
            }
            if (time.GetUtcNow() >= deadline)
            {
                // The post goes on at TikTok; the next delivery polls this publish_id again (and never posts again).
                throw new WorkStillRunningException(
                    $"TikTok is still processing post {post.PublishId} ({(status.Status.Length == 0 ? "no status yet" : status.Status)}); checking again later", o.StatusRetryAfter);
            }
            await Task.Delay(o.StatusPollInterval, time, cancellationToken);
        }
    }

    private PublishedVideo Published(string username, TikTokPost post, PostStatus status, string privacy)
    {
        var note = privacy == SelfOnly
            ? "TikTok posted it SELF_ONLY (only the account sees it): the TikTok client has not passed TikTok's direct-post audit (TikTok:Audited); make it public in the TikTok app"
            : null;
        if (status.PostIds.Count > 0)
        {
            var id = status.PostIds[0];
            return new PublishedVideo(Platform, $"https://www.tiktok.com/@{username}/video/{id}", id, note);
        }
        // A private post gets no public id, and a public one only after moderation (minutes, sometimes hours).
        var why = privacy == SelfOnly ? "a private post has no public link" : "TikTok gives the post's link after its moderation";
        return new PublishedVideo(Platform, ProfileUrl(username), post.PublishId, note is null ? $"Posted; {why}, so this is the profile" : $"{note}; {why}, so this is the profile");
    }

    private static string ProfileUrl(string username) => $"https://www.tiktok.com/@{username}";

    private PublishedVideo Stored(JsonElement result)
    {
        var stored = result.Deserialize(TikTokJsonContext.Default.TikTokResult) ?? throw new InvalidDataException("The ledger holds an empty TikTok result.");
        return new PublishedVideo(Platform, stored.Url, stored.ExternalId, stored.Note, stored.Channel);
    }

    /// <summary>The access token of a publish, refreshed at most once when TikTok says it is invalid.</summary>
    private sealed class AccessHolder(PlatformAccess access)
    {
        public PlatformAccess Current { get; set; } = access;

        public bool Refreshed { get; set; }
    }

    /// <summary>
    /// One Content Posting call: the envelope's error.code decides, not only the HTTP status. Reads are repeated on 429
    /// and 5xx within the delivery; access_token_invalid gets one refresh, then asks for `vf connect`.
    /// </summary>
    private async Task<JsonElement> ApiAsync(AccessHolder access, string path, byte[]? body, bool retry, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = o.Timeout;
        while (true)
        {
            var token = access.Current.AccessToken;
            using var response = await VoiceHttp.SendAsync(http, () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, new Uri(o.BaseUrl, path));
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                message.Content = new ByteArrayContent(body ?? []);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
                return message;
            }, retry ? o.MaxRetries : 0, o.RetryBaseDelay, o.MaxRetryAfter, Vendor, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var (code, message, logId, data) = ReadEnvelope(response.StatusCode, text);
            if (code == "ok")
            {
                return data;
            }
            if (code == "access_token_invalid")
            {
                if (access.Refreshed)
                {
                    throw new ReconnectRequiredException(Platform, access.Current.Account.Name, "TikTok refused a freshly refreshed access token (access_token_invalid)");
                }
                tokens.Forget(access.Current);
                access.Current = await tokens.GetAccessAsync(Platform, access.Current.Account.Name, cancellationToken);
                access.Refreshed = true;
                continue;
            }
            throw Error(response.StatusCode, code, message, logId, access.Current.Account, path);
        }
    }

    private Exception Error(HttpStatusCode status, string code, string message, string? logId, PlatformAccount account, string path)
    {
        // creator_info/query, video/init, status/fetch: the call as TikTok's reference names it.
        var call = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries)[^2..]);
        var said = $"TikTok {call} answered {(int)status} {code}{(message.Length > 0 ? ": " + message : "")}{(logId is null ? "" : $" (log_id {logId})")}";
        switch (code)
        {
            case "rate_limit_exceeded":
                // A per-minute window per app and user (6 inits a minute): the queue's next delivery is well past it.
                return new HttpRequestException($"{said}; the queue tries again later", null, HttpStatusCode.TooManyRequests);
            case "spam_risk_too_many_posts" or "reached_active_user_cap":
            {
                var now = time.GetUtcNow();
                var tomorrow = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
                var why = code == "reached_active_user_cap"
                    ? "the TikTok client has reached its daily number of posting users"
                    : $"TikTok account {account.Name} has reached TikTok's posts for today";
                return new StageDeferredException($"{why} ({code}); this one goes after {tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 00:00 UTC", tomorrow);
            }
            case "scope_not_authorized":
                return new ReconnectRequiredException(Platform, account.Name, $"the account did not grant {options.Value.Scopes} ({code})");
            case "unaudited_client_can_only_post_to_private_accounts":
                return new PermanentStageException($"{said}; make TikTok account {account.Name} private in the TikTok app, or have the client audited by TikTok");
        }
        return (int)status >= 500 || code == "internal_error" || (int)status == 429
            ? new HttpRequestException($"{said}; the queue tries again later", null, status)
            : new PermanentStageException(said);
    }

    private static (string Code, string Message, string? LogId, JsonElement Data) ReadEnvelope(HttpStatusCode status, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e : default;
            var code = PlatformOAuth.Str(error, "code") ?? ((int)status is >= 200 and < 300 ? "ok" : "http_" + (int)status);
            var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
                ? d.Clone()
                : EmptyObject;
            if (code == "ok" && (int)status is < 200 or >= 300)
            {
                code = "http_" + (int)status;
            }
            return (code, PlatformOAuth.Str(error, "message") ?? "", PlatformOAuth.Str(error, "log_id"), data);
        }
        catch (JsonException)
        {
            if ((int)status >= 500 || (int)status == 429)
            {
                return ("http_" + (int)status, "", null, default);
            }
            // A 2xx with a body that is not JSON is a broken response: another try may get a whole one.
            throw new InvalidDataException($"TikTok answered {(int)status} with a body that is not JSON.");
        }
    }

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }
        return stream.ToArray();
    }
}

/// <summary>A post under way: TikTok's publish_id and the upload_url its chunks go to, as the ledger's vendor id keeps them.</summary>
public sealed record TikTokPost(string PublishId, Uri UploadUrl)
{
    /// <summary>"publish_id upload_url": neither holds a space (a URL escapes it).</summary>
    public string ToVendorId() => $"{PublishId} {UploadUrl}";

    public static TikTokPost Parse(string vendorId)
    {
        ArgumentNullException.ThrowIfNull(vendorId);
        var space = vendorId.IndexOf(' ', StringComparison.Ordinal);
        return space > 0
            ? new TikTokPost(vendorId[..space], new Uri(vendorId[(space + 1)..]))
            : throw new InvalidDataException("The ledger's TikTok vendor id is not 'publish_id upload_url'.");
    }
}

/// <summary>What the ledger keeps of a finished post, so a redelivery returns it without asking TikTok.</summary>
public sealed record TikTokResult(string Url, string? ExternalId, string? Note, string? Channel = null);

[System.Text.Json.Serialization.JsonSerializable(typeof(TikTokResult))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TikTokJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
