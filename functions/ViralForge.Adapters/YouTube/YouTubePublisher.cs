using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.YouTube;

/// <summary>
/// Uploads to YouTube with a resumable videos.insert, safe under at-least-once delivery: the session URI is recorded in
/// the cost ledger (the insert's PaidCall, with its quota units) before the first byte, so a redelivery resumes that
/// session instead of starting a second video, and the video id is recorded when the last chunk is answered, so a
/// redelivery after success sends nothing. Then thumbnails.set with the render's thumbnail.
/// </summary>
/// <remarks>
/// Quota: before a session is started, the units charged since the last Pacific midnight (every job's, from the ledger)
/// plus this insert's must fit <see cref="YouTubeOptions.DailyQuotaUnits"/>, else the stage is deferred to the next
/// Pacific midnight (<see cref="StageDeferredException"/>); a 403 quotaExceeded or uploadLimitExceeded answer defers the
/// same way. Tokens: a 401 asks <see cref="IPlatformTokens"/> once more for a token (it refreshes); a revoked grant is
/// its <see cref="ReconnectRequiredException"/>, which goes up to the row unchanged.
/// </remarks>
public sealed class YouTubePublisher(
    IHttpClientFactory clients,
    IOptions<YouTubeOptions> options,
    IPlatformTokens tokens,
    ICostLedger ledger,
    TimeProvider time,
    ILogger<YouTubePublisher>? log = null) : IPlatformPublisher
{
    /// <summary>The named HttpClient; registered without automatic redirects, since YouTube's 308 means "resume", not "go there".</summary>
    public const string HttpClientName = "youtube";

    /// <summary>The platform's name, and the provider name of its ledger records.</summary>
    public const string Provider = "youtube";

    /// <summary>The unit kind of the ledger records: the quota window sums these.</summary>
    public const string QuotaUnits = "quota units";

    /// <summary>The ledger call of the first upload session; a session that expired is followed by youtube-upload-2, -3...</summary>
    public const string UploadCall = "youtube-upload";

    public const string ThumbnailCall = "youtube-thumbnail";

    public const string DeleteCall = "youtube-delete";

    /// <summary>YouTube takes chunks in multiples of 256 KiB, but for the last.</summary>
    public const int ChunkUnit = 256 * 1024;

    /// <summary>YouTube's limits on the snippet: title characters, description bytes, the tags' total.</summary>
    public const int TitleMaxChars = 100;

    public const int DescriptionMaxBytes = 5000;

    public const int TagsMaxChars = 500;

    /// <summary>New sessions one delivery may start when stored ones turn out to be gone; more means something else is wrong.</summary>
    private const int MaxSessions = 5;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly YouTubeOptions settings = options.Value;
    private readonly TimeZoneInfo quotaZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.QuotaTimeZone);

    public string Platform => Provider;

    private ILogger Log => (ILogger?)log ?? NullLogger.Instance;

    public async Task<PublishedVideo> PublishAsync(PublishRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var work = request.Work ?? throw new ArgumentException("A YouTube upload needs the request's Work, under which its session is stored before the first byte.", nameof(request));
        var auth = new Authorization(tokens, request.Channel, request.JobId, Log);
        var notes = new List<string>();
        var (videoId, liveAt) = await UploadVideoAsync(request, work, auth, notes, progress, cancellationToken);
        progress?.Report(1);
        if (request.ThumbnailPath is { } thumbnail)
        {
            await SetThumbnailAsync(work.For(ThumbnailCall), videoId, thumbnail, auth, notes, cancellationToken);
        }
        return new PublishedVideo(Provider, WatchUrl(videoId), videoId, notes.Count == 0 ? null : string.Join("; ", notes), auth.Account?.Name ?? request.Channel, liveAt);
    }

    /// <summary>The video's page; YouTube shows a Short in its Shorts player by itself.</summary>
    public static string WatchUrl(string videoId) => $"https://www.youtube.com/watch?v={Uri.EscapeDataString(videoId)}";

    public Task<string?> UnpublishAsync(PublishedVideo video, CancellationToken cancellationToken) => UnpublishAsync(video, null, cancellationToken);

    public async Task<string?> UnpublishAsync(PublishedVideo video, PaidWork? work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (string.IsNullOrEmpty(video.ExternalId))
        {
            return $"remove by hand: {video.Url} (its YouTube video id was not recorded)";
        }
        var call = work?.For(DeleteCall);
        if (call is not null && await ledger.FindAsync(call, cancellationToken) is { Result: not null })
        {
            return null; // taken down by an earlier run of this compensation
        }
        var auth = new Authorization(tokens, video.Channel, work?.JobId ?? Guid.Empty, Log);
        var url = new Uri($"{Base(settings.ApiBaseUrl)}/videos?id={Uri.EscapeDataString(video.ExternalId)}");
        using var response = await auth.SendAsync(Client(), () => new HttpRequestMessage(HttpMethod.Delete, url), cancellationToken);
        var status = (int)response.StatusCode;
        if (status is 204 or 200 or 404)
        {
            // 404: deleted by hand or by an earlier run that crashed before recording it; either way it is gone.
            var result = new YouTubeDeleteResult(status != 404, status == 404);
            if (call is not null)
            {
                await RecordAsync(call, settings.DeleteUnits, vendorId: video.ExternalId,
                    JsonSerializer.SerializeToElement(result, YouTubeJson.Default.YouTubeDeleteResult), cancellationToken);
            }
            Log.TakenDown(video.ExternalId, status == 404 ? "it was already gone" : "deleted");
            return null;
        }
        var error = await ReadErrorAsync(response, cancellationToken);
        if (call is not null)
        {
            await RecordRefusedAsync(call, cancellationToken);
        }
        throw status is 408 or 429 or >= 500
            ? new HttpRequestException($"YouTube could not delete video {video.ExternalId} now ({status} {error.Reason}: {error.Message}); the take-down is tried again.")
            : new PermanentStageException($"YouTube refused to delete video {video.ExternalId} ({status} {error.Reason}: {error.Message}); remove it by hand: {video.Url}");
    }

    /// <summary>The video id: stored by an earlier delivery, or uploaded now through a stored or a new session.</summary>
    private async Task<(string VideoId, DateTimeOffset? LiveAt)> UploadVideoAsync(PublishRequest request, PaidWork work, Authorization auth, List<string> notes, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var size = new FileInfo(request.VideoPath).Length;
        for (var session = 1; session <= MaxSessions; session++)
        {
            var call = work.For(session == 1 ? UploadCall : $"{UploadCall}-{session}");
            var stored = await ledger.FindAsync(call, cancellationToken);
            var result = stored?.Result?.Deserialize(YouTubeJson.Default.YouTubeUploadResult);
            if (result is { VideoId: { } done })
            {
                Log.AlreadyUploaded(done, request.JobId);
                return (done, result.LiveAt);
            }
            if (result is { SessionGone: true })
            {
                continue;
            }
            Uri uri;
            bool resuming;
            if (stored?.VendorId is { } vendorId)
            {
                uri = new Uri(vendorId);
                resuming = true;
            }
            else
            {
                uri = await StartSessionAsync(request, call, size, auth, notes, cancellationToken);
                resuming = false;
            }
            var uploaded = await UploadAsync(request, call, uri, resuming, size, auth, progress, cancellationToken);
            if (uploaded is { } video)
            {
                await RecordAsync(call, settings.InsertUnits, uri.AbsoluteUri,
                    JsonSerializer.SerializeToElement(new YouTubeUploadResult(video.VideoId, LiveAt: video.LiveAt), YouTubeJson.Default.YouTubeUploadResult), cancellationToken);
                Log.Uploaded(request.JobId, video.VideoId);
                return (video.VideoId, video.LiveAt);
            }
            // The session is gone (404/410: it expired after about a week, or was cancelled). A session holds no video
            // until its last byte, so starting a new one cannot make a second video; the ledger keeps the old one's
            // units and says it is gone, and the new one is stored under the next call name before its first byte.
            Log.SessionGone(call.Call, request.JobId);
            await RecordAsync(call, settings.InsertUnits, uri.AbsoluteUri,
                JsonSerializer.SerializeToElement(new YouTubeUploadResult(null, SessionGone: true), YouTubeJson.Default.YouTubeUploadResult), cancellationToken);
        }
        throw new InvalidOperationException($"YouTube upload of job {request.JobId}: {MaxSessions} upload sessions in a row were gone before the upload finished.");
    }

    /// <summary>
    /// Checks the day's quota, starts a resumable session and records its URI with the insert's units before anything
    /// else happens, so that a crash right after still finds it.
    /// </summary>
    private async Task<Uri> StartSessionAsync(PublishRequest request, PaidWork call, long size, Authorization auth, List<string> notes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (dayStart, nextDay) = QuotaDay.Of(now, quotaZone);
        var used = await ledger.UnitsSinceAsync(Provider, QuotaUnits, dayStart, cancellationToken);
        if (used + settings.InsertUnits > settings.DailyQuotaUnits)
        {
            Log.QuotaDeferred(used, settings.DailyQuotaUnits, dayStart, request.JobId, nextDay);
            throw QuotaUsedUp(nextDay, $"{used:0} of {settings.DailyQuotaUnits} units used today, Pacific time");
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(InsertBody(request, now, notes), YouTubeJson.Default.YouTubeVideoInsert);
        var url = new Uri($"{Base(settings.UploadBaseUrl)}/videos?uploadType=resumable&part=snippet,status&notifySubscribers={(settings.NotifySubscribers ? "true" : "false")}");
        using var response = await auth.SendAsync(Client(), () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, url);
            message.Headers.TryAddWithoutValidation("X-Upload-Content-Length", size.ToString(CultureInfo.InvariantCulture));
            message.Headers.TryAddWithoutValidation("X-Upload-Content-Type", "video/mp4");
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
            return message;
        }, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var location = response.Headers.Location
                ?? throw new InvalidDataException("YouTube started an upload session without a Location header; the next delivery starts another.");
            var session = location.IsAbsoluteUri ? location : new Uri(url, location);
            await RecordAsync(call, settings.InsertUnits, session.AbsoluteUri, result: null, cancellationToken);
            Log.SessionStarted(request.JobId, call.Call, size, settings.InsertUnits);
            return session;
        }
        var error = await ReadErrorAsync(response, cancellationToken);
        await RecordRefusedAsync(call, cancellationToken);
        if (error.Reason is "quotaExceeded" or "uploadLimitExceeded")
        {
            Log.QuotaDeferred(used, settings.DailyQuotaUnits, dayStart, request.JobId, nextDay);
            throw QuotaUsedUp(nextDay, $"YouTube answered {error.Reason}");
        }
        throw Failure((int)response.StatusCode, error, "start the upload");
    }

    private static StageDeferredException QuotaUsedUp(DateTimeOffset nextDay, string why) => new(
        $"YouTube's daily upload quota is used up; the upload goes at {nextDay.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({why})",
        nextDay);

    /// <summary>The insert's snippet and status from the request and the settings, within YouTube's limits.</summary>
    private YouTubeVideoInsert InsertBody(PublishRequest request, DateTimeOffset now, List<string> notes)
    {
        var privacy = settings.PrivacyStatus;
        string? publishAt = null;
        if (request.PublishAt is { } at && at > now)
        {
            if (at - now >= settings.MinimumPublishLead)
            {
                // YouTube schedules only a private video: it turns public at publishAt.
                privacy = "private";
                publishAt = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
            else
            {
                notes.Add($"YouTube: Publish At {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC was less than {settings.MinimumPublishLead.TotalMinutes:0} min ahead, so the video went out at once (YouTube refuses a publish time that has passed by the time the upload ends)");
            }
        }
        var snippet = new YouTubeSnippet(
            Title(request.Title),
            Description(request.Description),
            Tags(request.Tags),
            settings.CategoryId,
            string.IsNullOrWhiteSpace(request.Language) ? null : request.Language);
        return new YouTubeVideoInsert(snippet, new YouTubeStatus(privacy, publishAt, settings.SelfDeclaredMadeForKids, settings.ContainsSyntheticMedia));
    }

    /// <summary>The title within 100 characters (whole letters, never half an emoji), without the angle brackets YouTube refuses.</summary>
    public static string Title(string title)
    {
        var clean = NoAngleBrackets(title ?? "").ReplaceLineEndings(" ").Trim();
        if (clean.Length == 0)
        {
            return "Video";
        }
        return Cut(clean, TitleMaxChars, s => s.Length);
    }

    /// <summary>The description within 5,000 bytes of UTF-8, without the angle brackets YouTube refuses.</summary>
    public static string Description(string description) =>
        Cut(NoAngleBrackets(description ?? ""), DescriptionMaxBytes, s => Encoding.UTF8.GetByteCount(s));

    /// <summary>
    /// Tags as YouTube counts them against its 500-character limit: each tag's characters, plus two for the quotes
    /// a tag with a space gets, plus a comma between tags. Hash signs are dropped (a tag is a word, not a hashtag), and so
    /// are empty and repeated tags and those with characters YouTube refuses; the tags that do not fit are left off.
    /// </summary>
    public static IReadOnlyList<string> Tags(IReadOnlyList<string> tags)
    {
        var kept = new List<string>();
        var total = 0;
        foreach (var raw in tags ?? [])
        {
            var tag = (raw ?? "").Trim().TrimStart('#').Trim();
            if (tag.Length == 0 || tag.IndexOfAny(['<', '>', ',', '"']) >= 0 || kept.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            var cost = tag.Length + (tag.Contains(' ', StringComparison.Ordinal) ? 2 : 0) + (kept.Count > 0 ? 1 : 0);
            if (total + cost > TagsMaxChars)
            {
                continue;
            }
            kept.Add(tag);
            total += cost;
        }
        return kept;
    }

    private static string NoAngleBrackets(string text) => text.Replace('<', '‹').Replace('>', '›');

    /// <summary>The longest prefix of whole text elements whose measure (characters or bytes: both add up) is within <paramref name="max"/>.</summary>
    private static string Cut(string text, int max, Func<string, int> measure)
    {
        if (measure(text) <= max)
        {
            return text;
        }
        var builder = new StringBuilder();
        var total = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            total += measure(element);
            if (total > max)
            {
                break;
            }
            builder.Append(element);
        }
        return builder.ToString().TrimEnd();
    }

    /// <summary>
    /// Sends the file through the session from where it stands: from byte 0 for a new session, from what the session says
    /// it holds for a stored one (PUT, empty body, Content-Range: bytes */total). A chunk that fails (dropped connection,
    /// timeout, 5xx) may have been kept in part, so the upload asks the session and goes on from the first byte it lacks,
    /// never assuming the chunk went in whole. Returns the video (id, and when it is public), or null when the session is gone.
    /// </summary>
    private async Task<Answer.Done?> UploadAsync(PublishRequest request, PaidWork call, Uri session, bool resuming, long size, Authorization auth, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(size, 1, settings.ChunkBytes));
        try
        {
            await using var file = new FileStream(request.VideoPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            long? next = resuming ? null : 0; // null: unknown until the session says
            var failures = 0;
            while (true)
            {
                var from = next;
                Answer answer;
                if (from is { } offset && offset < size)
                {
                    var length = (int)Math.Min(settings.ChunkBytes, size - offset);
                    file.Position = offset;
                    await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
                    answer = await PutAsync(session, new ContentRangeHeaderValue(offset, offset + length - 1, size), buffer.AsMemory(0, length), auth, cancellationToken);
                }
                else
                {
                    // The status question; with every byte sent (or an empty file) it is also what finishes the upload.
                    answer = await PutAsync(session, new ContentRangeHeaderValue(size), ReadOnlyMemory<byte>.Empty, auth, cancellationToken);
                }
                switch (answer)
                {
                    case Answer.Done done:
                        return done;
                    case Answer.Gone:
                        return null;
                    case Answer.Incomplete incomplete when from is { } sent && sent < size && incomplete.Next > sent:
                        next = incomplete.Next;
                        failures = 0;
                        progress?.Report(size == 0 ? 1 : (double)incomplete.Next / size);
                        break;
                    case Answer.Incomplete incomplete when from is null:
                        next = incomplete.Next;
                        Log.UploadResuming(request.JobId, call.Call, incomplete.Next, size);
                        progress?.Report(size == 0 ? 1 : (double)incomplete.Next / size);
                        break;
                    default:
                        // A failure, or a 308 that moved nothing: both count, so a stuck session cannot loop for ever.
                        var reason = answer is Answer.Failed failed ? failed.Reason : $"the session acknowledged no new bytes at {from}";
                        failures++;
                        if (failures > settings.MaxRetries)
                        {
                            // Transient: the next delivery resumes the same stored session.
                            throw new IOException($"YouTube upload made no progress after {failures} tries: {reason}", (answer as Answer.Failed)?.Error);
                        }
                        Log.UploadInterrupted(request.JobId, from, failures, settings.MaxRetries, reason);
                        await Task.Delay(Backoff(failures), time, cancellationToken);
                        next = null;
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private TimeSpan Backoff(int failure)
    {
        var delay = settings.RetryBaseDelay * Math.Pow(2, failure - 1);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    private async Task<Answer> PutAsync(Uri session, ContentRangeHeaderValue range, ReadOnlyMemory<byte> body, Authorization auth, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await auth.SendAsync(Client(), () =>
            {
                var content = new ReadOnlyMemoryContent(body);
                content.Headers.ContentRange = range;
                content.Headers.ContentLength = body.Length;
                return new HttpRequestMessage(HttpMethod.Put, session) { Content = content };
            }, cancellationToken);
            return await AnswerAsync(response, cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer.Failed($"no answer within YouTube:ChunkTimeout ({settings.ChunkTimeout})", new TimeoutException($"YouTube did not answer within YouTube:ChunkTimeout ({settings.ChunkTimeout}).", ex));
        }
        catch (HttpRequestException ex)
        {
            return new Answer.Failed(ex.Message, ex);
        }
        catch (IOException ex)
        {
            return new Answer.Failed(ex.Message, ex);
        }
    }

    private async Task<Answer> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 200 or 201)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                if (JsonSerializer.Deserialize(text, YouTubeJson.Default.YouTubeUploadedVideo) is { Id: { Length: > 0 } id } video)
                {
                    // The resource's status says whether YouTube scheduled it (publishAt) or it is out now.
                    var liveAt = video.Status is { } state ? state.PublishAt ?? time.GetUtcNow() : (DateTimeOffset?)null;
                    return new Answer.Done(id, liveAt);
                }
            }
            catch (JsonException)
            {
                // A garbled answer (a proxy, a connection cut mid-body) says nothing for sure; the session's own answer will.
            }
            return new Answer.Failed($"the last chunk was answered {status} without a video id", null);
        }
        if (status == 308)
        {
            return new Answer.Incomplete(NextByte(response));
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return new Answer.Gone();
        }
        var error = await ReadErrorAsync(response, cancellationToken);
        if (status is 408 or 429 || status >= 500)
        {
            return new Answer.Failed($"{status} {error.Reason}: {error.Message}", null);
        }
        throw Failure(status, error, "take the video's bytes");
    }

    /// <summary>"Range: bytes=0-N" means bytes 0..N are stored, so the next is N+1; no Range means none are.</summary>
    private static long NextByte(HttpResponseMessage response)
    {
        // Range is a request header to HttpClient, so read it unvalidated.
        if (!response.Headers.NonValidated.TryGetValues("Range", out var values))
        {
            return 0;
        }
        var text = values.ToString();
        var dash = text.LastIndexOf('-');
        return text.StartsWith("bytes=0-", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? last + 1
            : throw new InvalidDataException($"YouTube answered 308 with a Range header it does not document: '{text}'");
    }

    /// <summary>
    /// Sets the render's thumbnail, once per work. Never fails the row: the video is up, and a channel that is not
    /// phone-verified may not set custom thumbnails at all (403), so anything refused becomes a note instead.
    /// </summary>
    private async Task SetThumbnailAsync(PaidWork call, string videoId, string path, Authorization auth, List<string> notes, CancellationToken cancellationToken)
    {
        if (await ledger.FindAsync(call, cancellationToken) is { Result: { } stored })
        {
            if (stored.Deserialize(YouTubeJson.Default.YouTubeThumbnailResult) is { Set: false, Skipped: { } reason })
            {
                notes.Add(ThumbnailNote(reason));
            }
            return;
        }
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > settings.MaxThumbnailBytes)
        {
            await SkipThumbnailAsync(call, videoId, 0, info.Exists ? $"the thumbnail is {info.Length} bytes, over YouTube's {settings.MaxThumbnailBytes}" : "the render made no thumbnail file", notes, cancellationToken);
            return;
        }
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var type = Path.GetExtension(path).ToLowerInvariant() is ".png" ? "image/png" : "image/jpeg";
        var url = new Uri($"{Base(settings.UploadBaseUrl)}/thumbnails/set?videoId={Uri.EscapeDataString(videoId)}");
        int status;
        YouTubeError? error = null;
        try
        {
            using var response = await auth.SendAsync(Client(), () => new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(type) } },
            }, cancellationToken);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = await ReadErrorAsync(response, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ReconnectRequiredException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await SkipThumbnailAsync(call, videoId, 0, $"YouTube could not be reached ({ex.Message})", notes, cancellationToken);
            return;
        }
        if (error is null)
        {
            await RecordAsync(call, settings.ThumbnailUnits, videoId,
                JsonSerializer.SerializeToElement(new YouTubeThumbnailResult(true), YouTubeJson.Default.YouTubeThumbnailResult), cancellationToken);
            return;
        }
        var why = status == 403 && error.Reason is "forbidden" or null
            ? "this channel may not set custom thumbnails until it is verified (youtube.com/verify)"
            : $"YouTube answered {status} {error.Reason}: {error.Message}";
        await SkipThumbnailAsync(call, videoId, settings.RefusedCallUnits, why, notes, cancellationToken);
    }

    private async Task SkipThumbnailAsync(PaidWork call, string videoId, int units, string reason, List<string> notes, CancellationToken cancellationToken)
    {
        Log.ThumbnailSkipped(videoId, reason);
        notes.Add(ThumbnailNote(reason));
        await RecordAsync(call, units, videoId,
            JsonSerializer.SerializeToElement(new YouTubeThumbnailResult(false, reason), YouTubeJson.Default.YouTubeThumbnailResult), cancellationToken);
    }

    private static string ThumbnailNote(string reason) => $"YouTube kept its own thumbnail: {reason}";

    private Task RecordAsync(PaidWork call, int units, string? vendorId, JsonElement? result, CancellationToken cancellationToken) =>
        ledger.RecordAsync(new PaidCall(call, Provider, units, QuotaUnits, 0m, settings.QuotaCostsAsOf, vendorId, result), cancellationToken);

    /// <summary>
    /// A refused call costs quota too. Each is its own record (a call name of its own), so that a second refusal is
    /// counted as well; the session's own record stays free for the session that succeeds.
    /// </summary>
    private Task RecordRefusedAsync(PaidWork call, CancellationToken cancellationToken) =>
        ledger.RecordAsync(new PaidCall(call.For($"{call.Call}-refused-{Guid.NewGuid():N}"), Provider, settings.RefusedCallUnits, QuotaUnits, 0m, settings.QuotaCostsAsOf), cancellationToken);

    /// <summary>
    /// The exception for a refused call: a client error the same request meets again (a bad category, a title YouTube
    /// refuses, a scope missing) is permanent, with YouTube's reason and message; 408, 429 and 5xx are transient.
    /// </summary>
    private static Exception Failure(int status, YouTubeError error, string what) =>
        status is 408 or 429 || status >= 500 || error.Reason is "rateLimitExceeded" or "userRateLimitExceeded" or "backendError"
            ? new HttpRequestException($"YouTube could not {what} now ({status} {error.Reason}: {error.Message}); the queue tries again.")
            : new PermanentStageException($"YouTube refused to {what} ({status} {error.Reason}: {error.Message}).");

    private static async Task<YouTubeError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonSerializer.Deserialize(text, YouTubeJson.Default.YouTubeErrorEnvelope)?.Error is { } error)
            {
                return new YouTubeError(error.Errors?.FirstOrDefault()?.Reason, error.Message ?? "(no message)");
            }
        }
        catch (JsonException)
        {
            // Not Google's envelope (a proxy's page, say): keep the text.
        }
        var flat = text.ReplaceLineEndings(" ").Trim();
        return new YouTubeError(null, flat.Length == 0 ? "(empty body)" : flat.Length <= 300 ? flat : flat[..300] + "...");
    }

    private HttpClient Client()
    {
        var http = clients.CreateClient(HttpClientName);
        http.Timeout = settings.ChunkTimeout;
        return http;
    }

    private static string Base(Uri url) => url.AbsoluteUri.TrimEnd('/');

    private sealed record YouTubeError(string? Reason, string Message);

    private abstract record Answer
    {
        public sealed record Done(string VideoId, DateTimeOffset? LiveAt) : Answer;

        public sealed record Incomplete(long Next) : Answer;

        public sealed record Gone : Answer;

        public sealed record Failed(string Reason, Exception? Error) : Answer;
    }

    /// <summary>
    /// The access token of one publish, with YouTube's 401 handled once: the token is asked for again (the tokens port
    /// refreshes it), and a second 401 means the grant itself is no good, so the account must be connected again.
    /// </summary>
    private sealed class Authorization(IPlatformTokens tokens, string? channel, Guid jobId, ILogger log)
    {
        private PlatformAccess? access;
        private bool refreshed;

        public PlatformAccount? Account => access?.Account;

        public async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
        {
            access ??= await tokens.GetAccessAsync(Provider, channel, cancellationToken);
            var response = await SendOnceAsync(http, build, access, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }
            response.Dispose();
            if (refreshed)
            {
                throw new ReconnectRequiredException(Provider, access.Account.Name, "YouTube refused a freshly refreshed access token");
            }
            log.TokenRefused(jobId);
            refreshed = true;
            // Without this the tokens would hand out the same cached token, good by its expiry but refused.
            tokens.Forget(access);
            access = await tokens.GetAccessAsync(Provider, channel, cancellationToken);
            response = await SendOnceAsync(http, build, access, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.Dispose();
                throw new ReconnectRequiredException(Provider, access.Account.Name, "YouTube refused a freshly refreshed access token");
            }
            return response;
        }

        private static async Task<HttpResponseMessage> SendOnceAsync(HttpClient http, Func<HttpRequestMessage> build, PlatformAccess access, CancellationToken cancellationToken)
        {
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access.AccessToken);
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
    }
}
