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

    /// <summary>Text burned into the corner of every video whose Watermark is on.</summary>
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

    [Required, ValidateObjectMembers]
    public RowDefaultsOptions Defaults { get; set; } = new();

    /// <summary>The analysis stage's optional LLM insight (<see cref="Trends.AnalysisOptions"/>).</summary>
    [Required]
    public Trends.AnalysisOptions Analysis { get; set; } = new();
}

/// <summary>
/// What a row's empty choice cells mean (Voice, Music, Caption Style, Format, Watermark, Review Script): each takes the
/// values its column takes (README, "The sheet"), and a bad one stops the host with the cell's own error.
/// </summary>
public sealed class RowDefaultsOptions : IValidatableObject
{
    /// <summary>default (the voice provider's voice for the row's language) or provider:voice, e.g. espeak:en+f3.</summary>
    [Required]
    public string Voice { get; set; } = Jobs.VoiceChoice.Default;

    /// <summary>none, a bundled mood (calm, upbeat, dramatic, playful) or an audio file in the blob store.</summary>
    [Required]
    public string Music { get; set; } = Jobs.VideoChoices.DefaultMusic;

    /// <summary>bold-pop (white, black outline, yellow word), boxed, or minimal.</summary>
    [Required]
    public string CaptionStyle { get; set; } = Jobs.VideoChoices.DefaultCaptionStyle;

    /// <summary>9:16, 1:1 or 16:9.</summary>
    [Required]
    public string Format { get; set; } = Jobs.VideoChoices.DefaultFormat;

    /// <summary>on (ViralForge:Watermark's text), off, or an image in the blob store.</summary>
    [Required]
    public string Watermark { get; set; } = Jobs.VideoChoices.WatermarkOn;

    /// <summary>Whether every job waits for a person to read its script before the visuals are made.</summary>
    public bool ReviewScript { get; set; }

    /// <summary>generated (ffmpeg, no network), stock (Pexels, Pixabay), ai (Runway, Veo) or mixed (AI hook, stock rest).</summary>
    [Required]
    public string Visuals { get; set; } = Jobs.VideoChoices.DefaultVisuals;

    /// <summary>The connected account a row with an empty Channel posts to; empty for Publishing's default per platform.</summary>
    public string Channel { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Sheets.RowValidator.CheckDefaults(Sheets.RowDefaults.From(this))
            .Select(e => new ValidationResult($"ViralForge:Defaults: {e}."));
}

/// <summary>Retry, rate and dispatch settings of the task queue (Cloud Tasks' retryConfig and rateLimits, per queue).</summary>
public sealed class QueueOptions : IValidatableObject
{
    /// <summary>
    /// The queues beside the one per stage (vf-&lt;stage&gt;): each named vf-&lt;stage&gt;-&lt;purpose&gt;, so Cloud Tasks
    /// routes it to its stage's service.
    /// </summary>
    public static IReadOnlyList<string> PurposeQueues { get; } = [Review.ReviewDesk.DecisionQueue, Review.ChatReviewChannel.TimerQueue, Metrics.MetricsTasks.QueueName];

    /// <summary>Every queue ViralForge sends to; an override for any other name is a misspelling.</summary>
    public static IReadOnlyList<string> KnownQueues { get; } =
        [.. Jobs.StageOrder.InOrder.Select(stage => $"vf-{Jobs.StageOrder.Wire(stage)}"), .. PurposeQueues, Webhooks.WebhookQueue.Name];

    /// <summary>Cloud Tasks' bounds: rateLimits.maxConcurrentDispatches at most 5,000, maxDispatchesPerSecond at most 500.</summary>
    public const int MaxConcurrentDispatchesLimit = 5000;

    public const double MaxDispatchesPerSecondLimit = 500;

    /// <summary>Cloud Tasks' longest dispatchDeadline for an HTTP task (its shortest is 15 s; the local queue allows less for tests).</summary>
    public static readonly TimeSpan MaxDispatchDeadline = TimeSpan.FromMinutes(30);

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

    /// <summary>
    /// How long one HTTP attempt may take before it is abandoned and retried (Cloud Tasks dispatchDeadline), for a queue
    /// that has no deadline of its own in <see cref="DefaultLimitsFor"/> or <see cref="Queues"/> and a task that brings none.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan DispatchDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A worker holds a task this long and renews it while the attempt runs; a dead worker's task is delivered again after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Render wall seconds per second of video assumed until this deployment has measured its own renders. vf bench render
    /// measured 0.38 on an idle 2-core machine (11.5 s for a 30 s short); 4 leaves room for a loaded one and for renders of
    /// real footage, which decode more.
    /// </summary>
    [Range(0.05, 100.0)]
    public double RenderSecondsPerVideoSecond { get; set; } = 4;

    /// <summary>A render task's deadline is the expected render time (video seconds x speed) times this.</summary>
    [Range(1.0, 10.0)]
    public double RenderDeadlineMargin { get; set; } = 2;

    /// <summary>
    /// The shortest render deadline: ffmpeg's start-up, the loudness passes and storing the files do not shrink with the
    /// video. Under the gcp profile it is raised to Google:CloudRun:RenderWait plus a minute, since a render delivery
    /// there watches its execution that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan RenderDeadlineFloor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retry, rate and deadline settings for particular queues (such as vf-render), overriding the ones above.</summary>
    public Dictionary<string, QueueRetryOptions> Queues { get; set; } = [];

    /// <summary>The retry settings of one queue.</summary>
    public QueueRetryOptions RetryFor(string queue) =>
        Queues.TryGetValue(queue, out var retry) ? retry
        : queue == Webhooks.WebhookQueue.Name ? Webhooks.WebhookQueue.DefaultRetry()
        : queue == Metrics.MetricsTasks.QueueName ? Metrics.MetricsTasks.DefaultRetry()
        : new QueueRetryOptions
        {
            MaxAttempts = MaxAttempts,
            MinBackoff = MinBackoff,
            MaxBackoff = MaxBackoff,
            MaxDoublings = MaxDoublings,
        };

    /// <summary>The rate limits and default dispatch deadline of one queue: its override in <see cref="Queues"/>, else <see cref="DefaultLimitsFor"/> on this machine.</summary>
    public QueueLimits LimitsFor(string queue)
    {
        var defaults = DefaultLimitsFor(queue, Environment.ProcessorCount, DispatchDeadline, MaxConcurrentDispatches);
        return Queues.TryGetValue(queue, out var set) && set is not null
            ? new QueueLimits(
                set.MaxConcurrentDispatches ?? defaults.MaxConcurrentDispatches,
                set.MaxDispatchesPerSecond ?? defaults.MaxDispatchesPerSecond,
                set.DispatchDeadline ?? defaults.DispatchDeadline)
            : defaults;
    }

    /// <summary>
    /// Each queue's rate limits (Cloud Tasks' rateLimits) and dispatch deadline for a host with
    /// <paramref name="processorCount"/> cores. cloudbuild.yaml sets the same numbers on the real queues (CloudBuildTests).
    /// A queue ViralForge does not know (the queue benchmark's) gets the process's whole share and Cloud Tasks' top rate.
    /// </summary>
    public static QueueLimits DefaultLimitsFor(string queue, int processorCount, TimeSpan fallbackDeadline, int fallbackConcurrency)
    {
        var cores = Math.Max(1, processorCount);
        return queue switch
        {
            // YouTube Data API: search.list has its own bucket of 100 calls a day and everything else 10,000 units a day
            // (API_PROVIDERS.md §6a); a trends task makes one or two calls, so a slow trickle is plenty and a burst of
            // rows cannot spend the day's searches in a minute.
            "vf-trends" => new(2, 1, TimeSpan.FromMinutes(2)),
            // Pure computation over the stored trends: as wide as the machine.
            "vf-analysis" => new(cores, 10, TimeSpan.FromMinutes(2)),
            // OpenAI limits are per model and tier (API_PROVIDERS.md §1); 4 at once and 1 a second (60 requests a
            // minute) stays under the lowest paid tier's requests per minute, and the client's own 3 retries fit in 5 min.
            "vf-script" => new(4, 1, TimeSpan.FromMinutes(5)),
            // Locally ffmpeg draws the backgrounds, one core each. A stock adapter (Pexels: 200 requests an hour,
            // API_PROVIDERS.md §4) will need its own, slower rate.
            "vf-visuals" => new(cores, 2, TimeSpan.FromMinutes(10)),
            // Locally espeak-ng, one core each; ElevenLabs' Free plan allows 2 concurrent Multilingual v2 requests
            // (API_PROVIDERS.md §2), so never more than 2 even on a big machine.
            "vf-voice" => new(Math.Min(cores, 2), 2, TimeSpan.FromMinutes(5)),
            // One render per 2 cores: x264 already uses every core, so a second render on the same cores only stretches
            // both (seven at once on 2 cores never finished). The deadline is sized per task (RenderDeadline).
            "vf-render" => new(Math.Max(1, cores / 2), 1, TimeSpan.FromMinutes(10)),
            // Slack posts about one message a second per channel; reviews and their timers are few.
            "vf-review" or "vf-review-decisions" or "vf-review-timers" => new(2, 1, TimeSpan.FromMinutes(2)),
            // TikTok allows 6 video inits a minute per token (0.1/s, API_PROVIDERS.md §7) and YouTube 100 uploads a day:
            // one upload at a time, at most one start every 10 s. Uploading a video takes minutes.
            "vf-publish" => new(1, 0.1, TimeSpan.FromMinutes(15)),
            // The analytics reads: three a video over a week, each one or two small GETs; YouTube Analytics' and TikTok's
            // per-minute limits are far above one a second.
            "vf-publish-metrics" => new(2, 1, TimeSpan.FromMinutes(2)),
            // Webhook deliveries are short POSTs to other people's servers (WebhookOptions.Timeout, 10 s): a few at once.
            "vf-webhooks" => new(4, 10, TimeSpan.FromMinutes(1)),
            _ => new(fallbackConcurrency, MaxDispatchesPerSecondLimit, fallbackDeadline),
        };
    }

    /// <summary>
    /// A render task's dispatch deadline: the video's seconds times the render speed (measured on this deployment, or
    /// <see cref="RenderSecondsPerVideoSecond"/> until it has been) times <see cref="RenderDeadlineMargin"/>, at least
    /// <see cref="RenderDeadlineFloor"/> and at most Cloud Tasks' 30 minutes.
    /// </summary>
    public TimeSpan RenderDeadline(double videoSeconds, double? measuredSecondsPerVideoSecond)
    {
        var speed = measuredSecondsPerVideoSecond is > 0 ? measuredSecondsPerVideoSecond.Value : RenderSecondsPerVideoSecond;
        var seconds = Math.Max(0, videoSeconds) * speed * RenderDeadlineMargin;
        var deadline = double.IsFinite(seconds) && seconds < MaxDispatchDeadline.TotalSeconds ? TimeSpan.FromSeconds(Math.Ceiling(seconds)) : MaxDispatchDeadline;
        return deadline < RenderDeadlineFloor ? RenderDeadlineFloor : deadline;
    }

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
            if (retry.MaxConcurrentDispatches is < 1 or > MaxConcurrentDispatchesLimit)
            {
                yield return new ValidationResult(
                    $"{setting}:MaxConcurrentDispatches {retry.MaxConcurrentDispatches} must be between 1 and {MaxConcurrentDispatchesLimit} (Cloud Tasks' bound).", [nameof(Queues)]);
            }
            if (retry.MaxDispatchesPerSecond is { } rate && !(rate > 0 && rate <= MaxDispatchesPerSecondLimit))
            {
                yield return new ValidationResult(
                    $"{setting}:MaxDispatchesPerSecond {rate} must be more than 0 and at most {MaxDispatchesPerSecondLimit} (Cloud Tasks' bound).", [nameof(Queues)]);
            }
            if (retry.DispatchDeadline is { } deadline && (deadline < TimeSpan.FromSeconds(1) || deadline > MaxDispatchDeadline))
            {
                yield return new ValidationResult(
                    $"{setting}:DispatchDeadline {deadline} must be between 00:00:01 and 00:30:00 (Cloud Tasks allows 15 s to 30 min and raises a shorter one to 15 s).", [nameof(Queues)]);
            }
        }
    }

    /// <summary>False for a host that only enqueues (another process delivers).</summary>
    public bool RunDispatcher { get; set; } = true;

    /// <summary>Attempts one local dispatcher process runs at once over all queues; each queue's own limit (<see cref="LimitsFor"/>) holds across processes.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDispatches { get; set; } = 8;
}

/// <summary>Cloud Tasks' rateLimits for one queue, and the dispatch deadline its tasks get unless they bring their own.</summary>
public sealed record QueueLimits(int MaxConcurrentDispatches, double MaxDispatchesPerSecond, TimeSpan DispatchDeadline);

/// <summary>Cloud Tasks' retryConfig and rateLimits for one queue; rate settings left empty keep the queue's default (<see cref="QueueOptions.DefaultLimitsFor"/>).</summary>
public sealed class QueueRetryOptions
{
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    [Range(0, 16)]
    public int MaxDoublings { get; set; } = 4;

    /// <summary>Attempts of this queue in flight at once, over every dispatcher (Cloud Tasks maxConcurrentDispatches, 1-5000).</summary>
    public int? MaxConcurrentDispatches { get; set; }

    /// <summary>Attempts of this queue started per second (Cloud Tasks maxDispatchesPerSecond, above 0 and at most 500).</summary>
    public double? MaxDispatchesPerSecond { get; set; }

    /// <summary>The dispatch deadline of this queue's tasks that bring none of their own.</summary>
    public TimeSpan? DispatchDeadline { get; set; }

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

    /// <summary>
    /// A render whose ffmpeg has reported progress stops renewing its lease, and is killed, once its output time has not
    /// advanced for this long: a hung ffmpeg frees the queue instead of holding it until the dispatch deadline. ffmpeg
    /// reports twice a second, so a minute of nothing is far past a slow machine.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan ProgressStall { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A long stage's percent done is written to the job store at most this often (the CLI and the review page read it
    /// there), and only when it moved: a handful of writes per render, not one per ffmpeg report.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ProgressStoreInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// ... and into the row's Stage cell ("render 45%") at most this often per row: a Google Sheet takes about one write a
    /// second per user, shared by every row, so progress must not crowd out the writes that change a row's status.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ProgressSheetInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a stage may wait on work going on elsewhere (a Runway or Veo generation, a Cloud Run render, TikTok
    /// processing an upload) before its job fails. Waiting spends none of the queue's attempts: each look is a task of
    /// its own (<see cref="Stages.StageRunner"/>), so a vendor that keeps a generation queued for an hour does not fail
    /// the row; this is the bound instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan WorkWaitLimit { get; set; } = TimeSpan.FromHours(6);
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

    /// <summary>
    /// Font for the large glyph of each offline visuals beat (vf demo): an emoji font with outline glyphs, because
    /// drawtext tints outlines but cannot draw colour bitmaps. Symbola covers every glyph in BeatGlyphs' table.
    /// </summary>
    [Required]
    public string GlyphFontFile { get; set; } = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf";

    /// <summary>
    /// Where the renderer keeps the bundled music beds (calm.wav, upbeat.wav, dramatic.wav, playful.wav), which it
    /// synthesises with ffmpeg the first time a row asks for that mood; empty for a "music" folder under WorkFolder. A row
    /// picks its bed in its Music column (ViralForge:Defaults:Music when empty); "none" renders narration only.
    /// </summary>
    public string? MusicFolder { get; set; }

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

    /// <summary>
    /// Who decides at the terminal (vf run --review), recorded with each decision; unset: git config user.name, else vf
    /// asks once. The operating system's account name (often root) is never used: it names no person.
    /// </summary>
    [MaxLength(100)]
    public string? ReviewerName { get; set; }

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
