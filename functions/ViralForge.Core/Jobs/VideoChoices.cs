namespace ViralForge.Core.Jobs;

/// <summary>
/// The values a row's choice columns (Voice, Music, Caption Style, Format, Watermark) may take, in one place: the row
/// validator checks cells against them and the stages act on them.
/// </summary>
public static class VideoChoices
{
    public const string MusicNone = "none";
    public const string DefaultMusic = "calm";

    /// <summary>Music beds the product makes itself (ffmpeg synthesis), so every install has them.</summary>
    public static IReadOnlyList<string> MusicMoods { get; } = ["calm", "upbeat", "dramatic", "playful"];

    public const string DefaultCaptionStyle = "bold-pop";

    /// <summary>The caption looks the renderer draws (ViralForge.Render's CaptionStyle.All has one of each).</summary>
    public static IReadOnlyList<string> CaptionStyles { get; } = ["bold-pop", "boxed", "minimal"];

    public const string Vertical = "9:16";
    public const string Square = "1:1";
    public const string Landscape = "16:9";
    public const string DefaultFormat = Vertical;

    /// <summary>Frame shapes: vertical for Shorts and TikTok, square for feeds, landscape for YouTube long-form cut-downs.</summary>
    public static IReadOnlyList<string> Formats { get; } = [Vertical, Square, Landscape];

    public const string VisualsGenerated = "generated";
    public const string VisualsStock = "stock";
    public const string VisualsAi = "ai";
    public const string VisualsMixed = "mixed";
    public const string DefaultVisuals = VisualsGenerated;

    /// <summary>
    /// Where a row's pictures come from: made by ffmpeg with no network (the offline default), stock footage per beat
    /// (Pexels, Pixabay), AI video per beat (Runway, Veo), or mixed (AI for the hook's beat, stock for the rest).
    /// </summary>
    public static IReadOnlyList<string> VisualSources { get; } = [VisualsGenerated, VisualsStock, VisualsAi, VisualsMixed];

    public const string WatermarkOn = "on";
    public const string WatermarkOff = "off";

    /// <summary>File types accepted as a Music file.</summary>
    public static IReadOnlyList<string> AudioExtensions { get; } = [".mp3", ".wav", ".m4a", ".aac", ".ogg", ".opus", ".flac"];

    /// <summary>File types accepted as a Watermark image.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>True when the Music or Watermark value names a file in the blob store rather than a word.</summary>
    public static bool IsBlobReference(string value) =>
        value.StartsWith("gs://", StringComparison.OrdinalIgnoreCase) || value.Contains('/', StringComparison.Ordinal) || Path.HasExtension(value);

    /// <summary>The frame size of a format whose long side is <paramref name="longSide"/> pixels (both even, as H.264 needs).</summary>
    public static (int Width, int Height) FrameSize(string format, int longSide)
    {
        var even = longSide - (longSide % 2);
        var shortSide = (int)Math.Round(even * 9 / 16.0 / 2) * 2;
        return format switch
        {
            Square => (even, even),
            Landscape => (even, shortSide),
            _ => (shortSide, even),
        };
    }
}

/// <summary>A Voice cell taken apart: the provider (espeak, openai, elevenlabs) and that provider's voice name or id.</summary>
public sealed record VoiceChoice(string Provider, string Name)
{
    public const string Default = "default";
    public const string Espeak = "espeak";
    public const string OpenAI = "openai";
    public const string ElevenLabs = "elevenlabs";

    public static IReadOnlyList<string> Providers { get; } = [Espeak, OpenAI, ElevenLabs];

    /// <summary>The provider and voice of a validated Voice value; null for "default" (the configured default voice).</summary>
    public static VoiceChoice? Parse(string voice)
    {
        var text = (voice ?? "").Trim();
        if (text.Length == 0 || string.Equals(text, Default, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || colon == text.Length - 1
            ? null
            : new VoiceChoice(text[..colon].Trim().ToLowerInvariant(), text[(colon + 1)..].Trim());
    }

    public override string ToString() => $"{Provider}:{Name}";
}
