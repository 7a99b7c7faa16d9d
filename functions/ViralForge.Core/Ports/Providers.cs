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
public sealed record TrendQuery(Platforms Platforms, string Topic, string Language, string RegionCode, int MaxResults);

/// <summary>Trending videos, and the niche they were chosen for.</summary>
public sealed record TrendSample(string Niche, string Source, IReadOnlyList<TrendVideo> Videos);

/// <summary>Finds what is trending: a bundled sample offline, the YouTube Data API in production.</summary>
public interface ITrendsProvider
{
    Task<TrendSample> GetTrendingAsync(TrendQuery query, CancellationToken cancellationToken);
}

/// <summary>Writes the script: a deterministic template writer offline, an LLM in production.</summary>
public interface IScriptWriter
{
    Task<Scripts.VideoScript> WriteAsync(VideoRequest request, Trends.TrendAnalysis analysis, CancellationToken cancellationToken);
}

/// <summary>One visual per beat, written into a folder.</summary>
public sealed record VisualsRequest(Guid JobId, Scripts.VideoScript Script, IReadOnlyList<double> BeatSeconds, string Style, string OutputFolder);

/// <summary>A visual made for one beat: a local file and how long it should show.</summary>
public sealed record VisualClip(int BeatIndex, string LocalPath, double DurationSeconds, string Kind);

/// <summary>Makes the visuals: FFmpeg-generated backgrounds and cards offline, stock or AI video in production.</summary>
public interface IVisualsProvider
{
    Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken);
}

/// <summary>When one word is spoken, in seconds from the start of the narration.</summary>
public sealed record WordTiming(string Word, double Start, double End);

/// <summary>Narration written to a WAV (or other) file, with a timing for every word.</summary>
public sealed record Narration(string LocalPath, double DurationSeconds, IReadOnlyList<WordTiming> Words);

/// <summary>Speaks the script: espeak-ng offline, OpenAI TTS in production.</summary>
public interface IVoiceProvider
{
    Task<Narration> SynthesizeAsync(string text, string voice, string language, string outputPath, CancellationToken cancellationToken);
}

/// <summary>Composes the video: FFmpeg in-process locally, a Cloud Run job in production.</summary>
public interface IRenderer
{
    /// <summary>Renders the plan in one ffmpeg run; throws RenderPlanException (from the renderer) naming each field that is wrong.</summary>
    Task<RenderResult> RenderAsync(RenderPlan plan, RenderTargets targets, CancellationToken cancellationToken);
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
public sealed record PublishRequest(Guid JobId, string VideoPath, string Title, string Description, IReadOnlyList<string> Tags, Platforms Platforms, DateTimeOffset? PublishAt);

/// <summary>Where one platform put the video.</summary>
public sealed record PublishedVideo(string Platform, string Url, string? ExternalId);

/// <summary>Uploads: a published folder offline, YouTube and TikTok in production.</summary>
public interface IPublisher
{
    Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>Takes a published video down; already gone counts as done.</summary>
    Task UnpublishAsync(Guid jobId, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken);
}
