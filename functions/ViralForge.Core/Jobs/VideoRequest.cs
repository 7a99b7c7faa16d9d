namespace ViralForge.Core.Jobs;

/// <summary>Where a video goes. A row's Platform cell says youtube, tiktok or both.</summary>
[Flags]
public enum Platforms
{
    None = 0,
    YouTube = 1,
    TikTok = 2,
    Both = YouTube | TikTok,
}

/// <summary>A validated sheet row: everything the stages need to know about the video the person asked for.</summary>
/// <param name="Voice">"default" (the configured voice for the language) or provider:voice, e.g. espeak:en+f3, openai:alloy, elevenlabs:Rachel (<see cref="VoiceChoice"/>).</param>
/// <param name="Music">"none", a bundled mood (<see cref="VideoChoices.MusicMoods"/>), or an audio file in the blob store (its key or gs:// URL).</param>
/// <param name="CaptionStyle">One of <see cref="VideoChoices.CaptionStyles"/>.</param>
/// <param name="Format">The frame's aspect ratio, one of <see cref="VideoChoices.Formats"/>.</param>
/// <param name="Watermark">"on" (the configured text), "off", or an image in the blob store (its key or gs:// URL).</param>
/// <param name="Visuals">Where the pictures come from, one of <see cref="VideoChoices.VisualSources"/>: generated offline, stock footage, AI video, or mixed.</param>
/// <param name="Channel">Which connected account to post to (a YouTube channel's or TikTok account's name, as `vf connect --list` shows it); empty for each platform's default (Publishing settings).</param>
/// <param name="ReviewScript">When true the job stops after the script stage until a person has read (and maybe edited) the script.</param>
/// <param name="VariantOf">
/// For a further language of a row with a Languages cell: the job of the row's first language, whose trends and analysis
/// this job reuses and whose row it writes into (its own cells are the "(language)" columns, e.g. Status (es)). Null for
/// a row's own job.
/// </param>
/// <remarks>The choices after <paramref name="Notes"/> came later; jobs stored before them read back with these defaults.</remarks>
public sealed record VideoRequest(
    string Topic,
    Platforms Platforms,
    int DurationSeconds,
    string Style,
    string Voice,
    string Language,
    DateTimeOffset? PublishAt,
    IReadOnlyList<string> Hashtags,
    string Notes,
    string Music = VideoChoices.DefaultMusic,
    string CaptionStyle = VideoChoices.DefaultCaptionStyle,
    string Format = VideoChoices.DefaultFormat,
    string Watermark = VideoChoices.WatermarkOn,
    bool ReviewScript = false,
    string Visuals = VideoChoices.DefaultVisuals,
    string Channel = "",
    Guid? VariantOf = null);
