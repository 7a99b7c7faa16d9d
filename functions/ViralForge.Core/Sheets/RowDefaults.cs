using ViralForge.Core.Jobs;

namespace ViralForge.Core.Sheets;

/// <summary>What an empty choice cell means: the deployment's defaults (ViralForge:Defaults), or the built-in ones.</summary>
public sealed record RowDefaults(
    string Voice = VoiceChoice.Default,
    string Music = VideoChoices.DefaultMusic,
    string CaptionStyle = VideoChoices.DefaultCaptionStyle,
    string Format = VideoChoices.DefaultFormat,
    string Watermark = VideoChoices.WatermarkOn,
    bool ReviewScript = false,
    string Visuals = VideoChoices.DefaultVisuals,
    string Channel = "")
{
    public static RowDefaults Builtin { get; } = new();

    public static RowDefaults From(RowDefaultsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.Voice, options.Music, options.CaptionStyle, options.Format, options.Watermark, options.ReviewScript, options.Visuals, options.Channel);
    }
}
