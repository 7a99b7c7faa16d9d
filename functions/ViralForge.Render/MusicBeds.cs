using System.Globalization;
using ViralForge.Core;
using ViralForge.Core.Jobs;

namespace ViralForge.Render;

/// <summary>
/// The bundled music beds, one per mood of <see cref="VideoChoices.MusicMoods"/>, synthesised by ffmpeg's aevalsrc so
/// every install (and the render job image, which has ffmpeg) has them without shipping audio files. Each is made once
/// where the renderer runs and kept in ViralForge:Media:MusicFolder; the renderer loops it under any length of video.
/// </summary>
/// <remarks>
/// All four walk a four-chord progression, one chord every 4 s, so each loops seamlessly every
/// <see cref="LoopSeconds"/>; they differ in key, mode, register, timbre and pulse, which is what a person hears as
/// mood (and what MusicBedsTests measures: their spectral centroids are 150-1,800 Hz apart):
/// <list type="bullet">
/// <item>calm: a soft major pad (C, G, Am, F) swelling in and out with each chord, low-passed, no pulse.</item>
/// <item>upbeat: the same chords as bright square-wave plucks in eighth notes at 120 BPM over a kick on every beat.</item>
/// <item>dramatic: low minor strings (Am, F, C, G) two octaves down, swelling, with a timpani-like hit every second (60 BPM).</item>
/// <item>playful: marimba-like arpeggios two octaves up in eighth notes at 150 BPM over a bouncing bass.</item>
/// </list>
/// </remarks>
public static class MusicBeds
{
    /// <summary>One pass of every progression; the renderer loops it.</summary>
    public const double LoopSeconds = 16;

    /// <summary>Part of every cached file's name: a changed recipe gets a new file instead of an old cached one.</summary>
    public const int Version = 3;

    // Shared by the recipes: register 0 is the chord (0-3) by floor(t/4), 1 its root in Hz, 2 the ratio of its third
    // (major 5:4, minor 6:5). The swell sin(pi*mod(t,4)/4) is zero at each chord change, so switching never clicks.
    private const string MajorChords =
        "st(0,mod(floor(t/4),4));"
        + "st(1,if(eq(ld(0),0),261.63,if(eq(ld(0),1),196.00,if(eq(ld(0),2),220.00,174.61))));"
        + "st(2,if(eq(ld(0),2),1.2,1.25));";

    private static readonly Dictionary<string, (string Expression, string Filters)> Recipes = new(StringComparer.Ordinal)
    {
        ["calm"] = (
            MajorChords
            + "st(3,sin(PI*mod(t,4)/4));"
            + "0.35*ld(3)*(sin(2*PI*ld(1)*t)+0.7*sin(2*PI*ld(1)*ld(2)*t)+0.6*sin(2*PI*ld(1)*1.5*t)+0.5*sin(PI*ld(1)*t))",
            "lowpass=f=2400,aecho=0.8:0.7:60:0.25"),
        ["upbeat"] = (
            MajorChords
            // Register 4 the eighth note's place in its beat pair (root, third, fifth, octave), 5 its pitch an octave up,
            // 6 the time since the note began, 7 since the beat began.
            + "st(4,mod(floor(t*4),4));"
            + "st(5,ld(1)*2*if(eq(ld(4),0),1,if(eq(ld(4),1),ld(2),if(eq(ld(4),2),1.5,2))));"
            + "st(6,mod(t,0.25));st(7,mod(t,0.5));st(3,sqrt(sin(PI*mod(t,4)/4)));"
            + "0.22*(1-exp(-300*ld(6)))*exp(-9*ld(6))*(sin(2*PI*ld(5)*t)+0.33*sin(6*PI*ld(5)*t)+0.2*sin(10*PI*ld(5)*t))"
            + "+0.12*ld(3)*(sin(2*PI*ld(1)*t)+0.6*sin(2*PI*ld(1)*ld(2)*t))"
            + "+0.5*exp(-25*ld(7))*sin(2*PI*(50+90*exp(-30*ld(7)))*ld(7))",
            "highpass=f=40,lowpass=f=6000"),
        ["dramatic"] = (
            "st(0,mod(floor(t/4),4));"
            + "st(1,if(eq(ld(0),0),110.00,if(eq(ld(0),1),87.31,if(eq(ld(0),2),130.81,98.00))));"
            + "st(2,if(eq(ld(0),0),1.2,1.25));"
            + "st(3,sqrt(sin(PI*mod(t,4)/4)));st(7,mod(t,1));"
            + "0.2*ld(3)*(sin(2*PI*ld(1)*t)+0.5*sin(4*PI*ld(1)*t)+0.33*sin(6*PI*ld(1)*t)+0.7*sin(2*PI*ld(1)*ld(2)*t)+0.6*sin(2*PI*ld(1)*1.5*t))"
            + "+0.6*exp(-4*ld(7))*sin(2*PI*55*ld(7))",
            "lowpass=f=1500,aecho=0.8:0.6:90:0.3"),
        ["playful"] = (
            MajorChords
            // An eight-note arpeggio (root, third, fifth, octave, fifth, third, fifth, octave) two octaves up, 5 notes a
            // second; 80 notes per loop, so the pattern lines up with the loop too.
            + "st(4,mod(floor(t*5),8));"
            + "st(5,ld(1)*4*if(eq(ld(4),0),1,if(eq(ld(4),1)+eq(ld(4),5),ld(2),if(eq(ld(4),3)+eq(ld(4),7),2,1.5))));"
            + "st(6,mod(t,0.2));"
            + "0.3*(1-exp(-300*ld(6)))*exp(-14*ld(6))*(sin(2*PI*ld(5)*t)+0.25*sin(2*PI*ld(5)*3.93*t))"
            + "+0.2*(1-exp(-300*mod(t,0.4)))*exp(-6*mod(t,0.4))*sin(PI*ld(1)*t)",
            "highpass=f=80"),
    };

    /// <summary>The folder the beds are kept in: ViralForge:Media:MusicFolder, or "music" under the work folder.</summary>
    public static string FolderFor(ViralForgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(options.Media.MusicFolder)
            ? Path.Combine(options.WorkFolder, "music")
            : options.Media.MusicFolder);
    }

    /// <summary>Whether the renderer can make this mood.</summary>
    public static bool IsMood(string mood) => Recipes.ContainsKey(mood ?? "");

    /// <summary>The ffmpeg arguments that write one mood's bed as a 48 kHz stereo WAV.</summary>
    public static IReadOnlyList<string> Arguments(string mood, string outputPath)
    {
        if (!Recipes.TryGetValue(mood ?? "", out var recipe))
        {
            throw new ArgumentException($"'{mood}' is not a bundled music mood; use one of {string.Join(", ", VideoChoices.MusicMoods)}.", nameof(mood));
        }

        // The expression is a constant of this class (no user text), so quoting it for the filter parser is enough.
        return [
            .. FfmpegRunner.CommonArguments, "-f", "lavfi",
            "-i", string.Create(CultureInfo.InvariantCulture, $"aevalsrc='{recipe.Expression}':s=48000:d={LoopSeconds}"),
            // Cut to the loop: an echo would otherwise ring on past it, and the loop would drift by that much each pass.
            "-af", string.Create(CultureInfo.InvariantCulture, $"{recipe.Filters},atrim=duration={LoopSeconds}"), "-ac", "2", "-c:a", "pcm_s16le", "-f", "wav", "-y", outputPath,
        ];
    }

    /// <summary>The mood's bed in <paramref name="folder"/>, written (atomically) the first time it is asked for.</summary>
    public static async Task<string> EnsureAsync(FfmpegRunner runner, string mood, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var path = Path.Combine(Path.GetFullPath(folder), $"{mood}-v{Version}.wav");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Two renders may make the same bed at once: each writes its own partial file, and either rename leaves a whole one.
        var partial = AtomicFile.TemporaryPathFor(path, ".partial.wav");
        try
        {
            await runner.RunAsync(Arguments(mood, partial), cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
            return path;
        }
        finally
        {
            AtomicFile.TryDelete(partial);
        }
    }
}
