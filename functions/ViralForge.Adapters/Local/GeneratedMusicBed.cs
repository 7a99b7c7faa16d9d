using System.Globalization;
using ViralForge.Core;
using ViralForge.Render;

namespace ViralForge.Adapters.Local;

/// <summary>
/// An offline music bed made by ffmpeg's aevalsrc: a soft four-chord pad (C, G, Am, F), each chord swelling in and
/// out over four seconds, so it loops seamlessly every 16 seconds under any length of video.
/// </summary>
public static class GeneratedMusicBed
{
    /// <summary>One pass of the progression; the renderer loops it.</summary>
    public const double LoopSeconds = 16;

    // Chord roots and the ratios of their third and fifth (major 5:4, minor 6:5; fifth 3:2), chosen by
    // floor(t/4) mod 4; the swell is sin(pi*phase), zero at every chord change, so switching never clicks.
    private const string Pad =
        "st(0,mod(floor(t/4),4));"
        + "st(1,if(eq(ld(0),0),261.63,if(eq(ld(0),1),196.00,if(eq(ld(0),2),220.00,174.61))));"
        + "st(2,if(eq(ld(0),2),1.2,1.25));"
        + "st(3,sin(PI*mod(t,4)/4));"
        + "0.35*ld(3)*(sin(2*PI*ld(1)*t)+0.7*sin(2*PI*ld(1)*ld(2)*t)+0.6*sin(2*PI*ld(1)*1.5*t)+0.5*sin(PI*ld(1)*t))";

    /// <summary>Writes the bed as a 48 kHz stereo WAV (atomically) unless it is already there.</summary>
    public static async Task<string> EnsureAsync(FfmpegRunner runner, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            return fullPath;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var partial = AtomicFile.TemporaryPathFor(fullPath, ".partial.wav");
        try
        {
            var seconds = LoopSeconds.ToString(CultureInfo.InvariantCulture);
            await runner.RunAsync(
                [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"aevalsrc='{Pad}':s=48000:d={seconds}",
                    "-af", "lowpass=f=2400,aecho=0.8:0.7:60:0.25", "-ac", "2", "-c:a", "pcm_s16le", "-f", "wav", "-y", partial],
                cancellationToken).ConfigureAwait(false);
            File.Move(partial, fullPath, overwrite: true);
            return fullPath;
        }
        finally
        {
            AtomicFile.TryDelete(partial);
        }
    }
}
