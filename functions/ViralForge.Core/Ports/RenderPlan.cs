using System.Text.Json.Serialization;

namespace ViralForge.Core.Ports;

/// <summary>
/// A video described as a timeline, the way hosted renderers (Shotstack, Creatomate) describe one: named assets,
/// scenes played one after another, captions, overlays, audio tracks and an output profile. Serialised as JSON
/// (docs/RENDER_PLAN.md); <see cref="Version"/> says which shape of this document a file has.
/// </summary>
/// <remarks>
/// Properties with a non-zero default use <c>set</c>, not <c>init</c>: System.Text.Json's source generator assigns
/// every init-only property when it constructs the object, so a field missing from the JSON would get zero instead of
/// its documented default.
/// </remarks>
public sealed record RenderPlan
{
    /// <summary>The plan shape this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>Local files the plan uses, by id; scenes, overlays and audio refer to them by that id.</summary>
    public IReadOnlyDictionary<string, PlanAsset> Assets { get; set; } = new Dictionary<string, PlanAsset>();

    /// <summary>Shown one after another; together they set the video's length.</summary>
    public IReadOnlyList<PlanScene> Scenes { get; set; } = [];

    public PlanCaptions? Captions { get; init; }

    public IReadOnlyList<PlanOverlay> Overlays { get; set; } = [];

    public PlanAudio Audio { get; set; } = new();

    public OutputProfile Output { get; set; } = OutputProfile.YouTubeShorts;
}

/// <summary>What kind of file an asset is.</summary>
public enum PlanAssetKind
{
    [JsonStringEnumMemberName("image")]
    Image,
    [JsonStringEnumMemberName("video")]
    Video,
    [JsonStringEnumMemberName("audio")]
    Audio,
}

/// <summary>A local file. Only local files: the renderer never opens a URL.</summary>
public sealed record PlanAsset(PlanAssetKind Kind, string Path);

/// <summary>How a still image moves while it is shown (Ken Burns); video clips play as they are.</summary>
public enum SceneMotion
{
    [JsonStringEnumMemberName("none")]
    None,
    [JsonStringEnumMemberName("zoom-in")]
    ZoomIn,
    [JsonStringEnumMemberName("zoom-out")]
    ZoomOut,
    [JsonStringEnumMemberName("pan-up")]
    PanUp,
    [JsonStringEnumMemberName("pan-down")]
    PanDown,
}

/// <summary>One scene: a visual shown for <see cref="Duration"/> seconds, entering with an optional cross-fade.</summary>
public sealed record PlanScene
{
    public PlanVisual Visual { get; set; } = new();

    public double Duration { get; init; }

    public SceneMotion Motion { get; init; } = SceneMotion.None;

    /// <summary>Seconds this scene fades in over the previous one; 0 is a cut. Ignored on the first scene.</summary>
    public double Transition { get; init; }
}

/// <summary>
/// Exactly one of: an image or video asset (filled to the frame: scaled up and cropped, a clip looped or cut to the
/// scene), a plain colour, or a moving two-colour gradient. Colours are "#RRGGBB".
/// </summary>
public sealed record PlanVisual
{
    public string? Asset { get; init; }

    public string? Color { get; init; }

    public IReadOnlyList<string>? Gradient { get; init; }
}

/// <summary>Karaoke captions: the words with their timings, drawn in a named style ("bold-pop", "boxed", "minimal").</summary>
public sealed record PlanCaptions(IReadOnlyList<WordTiming> Words, string Style = "bold-pop");

/// <summary>Where an overlay sits; every corner keeps clear of the platforms' own buttons.</summary>
public enum OverlayPosition
{
    [JsonStringEnumMemberName("top-left")]
    TopLeft,
    [JsonStringEnumMemberName("top-right")]
    TopRight,
    [JsonStringEnumMemberName("top-center")]
    TopCenter,
}

/// <summary>A watermark or logo on top of the whole video: <see cref="Text"/> or an image <see cref="Asset"/>.</summary>
public sealed record PlanOverlay
{
    public string? Text { get; init; }

    public string? Asset { get; init; }

    public OverlayPosition Position { get; init; } = OverlayPosition.TopLeft;

    /// <summary>0 (invisible) to 1 (opaque).</summary>
    public double Opacity { get; set; } = 0.6;

    /// <summary>An image overlay's width as a fraction of the frame's width.</summary>
    public double Width { get; set; } = 0.2;
}

/// <summary>The narration, and an optional music bed that ducks under the speech.</summary>
public sealed record PlanAudio
{
    /// <summary>An audio asset id; the video must be at least as long as it.</summary>
    public string? Narration { get; init; }

    public PlanMusic? Music { get; init; }
}

/// <summary>A music bed, looped to the video's length, at <see cref="Volume"/> (0-1) and ducked under the narration when <see cref="Duck"/>.</summary>
public sealed record PlanMusic(string Asset, double Volume = 0.25, bool Duck = true);

/// <summary>
/// What a platform accepts: frame size and rate, the longest video, and the encoder's bitrate ceiling. Every
/// profile is H.264 High, yuv420p, AAC 48 kHz stereo with the index at the front (faststart).
/// </summary>
public sealed record OutputProfile(string Name, int Width, int Height, int FramesPerSecond, double MaxSeconds, int MaxVideoKbps, int AudioKbps)
{
    /// <summary>YouTube Shorts: vertical 1080x1920 (or square), up to 3 minutes.</summary>
    public static OutputProfile YouTubeShorts { get; } = new("youtube-shorts", 1080, 1920, 30, 180, 12_000, 192);

    /// <summary>
    /// A landscape YouTube upload is an ordinary (long-form) video, not a Short, whatever its length: 1920x1080, up to the
    /// 15 minutes an unverified channel may upload.
    /// </summary>
    public static OutputProfile YouTubeLongForm { get; } = new("youtube-long-form", 1920, 1080, 30, 900, 12_000, 192);

    /// <summary>TikTok: vertical 1080x1920 (square and landscape are shown letterboxed), up to 10 minutes for uploads through the API.</summary>
    public static OutputProfile TikTok { get; } = new("tiktok", 1080, 1920, 30, 600, 12_000, 192);

    /// <summary>The named profiles.</summary>
    public static IReadOnlyList<OutputProfile> Named { get; } = [YouTubeShorts, YouTubeLongForm, TikTok];

    /// <summary>
    /// One profile every target accepts, in the row's frame shape: the shortest length limit of the platforms (they take
    /// the same codec), so one MP4 serves them all and the video is encoded once. The frame is
    /// <see cref="FrameFor"/> (1080x1920, 1080x1080 or 1920x1080 for the default 1080x1920 setting). A 16:9 video is no
    /// Short, so YouTube's part of it is the long-form profile and the name says so.
    /// </summary>
    public static OutputProfile For(Jobs.Platforms platforms, MediaOptions media, string format = Jobs.VideoChoices.DefaultFormat)
    {
        ArgumentNullException.ThrowIfNull(media);
        var landscape = format == Jobs.VideoChoices.Landscape;
        var youTube = landscape ? YouTubeLongForm : YouTubeShorts;
        var chosen = new List<OutputProfile>();
        if (platforms.HasFlag(Jobs.Platforms.YouTube))
        {
            chosen.Add(youTube);
        }

        if (platforms.HasFlag(Jobs.Platforms.TikTok))
        {
            chosen.Add(TikTok);
        }

        var strictest = chosen.Count == 0 ? youTube : chosen.MinBy(p => p.MaxSeconds)!;
        var (width, height) = FrameFor(format, media);
        var shape = format == Jobs.VideoChoices.Vertical ? "" : format == Jobs.VideoChoices.Square ? " (square 1:1)" : " (landscape 16:9)";
        return strictest with
        {
            Name = string.Join('+', chosen.Select(p => p.Name).DefaultIfEmpty(youTube.Name)) + shape,
            Width = width,
            Height = height,
            FramesPerSecond = media.FramesPerSecond,
        };
    }

    /// <summary>
    /// The frame of a row's format from the configured one (ViralForge:Media:Width and Height): vertical and landscape
    /// keep its long side (<see cref="Jobs.VideoChoices.FrameSize"/>), a square takes its short side, 1080x1080 as feeds
    /// show it rather than 1920x1920, which would encode 3.4 times the pixels for nothing a phone can show.
    /// </summary>
    public static (int Width, int Height) FrameFor(string format, MediaOptions media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var side = format == Jobs.VideoChoices.Square ? Math.Min(media.Width, media.Height) : Math.Max(media.Width, media.Height);
        return Jobs.VideoChoices.FrameSize(format, side);
    }
}

/// <summary>Where one render writes: the MP4, and optionally a JPEG thumbnail and a small preview clip.</summary>
public sealed record RenderTargets(string VideoPath, string? ThumbnailPath = null, string? PreviewPath = null);

/// <summary>The loudness the renderer measured and the linear gain it applied to reach the target.</summary>
public sealed record LoudnessReport(double MeasuredLufs, double MeasuredTruePeak, double GainDb, int MeasurementPasses);

/// <summary>The finished files as ffprobe sees them.</summary>
public sealed record RenderResult(
    string VideoPath,
    double DurationSeconds,
    int Width,
    int Height,
    string? ThumbnailPath,
    string? PreviewPath,
    LoudnessReport? Loudness);
