using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Render;

namespace ViralForge.Testing.Media;

/// <summary>Options, a runner and small generated media files for tests that run the real ffmpeg.</summary>
public static class MediaTesting
{
    /// <summary>Default options with the video size (and anything else) changed.</summary>
    public static IOptions<ViralForgeOptions> Options(int width, int height, Action<MediaOptions>? configure = null)
    {
        var options = new ViralForgeOptions();
        options.Media.Width = width;
        options.Media.Height = height;
        configure?.Invoke(options.Media);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static FfmpegRunner Runner(IOptions<ViralForgeOptions> options) =>
        new(options, TimeProvider.System, NullLogger<FfmpegRunner>.Instance);

    /// <summary>A mono 44.1 kHz WAV tone, standing in for narration.</summary>
    public static Task MakeToneAsync(FfmpegRunner runner, string path, double seconds) =>
        runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"sine=frequency=330:sample_rate=44100:duration={N(seconds)}", "-ac", "1", "-y", path],
            CancellationToken.None);

    /// <summary>A plain-colour H.264 clip of any size.</summary>
    public static Task MakeClipAsync(FfmpegRunner runner, string path, int width, int height, double seconds, string colour) =>
        runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"color=c={colour}:s={width}x{height}:r=25:d={N(seconds)}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", path],
            CancellationToken.None);

    /// <summary>A plain-colour PNG.</summary>
    public static Task MakeStillAsync(FfmpegRunner runner, string path, int width, int height, string colour) =>
        runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"color=c={colour}:s={width}x{height}", "-frames:v", "1", "-update", "1", "-y", path],
            CancellationToken.None);

    /// <summary>One decoded frame at a time, as width*height*3 bytes of RGB.</summary>
    public static async Task<byte[]> FrameRgbAsync(FfmpegRunner runner, string videoPath, double atSeconds, string scratchFolder)
    {
        var raw = Path.Combine(scratchFolder, $"frame-{Guid.NewGuid():N}.rgb");
        await runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-ss", N(atSeconds), "-i", videoPath, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", raw],
            CancellationToken.None);
        return await File.ReadAllBytesAsync(raw);
    }

    /// <summary>How many pixels in a rectangle are at least this bright in every channel.</summary>
    public static int CountBrightPixels(byte[] rgb, int width, int left, int top, int right, int bottom, byte threshold)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                var i = ((y * width) + x) * 3;
                if (rgb[i] >= threshold && rgb[i + 1] >= threshold && rgb[i + 2] >= threshold)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>How many pixels in a rectangle match a colour test on (r, g, b).</summary>
    public static int CountPixels(byte[] rgb, int width, int left, int top, int right, int bottom, Func<byte, byte, byte, bool> matches)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                var i = ((y * width) + x) * 3;
                if (matches(rgb[i], rgb[i + 1], rgb[i + 2]))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Real speech from the espeak-ng command (peaky, like any voice), as a mono WAV.</summary>
    public static async Task MakeSpeechAsync(string path, string text)
    {
        var start = new System.Diagnostics.ProcessStartInfo("espeak-ng") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-s", "165", "-w", path, text })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"espeak-ng failed ({process.ExitCode}): {error}");
        }
    }

    /// <summary>A music-like bed: a soft chord with a slow swell, as a stereo WAV.</summary>
    public static Task MakeMusicAsync(FfmpegRunner runner, string path, double seconds) =>
        runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i",
                $"aevalsrc=0.3*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.5*t))+0.2*sin(2*PI*277.18*t)+0.2*sin(2*PI*329.63*t):s=48000:d={N(seconds)}",
                "-ac", "2", "-y", path],
            CancellationToken.None);

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
