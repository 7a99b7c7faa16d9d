using ViralForge.Core.Ports;

namespace ViralForge.Render.Tests;

/// <summary>Burns an ASS track onto a plain frame with the real ffmpeg and libass, the way the renderer does, and returns the first frame's pixels.</summary>
public static class LibassFrames
{
    /// <summary>The folder of the project font, passed as fontsdir exactly as <see cref="FfmpegRenderer"/> passes it.</summary>
    public const string FontFolder = "/usr/share/fonts/truetype/dejavu";

    /// <summary>The ffmpeg arguments that burn <paramref name="assPath"/> onto one second of a plain colour and write the first frame as raw RGB.</summary>
    public static IReadOnlyList<string> Arguments(string assPath, int width, int height, string background, string output) =>
    [
        .. FfmpegRunner.CommonArguments,
        "-f", "lavfi", "-i", $"color=c={background}:s={width}x{height}:r=25:d=1",
        "-vf", $"ass=filename={FilterGraph.Value(assPath)}:fontsdir={FilterGraph.Value(FontFolder)}",
        "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", output,
    ];

    /// <summary>The ffmpeg arguments that burn <paramref name="assPath"/> onto one second of black and throw the frames away: libass does all its work, nothing is written.</summary>
    public static IReadOnlyList<string> NullArguments(string assPath, int width, int height) =>
    [
        .. FfmpegRunner.CommonArguments,
        "-f", "lavfi", "-i", $"color=c=black:s={width}x{height}:r=25:d=1",
        "-vf", $"ass=filename={FilterGraph.Value(assPath)}:fontsdir={FilterGraph.Value(FontFolder)}",
        "-f", "null", "-",
    ];

    /// <summary>The first frame (width*height*3 bytes of RGB) with this ASS text burned in.</summary>
    public static async Task<byte[]> RenderAsync(FfmpegRunner runner, string ass, int width, int height, string background, string scratchFolder)
    {
        var name = Guid.NewGuid().ToString("N");
        var assPath = Path.Combine(scratchFolder, name + ".ass");
        var rawPath = Path.Combine(scratchFolder, name + ".rgb");
        await File.WriteAllTextAsync(assPath, ass);
        await runner.RunAsync(Arguments(assPath, width, height, background, rawPath), CancellationToken.None);
        return await File.ReadAllBytesAsync(rawPath);
    }

    /// <summary>
    /// Captions for one line of text shown for the whole first second, all in the style's primary colour: the text
    /// is one spoken word, and without this it would all be in the highlight colour, which may lack a channel
    /// (yellow has no blue) that brightness checks look at.
    /// </summary>
    public static string Line(string text, int width, int height, CaptionStyle style) =>
        CaptionTrack.BuildAss([new WordTiming(text, 0, 1)], new CaptionLayout(width, height, "DejaVu Sans"), style with { HighlightColour = style.PrimaryColour });

    /// <summary>A raw ASS script with one event whose Text field is exactly <paramref name="assText"/> (no escaping), in BoldPop's look.</summary>
    public static string RawEvent(string assText, int width, int height)
    {
        var header = CaptionTrack.BuildAss([], new CaptionLayout(width, height, "DejaVu Sans"), CaptionStyle.BoldPop);
        return header + $"Dialogue: 0,0:00:00.00,0:00:01.00,{CaptionTrack.StyleName},,0,0,0,,{assText}\n";
    }

    /// <summary>Pixels whose colour differs from <paramref name="background"/> by more than <paramref name="tolerance"/> in some channel, as (x, y).</summary>
    public static IEnumerable<(int X, int Y)> Marked(byte[] rgb, int width, (byte R, byte G, byte B) background, int tolerance)
    {
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            if (Math.Abs(rgb[i] - background.R) > tolerance || Math.Abs(rgb[i + 1] - background.G) > tolerance || Math.Abs(rgb[i + 2] - background.B) > tolerance)
            {
                yield return (i / 3 % width, i / 3 / width);
            }
        }
    }
}
