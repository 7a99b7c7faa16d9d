using System.Globalization;
using ViralForge.Testing.Media;

namespace ViralForge.Render.Tests;

/// <summary>
/// One file of the media corpus: how ffmpeg makes it, and either null (it must render) or the words the typed error's
/// reason must hold.
/// </summary>
/// <param name="Name">What the file stands for, as failures name it.</param>
/// <param name="FileName">Its file name, extension included (the renderer must not trust it).</param>
/// <param name="Make">Writes the file into the corpus folder (path, runner).</param>
/// <param name="FailsWith">Null when the clip must render; otherwise part of <see cref="UnusableClipException.Reason"/>.</param>
/// <param name="HasOwnAudio">The clip carries sound, which must not reach the video.</param>
/// <param name="MarkerPixels">How wide (in output pixels) the green marker in the middle of the picture must come out, when it has one.</param>
public sealed record CorpusClip(string Name, string FileName, Func<string, FfmpegRunner, Task> Make, string? FailsWith = null, bool HasOwnAudio = false, int? MarkerPixels = null)
{
    public override string ToString() => $"{Name} ({FileName})";
}

/// <summary>
/// The media corpus of issue 13: real-world shapes of video a stock site or a video model hands the renderer, made by
/// ffmpeg once per test run (1-3 s each, small except the 4K one). Every picture shows the same thing as displayed:
/// a red top half over a blue bottom half, so a render that turned, stretched or tone-mapped it wrongly shows it.
/// </summary>
public static class MediaCorpus
{
    /// <summary>The red of the top half (as 8-bit sRGB) and the blue of the bottom half.</summary>
    public const string Red = "0xC02020";

    public const string Blue = "0x2020C0";

    private static readonly Lazy<Task<string>> Folder = new(MakeAllAsync);

    /// <summary>Every clip of the corpus; at least 30.</summary>
    public static IReadOnlyList<CorpusClip> All { get; } =
    [
        Encoded("H.264 landscape 30 fps", "h264-landscape.mp4", 320, 180, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 portrait", "h264-portrait.mp4", 180, 320, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 square", "h264-square.mp4", 240, 240, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        // 4:2:0 needs even sizes, so an odd-sized H.264 is 4:4:4, as some screen recorders write it.
        Encoded("H.264 odd size 1279x721 (4:4:4)", "h264-odd.mp4", 1279, 721, 30, 1, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"]),
        Encoded("H.264 24 fps", "h264-24.mp4", 320, 180, 24, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 25 fps", "h264-25.mp4", 320, 180, 25, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 29.97 fps", "h264-2997.mp4", 320, 180, "30000/1001", 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 50 fps", "h264-50.mp4", 320, 180, 50, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 60 fps", "h264-60.mp4", 320, 180, 60, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        // Frames at uneven intervals (jittered timestamps kept by -fps_mode vfr): r_frame_rate and avg_frame_rate disagree.
        Encoded("H.264 variable frame rate", "h264-vfr.mp4", 320, 180, 30, 2, ["-vf", "setpts='(N/30+0.012*mod(N,3))/TB'", "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 10-bit", "h264-10bit.mp4", 320, 180, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"]),
        Encoded("H.264 full range", "h264-fullrange.mp4", 320, 180, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuvj420p", "-color_range", "pc"]),
        // A standard-definition clip in the bt601 matrix, tagged so: converted to bt709 by zscale.
        Encoded("H.264 bt601 tagged", "h264-bt601.mp4", 320, 180, 30, 2, ["-vf", "scale=out_color_matrix=bt601", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m"]),
        // Shown 320x180 but stored 160x180 with pixels twice as wide as tall. Its green marker, 32x18 as shown, must come
        // out 32 * 640/180 = 114 px wide; framed by its stored shape it would be half that.
        new("H.264 anamorphic (pixels 2:1)", "h264-anamorphic.mp4", (path, runner) => runner.RunAsync(
            [
                .. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"{Picture(320, 180, 25, 2)},{Marker},scale=160:180,setsar=2/1",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", path,
            ],
            CancellationToken.None), MarkerPixels: 114),
        Encoded("H.264 in a .mov", "h264.mov", 320, 180, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 with its own sound", "h264-audio.mp4", 320, 180, 30, 2, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"], withAudio: true),
        Encoded("H.264 shorter than the scene (0.5 s)", "h264-short.mp4", 320, 180, 30, 0.5, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        Encoded("H.264 longer than the scene (3 s)", "h264-long.mp4", 320, 180, 30, 3, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        // The picture starts 0.6 s after the sound, so a file's first packets are all sound: it must not pass for broken.
        new("Matroska whose picture starts after its sound", "late-picture.mkv", async (path, runner) =>
        {
            var plain = path + ".plain.mkv";
            await runner.RunAsync(
                [
                    .. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", Picture(320, 180, 30, 2), "-f", "lavfi", "-i", "sine=d=2.6:sample_rate=48000",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-y", plain,
                ],
                CancellationToken.None);
            await runner.RunAsync(
                [.. FfmpegRunner.CommonArguments, "-itsoffset", "0.6", "-i", plain, "-i", plain, "-map", "0:v", "-map", "1:a", "-c", "copy", "-y", path],
                CancellationToken.None);
            File.Delete(plain);
        }, HasOwnAudio: true),
        Rotated(90),
        Rotated(180),
        Rotated(270),
        Encoded("HEVC 8-bit", "hevc.mp4", 320, 180, 30, 2, ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p", "-tag:v", "hvc1"]),
        Encoded("HEVC 10-bit SDR", "hevc-10bit.mkv", 320, 180, 30, 2, ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le"]),
        Encoded("HEVC 10-bit HDR PQ", "hevc-pq.mp4", 320, 180, 30, 2, ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le", "-color_trc", "smpte2084", "-color_primaries", "bt2020", "-colorspace", "bt2020nc"]),
        Encoded("HEVC 10-bit HDR HLG", "hevc-hlg.mp4", 180, 320, 30, 2, ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le", "-color_trc", "arib-std-b67", "-color_primaries", "bt2020", "-colorspace", "bt2020nc"]),
        Encoded("VP9 with Opus sound", "vp9.webm", 320, 180, 30, 2, ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p", "-c:a", "libopus"], withAudio: true),
        Encoded("VP9 10-bit odd size 333x599", "vp9-10bit.webm", 333, 599, 25, 1, ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p10le"]),
        Encoded("AV1 (libaom) in Matroska", "av1-aom.mkv", 320, 180, 30, 1, ["-c:v", "libaom-av1", "-cpu-used", "8", "-row-mt", "1", "-pix_fmt", "yuv420p"]),
        Encoded("AV1 (SVT) 10-bit in MP4", "av1-svt.mp4", 320, 180, 30, 1, ["-c:v", "libsvtav1", "-preset", "12", "-pix_fmt", "yuv420p10le", "-svtav1-params", "verbosity=0"]),
        Encoded("4K 60 fps", "h264-4k60.mp4", 3840, 2160, 60, 1, ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
        new("A PNG named .mp4 (shown as a still)", "still.mp4", (path, runner) => runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", Picture(320, 180, 30, 1), "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", "-y", path],
            CancellationToken.None)),
        // Header at the front, most of the picture data cut off: the part that is there is looped to fill the scene.
        new("Cut short after a few frames (header first)", "truncated-partial.mp4", (path, runner) => TruncatedAsync(runner, path, faststart: true, keep: 0.5)),
        new("Zero-length file", "empty.mp4", (path, _) => File.WriteAllBytesAsync(path, []), FailsWith: "is empty (0 bytes)"),
        // The index (moov) is written last, so a download cut short has none.
        new("Truncated, moov atom missing", "truncated-no-moov.mp4", (path, runner) => TruncatedAsync(runner, path, faststart: false, keep: 0.6), FailsWith: "is not media ffprobe can read"),
        // The index is intact but the data is gone past the first packet: nothing decodes.
        new("Truncated beyond use (header only)", "truncated-header.mp4", (path, runner) => TruncatedAsync(runner, path, faststart: true, keep: 0.02), FailsWith: "has no picture that decodes"),
        new("A 1x1 video", "one-pixel.mp4", (path, runner) => runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "color=c=red:s=2x2:r=30:d=1,scale=1:1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", "-y", path],
            CancellationToken.None), FailsWith: "is 1x1 px"),
        new("Sound only, named .mp4", "audio-only.mp4", (path, runner) => runner.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-y", path],
            CancellationToken.None), FailsWith: "holds only audio"),
        new("Text named .mp4", "text.mp4", (path, _) => File.WriteAllTextAsync(path, "<html>403 Forbidden</html>"), FailsWith: "is not media ffprobe can read"),
    ];

    /// <summary>The corpus folder of this test run, made on first use (two ffmpeg runs at a time on the two cores).</summary>
    public static Task<string> FolderAsync() => Folder.Value;

    /// <summary>A green box in the middle of the picture, a tenth of its width and height, between the sampled halves.</summary>
    public const string Marker = "drawbox=x=iw*0.45:y=ih*0.45:w=iw*0.1:h=ih*0.1:color=0x20C020:t=fill";

    /// <summary>The lavfi source of the corpus picture as displayed: red top half, blue bottom half.</summary>
    public static string Picture(int width, int height, object framesPerSecond, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"color=c={Red}:s={width}x{height}:r={framesPerSecond}:d={seconds},drawbox=x=0:y=ih/2:w=iw:h=ih/2:color={Blue}:t=fill");

    private static CorpusClip Encoded(string name, string fileName, int width, int height, object framesPerSecond, double seconds, string[] encode, bool withAudio = false) =>
        new(name, fileName, (path, runner) => runner.RunAsync(
            [
                .. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", Picture(width, height, framesPerSecond, seconds),
                .. withAudio ? new[] { "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"sine=frequency=440:d={seconds}"), "-shortest" } : [],
                .. encode, "-y", path,
            ],
            CancellationToken.None), HasOwnAudio: withAudio);

    /// <summary>
    /// A clip whose display matrix turns it by <paramref name="degrees"/> (libavutil's anticlockwise sense, which is what
    /// ffmpeg 5.1's muxer writes for the rotate tag): the frames are stored turned the other way, so only a player that
    /// honours the matrix shows red on top.
    /// </summary>
    private static CorpusClip Rotated(int degrees) =>
        new($"H.264 rotated {degrees} (display matrix)", $"rotated-{degrees}.mp4", async (path, runner) =>
        {
            var stored = degrees switch { 90 => "transpose=clock", 270 => "transpose=cclock", _ => "hflip,vflip" };
            var plain = path + ".plain.mp4";
            // Portrait as displayed, like a phone held upright.
            await runner.RunAsync(
                [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"{Picture(180, 320, 30, 2)},{stored}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", plain],
                CancellationToken.None);
            await runner.RunAsync(
                [.. FfmpegRunner.CommonArguments, "-i", plain, "-c", "copy", "-metadata:s:v:0", $"rotate={degrees}", "-y", path],
                CancellationToken.None);
            File.Delete(plain);
        });

    /// <summary>A 2 s H.264 clip with only the first <paramref name="keep"/> of its bytes, its index first or last.</summary>
    private static async Task TruncatedAsync(FfmpegRunner runner, string path, bool faststart, double keep)
    {
        var whole = path + ".whole.mp4";
        // Moving noise, so the picture data dwarfs the header and a cut lands in it.
        await runner.RunAsync(
            [
                .. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", $"{Picture(320, 180, 30, 2)},noise=alls=60:allf=t",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", .. faststart ? new[] { "-movflags", "+faststart" } : [], "-y", whole,
            ],
            CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(whole);
        await File.WriteAllBytesAsync(path, bytes[..(int)(bytes.Length * keep)]);
        File.Delete(whole);
    }

    private static async Task<string> MakeAllAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "vf-media-corpus", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        var runner = MediaTesting.Runner(MediaTesting.Options(360, 640));
        await Parallel.ForEachAsync(All, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (clip, _) =>
        {
            try
            {
                await clip.Make(Path.Combine(folder, clip.FileName), runner);
            }
            catch (FfmpegException e)
            {
                throw new InvalidOperationException($"Making the corpus file {clip} failed: {e.Message}", e);
            }
        });
        return folder;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
