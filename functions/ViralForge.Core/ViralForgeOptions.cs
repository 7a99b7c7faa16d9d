using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Core;

/// <summary>
/// Every setting of ViralForge, in one place. Bound from the "ViralForge" configuration section
/// (environment variables use VF__Section__Name, e.g. VF__Render__Crf=20) and validated at start-up
/// so a bad value stops the host with a message that names it.
/// </summary>
public sealed class ViralForgeOptions
{
    public const string SectionName = "ViralForge";

    /// <summary>local (PostgreSQL queue, files, offline providers) or gcp (Google Cloud); hosts read it with <see cref="ViralForgeProfiles.Read"/>.</summary>
    [EnumDataType(typeof(ViralForgeProfile))]
    public ViralForgeProfile Profile { get; set; } = ViralForgeProfile.Local;

    /// <summary>Folder for blobs, published videos and scratch files. Relative paths are under the current folder.</summary>
    [Required]
    public string WorkFolder { get; set; } = ".vf";

    /// <summary>Npgsql connection string; VF_DATABASE_URL (a postgres:// URL or a connection string) wins when set.</summary>
    public string? DatabaseUrl { get; set; }

    /// <summary>Text burned into every video's corner.</summary>
    [Required, StringLength(60)]
    public string Watermark { get; set; } = "ViralForge";

    /// <summary>ISO 3166-1 alpha-2 region used for trends.</summary>
    [Required, RegularExpression("^[A-Z]{2}$")]
    public string RegionCode { get; set; } = "US";

    [Required, ValidateObjectMembers]
    public QueueOptions Queue { get; set; } = new();

    [Required, ValidateObjectMembers]
    public StageRunOptions Stages { get; set; } = new();

    [Required, ValidateObjectMembers]
    public MediaOptions Media { get; set; } = new();

    [Required, ValidateObjectMembers]
    public ReviewOptions Review { get; set; } = new();

    [Required, ValidateObjectMembers]
    public ReconcileOptions Reconcile { get; set; } = new();
}

/// <summary>Retry and dispatch settings of the task queue (Cloud Tasks' retryConfig, per queue).</summary>
public sealed class QueueOptions : IValidatableObject
{
    /// <summary>
    /// The queues beside the one per stage (vf-&lt;stage&gt;): each named vf-&lt;stage&gt;-&lt;purpose&gt;, so Cloud Tasks
    /// routes it to its stage's service.
    /// </summary>
    public static IReadOnlyList<string> PurposeQueues { get; } = [Review.ReviewDesk.DecisionQueue, Review.ChatReviewChannel.TimerQueue];

    /// <summary>Every queue ViralForge sends to; an override for any other name is a misspelling.</summary>
    public static IReadOnlyList<string> KnownQueues { get; } =
        [.. Jobs.StageOrder.InOrder.Select(stage => $"vf-{Jobs.StageOrder.Wire(stage)}"), .. PurposeQueues];

    /// <summary>Attempts in all, the first included (Cloud Tasks maxAttempts).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "24:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The interval doubles this many times, then grows linearly up to MaxBackoff.</summary>
    [Range(0, 16)]
    public int MaxDoublings { get; set; } = 4;

    /// <summary>How long one HTTP attempt may take before it is abandoned and retried (Cloud Tasks dispatchDeadline).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan DispatchDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A worker holds a task this long and renews it while the attempt runs; a dead worker's task is delivered again after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry settings for particular queues (such as vf-render), overriding the ones above.</summary>
    public Dictionary<string, QueueRetryOptions> Queues { get; set; } = [];

    /// <summary>The retry settings of one queue.</summary>
    public QueueRetryOptions RetryFor(string queue) =>
        Queues.TryGetValue(queue, out var retry) ? retry : new QueueRetryOptions
        {
            MaxAttempts = MaxAttempts,
            MinBackoff = MinBackoff,
            MaxBackoff = MaxBackoff,
            MaxDoublings = MaxDoublings,
        };

    /// <summary>
    /// Checks the per-queue overrides, which the attribute validation does not reach inside a dictionary: each must name a
    /// known queue and hold values Cloud Tasks accepts, so a misspelt queue or a MaxAttempts of 0 stops the host at boot.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (queue, retry) in Queues)
        {
            var setting = $"ViralForge:Queue:Queues:{queue}";
            if (!KnownQueues.Contains(queue, StringComparer.Ordinal))
            {
                yield return new ValidationResult(
                    $"{setting} names no queue; use one of {string.Join(", ", KnownQueues)}.", [nameof(Queues)]);
                continue;
            }
            if (retry is null)
            {
                yield return new ValidationResult($"{setting} is empty.", [nameof(Queues)]);
                continue;
            }
            if (retry.MaxAttempts is < 1 or > 1000)
            {
                yield return new ValidationResult($"{setting}:MaxAttempts {retry.MaxAttempts} must be between 1 and 1000 (attempts in all, the first included).", [nameof(Queues)]);
            }
            if (retry.MaxDoublings is < 0 or > 16)
            {
                yield return new ValidationResult($"{setting}:MaxDoublings {retry.MaxDoublings} must be between 0 and 16.", [nameof(Queues)]);
            }
            if (retry.MinBackoff <= TimeSpan.Zero || retry.MaxBackoff < retry.MinBackoff)
            {
                yield return new ValidationResult(
                    $"{setting}: MinBackoff ({retry.MinBackoff}) must be more than 0 and MaxBackoff ({retry.MaxBackoff}) at least MinBackoff.", [nameof(Queues)]);
            }
        }
    }

    /// <summary>False for a host that only enqueues (another process delivers).</summary>
    public bool RunDispatcher { get; set; } = true;

    /// <summary>Attempts the local dispatcher runs at once.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDispatches { get; set; } = 8;
}

/// <summary>Cloud Tasks' retryConfig for one queue.</summary>
public sealed class QueueRetryOptions
{
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    [Range(0, 16)]
    public int MaxDoublings { get; set; } = 4;

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 = the first retry), as Cloud Tasks
    /// computes it: MinBackoff doubled MaxDoublings times, then growing linearly by the last doubled
    /// interval, never above MaxBackoff.
    /// </summary>
    public TimeSpan BackoffBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var steps = retry - 1;
        var seconds = steps <= MaxDoublings
            ? MinBackoff.TotalSeconds * Math.Pow(2, steps)
            : MinBackoff.TotalSeconds * Math.Pow(2, MaxDoublings) * (steps - MaxDoublings + 1);
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackoff.TotalSeconds));
    }
}

/// <summary>How stage handlers hold their work.</summary>
public sealed class StageRunOptions
{
    /// <summary>A stage attempt holds its run this long and renews it while working; a crashed attempt's run can be taken over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>FFmpeg, espeak-ng and the video format.</summary>
public sealed class MediaOptions
{
    [Required]
    public string FfmpegFolder { get; set; } = "/usr/bin";

    [Range(240, 4320)]
    public int Width { get; set; } = 1080;

    [Range(240, 4320)]
    public int Height { get; set; } = 1920;

    [Range(10, 120)]
    public int FramesPerSecond { get; set; } = 30;

    /// <summary>
    /// x264 preset; faster presets trade file size for speed. ultrafast by default: YouTube and TikTok re-encode every
    /// upload, so the MP4 only has to reach them clean, and ultrafast encodes a 1080x1920 short about 3x faster than
    /// veryfast at an SSIM above 0.99 against a slow crf 16 encode of the same composition (vf bench render). The
    /// files are larger (still under the profile's maxrate), which costs an upload, not a viewer.
    /// </summary>
    [Required, RegularExpression("^(ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow)$")]
    public string Preset { get; set; } = "ultrafast";

    [Range(0, 51)]
    public int Crf { get; set; } = 21;

    /// <summary>Any one FFmpeg run is killed after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "02:00:00")]
    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Speaking rate the script writer fits the text to and the voice speaks at.</summary>
    [Range(80, 300)]
    public int WordsPerMinute { get; set; } = 165;

    /// <summary>Font file for captions and cards; the project installs DejaVu Sans.</summary>
    [Required]
    public string FontFile { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    /// <summary>Caption look: bold-pop (white, black outline, yellow word), boxed, or minimal.</summary>
    [Required, RegularExpression("^(bold-pop|boxed|minimal)$")]
    public string CaptionStyle { get; set; } = "bold-pop";

    /// <summary>A music bed under every video (looped, ducked under the narration); empty for none. `vf demo` makes one.</summary>
    public string? MusicFile { get; set; }

    /// <summary>The music bed's level before ducking, 0-1.</summary>
    [Range(0.01, 1.0)]
    public double MusicVolume { get; set; } = 0.25;
}

/// <summary>Who approves videos, and how long a card may wait.</summary>
public sealed class ReviewOptions
{
    /// <summary>
    /// auto approves every video; terminal asks on the console (vf run --review); bot posts a card to the configured
    /// Slack and Teams channels (none configured: only the local review page) and waits for a decision (vf serve).
    /// </summary>
    [Required, RegularExpression("^(auto|terminal|bot)$")]
    public string Mode { get; set; } = "auto";

    /// <summary>
    /// Who may decide from Slack or Teams: Slack user ids (U…) and Teams AAD object ids. Empty means nobody, not
    /// everybody. The local review page is for the person at this machine and needs no entry.
    /// </summary>
    public List<string> Reviewers { get; set; } = [];

    /// <summary>A card still waiting after this long gets a reminder under it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RemindAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A card still waiting after this long is rejected with the reason "review expired".</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Where the review page is reachable (e.g. http://127.0.0.1:8080); when set, cards link to the page for their video
    /// instead of the video's signed URL. vf serve sets it to its own address.
    /// </summary>
    public Uri? PageBaseUrl { get; set; }
}

/// <summary>The reconcile step, which finds jobs that stopped moving and queues their stage again or fails them.</summary>
public sealed class ReconcileOptions
{
    /// <summary>How often the functions host reconciles where it runs the local queue (production: the vf-reconcile scheduler job).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A job changed less than this long ago, or whose stage lease ran out less than this long ago, is left alone: its
    /// next task may be on its way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often one stage of one generation may be queued again before the job fails instead.</summary>
    [Range(0, 100)]
    public int MaxRequeues { get; set; } = 3;

    /// <summary>Jobs looked at per pass, least recently changed first.</summary>
    [Range(1, 10000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>Source-generated validation of every section (nested ones included), run at start-up.</summary>
[OptionsValidator]
public sealed partial class ViralForgeOptionsValidator : IValidateOptions<ViralForgeOptions>;
