using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ViralForge.Core.Jobs;

namespace ViralForge.Core.Ports;

/// <summary>A trending video as the trends stage keeps it (from YouTube videos.list or a sample of it).</summary>
public sealed record TrendVideo(
    string Id,
    string Title,
    string Description,
    string ChannelTitle,
    IReadOnlyList<string> Tags,
    string CategoryId,
    DateTimeOffset PublishedAt,
    double DurationSeconds,
    long Views,
    long Likes,
    long Comments);

/// <summary>What to look for: the row's platform, topic and language; the region from settings.</summary>
/// <param name="Work">The trends stage attempt whose quota-counted reads (YouTube) the ledger records; null outside a stage.</param>
public sealed record TrendQuery(Platforms Platforms, string Topic, string Language, string RegionCode, int MaxResults, PaidWork? Work = null);

/// <summary>Trending videos, and the niche they were chosen for.</summary>
/// <remarks>
/// No videos is an answer, not a failure: the offline sample has nothing for a topic outside its niches, and a script
/// then goes on without trends rather than borrowing another niche's (Niche is empty and Source says why).
/// </remarks>
public sealed record TrendSample(string Niche, string Source, IReadOnlyList<TrendVideo> Videos)
{
    /// <summary>True when the provider found nothing for this topic (<see cref="Source"/> says why).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Videos.Count == 0;
}

/// <summary>Finds what is trending: a bundled sample offline, the YouTube Data API in production.</summary>
public interface ITrendsProvider
{
    /// <summary>
    /// What trends for the query. A provider that looked and found nothing for the niche answers an empty sample; one
    /// that could not look (an API that fails) throws, so the stage is retried or fails with the reason.
    /// </summary>
    Task<TrendSample> GetTrendingAsync(TrendQuery query, CancellationToken cancellationToken);
}

/// <summary>Writes the script: a deterministic template writer offline, an LLM in production.</summary>
public interface IScriptWriter
{
    Task<Scripts.VideoScript> WriteAsync(VideoRequest request, Trends.TrendAnalysis analysis, CancellationToken cancellationToken);

    /// <summary>
    /// The same, for the stage attempt whose paid calls are <paramref name="work"/> (<see cref="PaidWork.For"/> names each
    /// call): a paying writer looks each call up in the <see cref="ICostLedger"/> first and records it after, so a
    /// redelivery reuses the answer instead of paying again. Writers that pay for nothing ignore it.
    /// </summary>
    Task<Scripts.VideoScript> WriteAsync(VideoRequest request, Trends.TrendAnalysis analysis, PaidWork? work, CancellationToken cancellationToken) =>
        WriteAsync(request, analysis, cancellationToken);
}

/// <summary>One visual per beat, written into a folder.</summary>
/// <param name="Format">The row's frame shape (<see cref="VideoChoices.Formats"/>): the visuals are made at that frame's size.</param>
/// <param name="Visuals">Where the pictures come from (<see cref="VideoChoices.VisualSources"/>): generated, stock, ai or mixed.</param>
/// <param name="SheetId">The row's sheet, so stock clips shown in the sheet's last videos are not shown again.</param>
/// <param name="Generation">The visuals stage's generation: paid generations are recorded per generation.</param>
/// <param name="Topic">The row's topic: the offline provider's palette comes from it (the script's title when empty), and it is the last stock query of a beat whose own queries match nothing.</param>
/// <param name="Feedback">
/// What the reviewer asked for when they regenerated the visuals, or null. The offline provider makes the backgrounds
/// darker or brighter (<see cref="Review.ReviewerFeedback.Brightness"/>) and shows the asked-for
/// <see cref="Review.ReviewerFeedback.VisualTerms"/> (colours and card text); the stock and AI video providers (issue 13)
/// will use the VisualTerms as their search queries.
/// </param>
public sealed record VisualsRequest(
    Guid JobId,
    Scripts.VideoScript Script,
    IReadOnlyList<double> BeatSeconds,
    string Style,
    string OutputFolder,
    string Format = VideoChoices.DefaultFormat,
    Review.ReviewerFeedback? Feedback = null,
    string Visuals = VideoChoices.DefaultVisuals,
    string SheetId = "",
    string Language = "en",
    int Generation = 1,
    string Topic = "");

/// <summary>A visual made for one beat: a local file and how long it should show.</summary>
/// <param name="Kind">What made it: generated, stock or ai.</param>
/// <param name="Credit">Who made the clip when it is not ours (stock footage, a video model); null for generated visuals.</param>
/// <param name="Note">What of the row's Visuals choice this beat could not honour ("Runway refused the prompt; stock footage instead"), for the job's events.</param>
public sealed record VisualClip(int BeatIndex, string LocalPath, double DurationSeconds, string Kind, ClipCredit? Credit = null, string? Note = null);

/// <summary>Makes the visuals: FFmpeg-generated backgrounds and cards offline, stock or AI video in production.</summary>
/// <remarks>
/// At least one clip per beat, in beat order; a beat may have more (a stock clip shorter than its beat and a second shot
/// for the rest), together lasting the beat. The render makes one scene of each clip, in the order given.
/// </remarks>
public interface IVisualsProvider
{
    Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken);
}

/// <summary>When one word is spoken, in seconds from the start of the narration.</summary>
public sealed record WordTiming(string Word, double Start, double End);

/// <summary>Narration written to a WAV (or other) file, with a timing for every word.</summary>
/// <param name="Notes">What of the row the voice did not honour (a language or voice it does not have), in sentences for the row's Error cell.</param>
/// <param name="Voice">The voice actually used, as provider:voice (espeak:en+f3), for the job's record; null when the provider does not say.</param>
/// <param name="RetakesAreFree">
/// Whether speaking the text again costs nothing (espeak-ng). The voice stage retakes a narration that misses the
/// Duration only when it does: for a paid voice every retake is another charge, so it notes the miss instead.
/// </param>
public sealed record Narration(
    string LocalPath,
    double DurationSeconds,
    IReadOnlyList<WordTiming> Words,
    IReadOnlyList<string>? Notes = null,
    string? Voice = null,
    bool RetakesAreFree = true);

/// <summary>What to speak and how: one record, so that providers with more knobs (OpenAI, ElevenLabs) fit the same port.</summary>
/// <param name="Text">The narration as the script has it; word timings come back for its own whitespace-separated tokens.</param>
/// <param name="Voice">The row's Voice cell: "default" (the language's voice) or provider:voice (<see cref="VoiceChoice"/>).</param>
/// <param name="Language">The row's BCP 47 language tag (en, es, pt-BR, ja).</param>
/// <param name="OutputPath">Where the audio file goes.</param>
/// <param name="SpeedFactor">Multiplies the provider's normal speaking rate: below 1 slower, above 1 faster.</param>
/// <param name="Gender">A female or male voice the reviewer asked for; it overrides the Voice cell's variant.</param>
/// <param name="TargetSeconds">How long the narration should last, for providers that can aim at a length; null for no aim.</param>
/// <param name="Work">
/// The paid work this take is (job, voice stage, generation, "tts"); a paid provider records each call in the cost
/// ledger under it (tts-part-1, tts-part-2, align-part-1...) and reuses a stored part on redelivery. Null outside a stage.
/// </param>
/// <param name="Style">The row's Style, which providers that take speaking instructions (gpt-4o-mini-tts) are given.</param>
public sealed record VoiceRequest(
    string Text,
    string Voice,
    string Language,
    string OutputPath,
    double SpeedFactor = 1,
    Review.VoiceGender? Gender = null,
    double? TargetSeconds = null,
    PaidWork? Work = null,
    string? Style = null);

/// <summary>Speaks the script: espeak-ng offline, OpenAI TTS or ElevenLabs in production.</summary>
public interface IVoiceProvider
{
    Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// One render of a job's generation, as the render stage hands it to a renderer wherever it runs: the plan, whose
/// job files are named by plain file names, the blob each of those files comes from, and where the outputs belong.
/// Serialised as the render job's request (<c>render-request.json</c>), so it holds no local path.
/// </summary>
/// <param name="Inputs">File name (as the plan's assets give it) to blob key: the renderer copies each into its folder first.</param>
/// <param name="MusicBeds">
/// File name to bundled mood (<see cref="VideoChoices.MusicMoods"/>): music the renderer makes itself, where it runs
/// (synthesised once into ViralForge:Media:MusicFolder), rather than fetches.
/// </param>
public sealed record RenderWork(
    Guid JobId,
    int Generation,
    RenderPlan Plan,
    IReadOnlyDictionary<string, string> Inputs,
    RenderOutputKeys Outputs,
    IReadOnlyDictionary<string, string>? MusicBeds = null);

/// <summary>The blob keys of a render's video, thumbnail and preview (the render stage's generation-scoped keys).</summary>
public sealed record RenderOutputKeys(string Video, string Thumbnail, string Preview);

/// <summary>One file a render made: on local disk for the stage runner to store, or already stored by a remote renderer.</summary>
/// <param name="Kind">video, thumbnail or preview.</param>
/// <param name="LocalPath">Where it is on this machine; null when <paramref name="Stored"/> says it is already in the blob store.</param>
public sealed record RenderedFile(string Kind, string BlobKey, string? LocalPath, BlobInfo? Stored);

/// <summary>What a render made, as ffprobe saw it, and its files.</summary>
public sealed record RenderedVideo(double DurationSeconds, int Width, int Height, double? LoudnessGainDb, IReadOnlyList<RenderedFile> Files)
{
    public RenderedFile? File(string kind) => Files.FirstOrDefault(f => f.Kind == kind);
}

/// <summary>Why a render that ran elsewhere (the render job) failed, and whether another attempt could succeed.</summary>
public sealed record RenderFailure(bool Permanent, string Reason);

/// <summary>How far a render running elsewhere (the render job) has encoded: the output time ffmpeg last reported.</summary>
public sealed record RenderProgress(double Seconds);

/// <summary>
/// The blobs through which a remote renderer and the render job talk, beside the render stage's outputs: the request it
/// is handed, how far it has encoded while it runs, the result it answers with once every output is stored, or why it
/// failed.
/// </summary>
public static class RenderJobBlobs
{
    public static string Request(Guid jobId, int generation) => Stages.BlobKeys.For(jobId, StageName.Render, generation, "render-request.json");

    public static string Result(Guid jobId, int generation) => Stages.BlobKeys.For(jobId, StageName.Render, generation, "render-result.json");

    public static string Failure(Guid jobId, int generation) => Stages.BlobKeys.For(jobId, StageName.Render, generation, "render-failure.json");

    public static string Progress(Guid jobId, int generation) => Stages.BlobKeys.For(jobId, StageName.Render, generation, "render-progress.json");

    /// <summary>Stores <paramref name="value"/> as JSON under the key, through a file in <paramref name="scratchFolder"/> (blob writes are atomic).</summary>
    public static async Task StoreAsync<T>(IBlobStore blobs, string key, T value, JsonTypeInfo<T> type, string scratchFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var path = Path.Combine(scratchFolder, Path.GetFileName(key));
        await AtomicFile.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(value, type), cancellationToken);
        await blobs.PutFileAsync(key, path, cancellationToken);
    }

    /// <summary>The JSON stored under the key, or null when there is none. Throws <see cref="InvalidDataException"/> for a blob that is not that JSON.</summary>
    public static async Task<T?> TryReadAsync<T>(IBlobStore blobs, string key, JsonTypeInfo<T> type, string scratchFolder, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var path = Path.Combine(scratchFolder, Path.GetFileName(key));
        try
        {
            await blobs.DownloadToFileAsync(key, path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
                ?? throw new InvalidDataException($"{key} holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{key} is not the render job's JSON: {e.Message}", e);
        }
    }
}

/// <summary>Composes the video: FFmpeg in-process locally, a Cloud Run job execution in production.</summary>
public interface IRenderer
{
    /// <summary>
    /// Renders the work in one ffmpeg run, using <paramref name="scratchFolder"/> for anything local. A plan that cannot be
    /// rendered is a <see cref="Stages.PermanentStageException"/> naming each wrong field; a render still running
    /// elsewhere when this delivery stops waiting is a <see cref="Stages.WorkStillRunningException"/>.
    /// </summary>
    Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, CancellationToken cancellationToken);

    /// <summary>
    /// The same, reporting the encode's output time to <paramref name="progress"/> as it advances (the render stage renews
    /// its lease only while it does). A renderer that cannot watch its encode (a remote one) reports nothing.
    /// </summary>
    Task<RenderedVideo> RenderAsync(RenderWork work, string scratchFolder, IProgress<TimeSpan>? progress, CancellationToken cancellationToken) =>
        RenderAsync(work, scratchFolder, cancellationToken);
}

/// <summary>What a reviewer is shown (the card in Slack, Teams and the local review page).</summary>
/// <param name="VideoUrl">The full preview: a signed URL in production; the bot links to the local review page locally.</param>
/// <param name="ThumbnailUrl">The render's thumbnail, when it made one.</param>
/// <param name="CostSoFarUsd">What the job's providers have cost so far (the offline ones cost nothing).</param>
public sealed record ReviewRequest(
    Guid JobId,
    int Generation,
    string Topic,
    string Title,
    string Hook,
    Uri VideoUrl,
    double DurationSeconds,
    Platforms Platforms,
    DateTimeOffset? PublishAt,
    Uri? ThumbnailUrl = null,
    decimal CostSoFarUsd = 0);

/// <summary>Approve, reject (with a reason) or regenerate one stage.</summary>
public enum ReviewVerdict
{
    Approve,
    Reject,
    Regenerate,
}

/// <summary>A reviewer's decision; <paramref name="Feedback"/> goes to the regenerated stage's next generation.</summary>
public sealed record ReviewDecision(ReviewVerdict Verdict, string Reviewer, string? Reason = null, StageName? RegenerateStage = null, string? Feedback = null);

/// <summary>Asks a person (or a rule) to review: decides now, or answers null and the decision arrives later.</summary>
public interface IReviewChannel
{
    Task<ReviewDecision?> RequestAsync(ReviewRequest request, CancellationToken cancellationToken);
}

/// <summary>What to publish.</summary>
/// <param name="Description">The script's description with the clips' credits after it (PublishStage.DescriptionWithCredits).</param>
/// <param name="Credits">Who made the stock or generated clips in the video, for a platform's credits field or a manifest.</param>
/// <param name="Work">The publish stage's paid work (job, publish, generation): each platform's upload is recorded under it (Call youtube-upload, tiktok-post) with its session or publish id before the first byte.</param>
/// <param name="ThumbnailPath">The render's thumbnail on local disk, for YouTube's thumbnails.set; null when there is none.</param>
/// <param name="Language">The row's language, the video's default language on the platform.</param>
/// <param name="Channel">The row's Channel cell: which connected account to post to; null or empty for the default.</param>
public sealed record PublishRequest(
    Guid JobId,
    string VideoPath,
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    Platforms Platforms,
    DateTimeOffset? PublishAt,
    IReadOnlyList<ClipCredit>? Credits = null,
    PaidWork? Work = null,
    string? ThumbnailPath = null,
    string Language = "en",
    string? Channel = null);

/// <summary>Where one platform put the video.</summary>
/// <param name="Note">What the row should say about it, or null: "TikTok posted it SELF_ONLY (the client is not audited)".</param>
/// <param name="Channel">The connected account it went to (as the Channel column names it), so a take-down uses the same one; null for the default.</param>
/// <param name="LiveAt">
/// When it is (or was) public on the platform, when the publisher knows: YouTube's publishAt when it scheduled it, the
/// upload's time when it went out at once. Null (the local folder, TikTok) leaves the row's Publish At as the go-live time.
/// </param>
public sealed record PublishedVideo(string Platform, string Url, string? ExternalId, string? Note = null, string? Channel = null, DateTimeOffset? LiveAt = null);

/// <summary>Uploads: a published folder offline, YouTube and TikTok in production.</summary>
public interface IPublisher
{
    /// <summary>
    /// Uploads the video to the request's platforms, scheduled for its Publish At when that is ahead. An adapter reports the
    /// share of the work done (0 to 1, bytes sent over bytes to send across every platform) to <paramref name="progress"/>
    /// as it goes, so that a long upload shows "publish 40%"; it may report as often as it likes (the caller throttles).
    /// </summary>
    Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken, IProgress<double>? progress = null);

    /// <summary>Takes a published video down; already gone counts as done.</summary>
    Task UnpublishAsync(Guid jobId, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the videos down as <see cref="UnpublishAsync"/> does, the paid calls (YouTube's videos.delete costs quota)
    /// recorded under <paramref name="work"/>, and returns what a person must still do for the row: one sentence per
    /// video a platform cannot delete ("remove by hand: link"). An adapter without such platforms needs nothing more.
    /// </summary>
    async Task<IReadOnlyList<string>> TakeDownAsync(PaidWork work, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await UnpublishAsync(work.JobId, videos, cancellationToken);
        return [];
    }
}
