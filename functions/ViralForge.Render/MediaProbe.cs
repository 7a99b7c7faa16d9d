namespace ViralForge.Render;

/// <summary>What ffprobe says about a media file; sizes are 0 and codecs null when the file has no such stream.</summary>
public sealed record MediaProbe(
    double DurationSeconds,
    int Width,
    int Height,
    string? VideoCodec,
    string? VideoProfile,
    string? PixelFormat,
    string? AudioCodec,
    int? AudioSampleRate,
    int? AudioChannels);
