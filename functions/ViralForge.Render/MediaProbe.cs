using System.Globalization;
using System.Text.Json;

namespace ViralForge.Render;

/// <summary>What ffprobe says about a media file; sizes are 0 and codecs null when the file has no such stream.</summary>
/// <remarks>Everything beyond the first nine values describes the first video stream and is what a clip's filter chain is chosen from.</remarks>
public sealed record MediaProbe(
    double DurationSeconds,
    int Width,
    int Height,
    string? VideoCodec,
    string? VideoProfile,
    string? PixelFormat,
    string? AudioCodec,
    int? AudioSampleRate,
    int? AudioChannels)
{
    /// <summary>The demuxer's name as ffprobe gives it ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "png_pipe").</summary>
    public string? FormatName { get; init; }

    /// <summary>
    /// Degrees the picture is turned anticlockwise for display (0, 90, 180 or 270): the display matrix's rotation as
    /// libavutil states it, or the legacy rotate tag (which counts clockwise) turned into the same sense. ffmpeg applies it
    /// while decoding (autorotate), so the render sees the picture upright.
    /// </summary>
    public int Rotation { get; init; }

    /// <summary>r_frame_rate: the stream's base rate; 0 when ffprobe does not know it.</summary>
    public double FrameRate { get; init; }

    /// <summary>avg_frame_rate: frames over duration; differs from <see cref="FrameRate"/> when the rate varies.</summary>
    public double AverageFrameRate { get; init; }

    /// <summary>Bits per colour sample of the video (8, 10, 12), from bits_per_raw_sample or the pixel format.</summary>
    public int BitDepth { get; init; }

    /// <summary>color_transfer: smpte2084 (PQ) and arib-std-b67 (HLG) are HDR; null when untagged.</summary>
    public string? ColorTransfer { get; init; }

    /// <summary>color_primaries (bt709, bt2020, ...); null when untagged.</summary>
    public string? ColorPrimaries { get; init; }

    /// <summary>color_space, the YUV matrix (bt709, bt2020nc, smpte170m, ...); null when untagged.</summary>
    public string? ColorSpace { get; init; }

    /// <summary>color_range: tv (limited) or pc (full); null when untagged.</summary>
    public string? ColorRange { get; init; }

    /// <summary>Frames the first video stream's first packets decoded to (see <see cref="FfmpegRunner.FirstPacketsDecoded"/>); 0 means no picture decodes.</summary>
    public int FirstFramesDecoded { get; init; }

    /// <summary>sample_aspect_ratio: the width of one stored pixel over its height; 1 for square pixels and when unknown.</summary>
    public double SampleAspectRatio { get; init; } = 1;

    /// <summary>True when the file has a video stream at all.</summary>
    public bool HasVideo => VideoCodec is not null;

    /// <summary>True when the file carries an audio stream (a clip's own sound, which the render does not use).</summary>
    public bool HasAudio => AudioCodec is not null;

    /// <summary>PQ or HLG: the picture needs tone mapping to look right in SDR bt709.</summary>
    public bool IsHdr => ColorTransfer is "smpte2084" or "arib-std-b67";

    /// <summary>The two rates disagree by more than rounding: frames come at uneven intervals.</summary>
    public bool IsVariableFrameRate => FrameRate > 0 && AverageFrameRate > 0 && Math.Abs(FrameRate - AverageFrameRate) / FrameRate > 0.01;

    /// <summary>The picture's size as shown (rotation applied).</summary>
    public (int Width, int Height) DisplaySize => Rotation is 90 or 270 ? (Height, Width) : (Width, Height);

    /// <summary>
    /// One picture rather than a moving one, whatever the file's extension says: read by an image demuxer (png_pipe,
    /// image2, ...), or a picture codec (PNG, BMP, TIFF, WebP, JPEG XL) with no duration. Motion JPEG and GIF in a video
    /// container move, so they are videos.
    /// </summary>
    public bool IsStillImage =>
        HasVideo
        && (FormatName is "image2" || (FormatName?.EndsWith("_pipe", StringComparison.Ordinal) ?? false)
            || (VideoCodec is "png" or "bmp" or "tiff" or "webp" or "jpegxl" && DurationSeconds <= 0));

    /// <summary>Reads ffprobe's -show_format -show_streams -count_frames JSON; the first video and first audio stream count.</summary>
    public static MediaProbe FromFfprobeJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        JsonElement? video = null;
        JsonElement? audio = null;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = Text(stream, "codec_type");
                // A cover picture in a music file is a video stream too, but not the file's picture.
                var attachedPicture = stream.TryGetProperty("disposition", out var disposition) && Integer(disposition, "attached_pic") == 1;
                if (type == "video" && video is null && !attachedPicture)
                {
                    video = stream;
                }
                else if (type == "audio" && audio is null)
                {
                    audio = stream;
                }
            }
        }

        var format = root.TryGetProperty("format", out var f) ? f : (JsonElement?)null;
        var duration = format is { } fmt ? Decimal(fmt, "duration") : 0;
        if (duration <= 0 && video is { } v0)
        {
            duration = Decimal(v0, "duration");
        }

        var probe = new MediaProbe(
            duration,
            video is { } v1 ? Integer(v1, "width") : 0,
            video is { } v2 ? Integer(v2, "height") : 0,
            video is { } v3 ? Text(v3, "codec_name") : null,
            video is { } v4 ? Text(v4, "profile") : null,
            video is { } v5 ? Text(v5, "pix_fmt") : null,
            audio is { } a1 ? Text(a1, "codec_name") : null,
            audio is { } a2 && Integer(a2, "sample_rate") is > 0 and var rate ? rate : null,
            audio is { } a3 && Integer(a3, "channels") is > 0 and var channels ? channels : null)
        {
            FormatName = format is { } fmt2 ? Text(fmt2, "format_name") : null,
        };

        if (video is not { } stream2)
        {
            return probe;
        }

        var pixelFormat = probe.PixelFormat;
        var bits = Integer(stream2, "bits_per_raw_sample");
        return probe with
        {
            Rotation = ReadRotation(stream2),
            FrameRate = Rational(Text(stream2, "r_frame_rate")),
            AverageFrameRate = Rational(Text(stream2, "avg_frame_rate")),
            BitDepth = bits > 0 ? bits : BitDepthOf(pixelFormat),
            ColorTransfer = Tagged(Text(stream2, "color_transfer")),
            ColorPrimaries = Tagged(Text(stream2, "color_primaries")),
            ColorSpace = Tagged(Text(stream2, "color_space")),
            ColorRange = Tagged(Text(stream2, "color_range")),
            FirstFramesDecoded = Integer(stream2, "nb_read_frames"),
            // "0:1" means unknown, which players show as square pixels.
            SampleAspectRatio = Rational(Text(stream2, "sample_aspect_ratio")?.Replace(':', '/')) is > 0 and var sar ? sar : 1,
        };
    }

    /// <summary>Reads nb_read_frames of the one stream in a -select_streams -count_frames answer; 0 when it decoded nothing or is absent.</summary>
    public static int ReadFrameCount(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().Select(s => Integer(s, "nb_read_frames")).FirstOrDefault()
            : 0;
    }

    /// <summary>Bits per sample read from a pixel format's name: yuv420p10le is 10, yuv420p is 8.</summary>
    public static int BitDepthOf(string? pixelFormat)
    {
        if (pixelFormat is null)
        {
            return 0;
        }

        foreach (var bits in new[] { 16, 14, 12, 10, 9 })
        {
            if (pixelFormat.Contains($"p{bits}", StringComparison.Ordinal))
            {
                return bits;
            }
        }

        return 8;
    }

    private static int ReadRotation(JsonElement stream)
    {
        double degrees = 0;
        if (stream.TryGetProperty("side_data_list", out var sideData))
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var rotation))
                {
                    degrees = Decimal(item, "rotation");
                }
            }
        }
        else if (stream.TryGetProperty("tags", out var tags))
        {
            degrees = -Decimal(tags, "rotate");
        }

        var quarterTurns = (int)Math.Round(degrees / 90);
        return ((quarterTurns % 4) + 4) % 4 * 90;
    }

    private static string? Tagged(string? value) => value is null or "unknown" or "unspecified" or "reserved" ? null : value;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static int Integer(JsonElement element, string name) =>
        Text(element, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static double Decimal(JsonElement element, string name) =>
        Text(element, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : 0;

    /// <summary>"30000/1001" as 29.97; "0/0" (unknown) as 0.</summary>
    private static double Rational(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        var parts = text.Split('/');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator)
            && denominator > 0)
        {
            return numerator / denominator;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }
}
