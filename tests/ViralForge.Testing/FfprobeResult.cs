using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ViralForge.Testing;

/// <summary>What ffprobe says about a media file: an independent check of what the product wrote.</summary>
public sealed record FfprobeResult(double DurationSeconds, IReadOnlyList<FfprobeStream> Streams)
{
    public FfprobeStream Video => Streams.Single(s => s.CodecType == "video");

    public FfprobeStream Audio => Streams.Single(s => s.CodecType == "audio");

    public static async Task<FfprobeResult> RunAsync(string path)
    {
        var start = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,sample_rate,profile,pix_fmt:format=duration", "-of", "json", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe {path} failed: {error}");
        }
        using var json = JsonDocument.Parse(output);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray().Select(s => new FfprobeStream(
            s.GetProperty("codec_type").GetString()!,
            s.GetProperty("codec_name").GetString()!,
            s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
            s.TryGetProperty("profile", out var p) ? p.GetString() : null,
            s.TryGetProperty("pix_fmt", out var f) ? f.GetString() : null,
            s.TryGetProperty("sample_rate", out var r) ? int.Parse(r.GetString()!, CultureInfo.InvariantCulture) : 0)).ToList();
        var duration = double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        return new FfprobeResult(duration, streams);
    }
}

/// <summary>One stream in <see cref="FfprobeResult"/>.</summary>
public sealed record FfprobeStream(string CodecType, string CodecName, int Width, int Height, string? Profile, string? PixelFormat, int SampleRate);
