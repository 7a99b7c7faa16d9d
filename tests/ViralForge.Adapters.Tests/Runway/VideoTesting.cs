using ViralForge.Adapters.Tests.Voices;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing.Media;

namespace ViralForge.Adapters.Tests.Runway;

/// <summary>What the AI video generator tests share: a real small MP4 to serve as the vendor's clip, and the work of one beat.</summary>
public static class VideoTesting
{
    private static readonly Lazy<Task<byte[]>> Clip = new(async () =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"generated-{Guid.NewGuid():N}.mp4");
        await MediaTesting.MakeClipAsync(VoiceTesting.Ffmpeg, path, 72, 128, 1, "teal");
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        return bytes;
    });

    /// <summary>A 1 s 72x128 H.264 MP4 made by ffmpeg, as a video model's output.</summary>
    public static Task<byte[]> ClipAsync() => Clip.Value;

    /// <summary>The paid work of the hook beat of a new job.</summary>
    public static PaidWork Work() => new(Guid.NewGuid(), StageName.Visuals, 1, "ai-beat-1");

    /// <summary>The file starts with an MP4 ftyp box, so it is the clip and not an error page.</summary>
    public static bool IsMp4(string path) =>
        File.Exists(path) && File.ReadAllBytes(path) is { Length: > 12 } bytes && bytes.AsSpan(4, 4).SequenceEqual("ftyp"u8);
}
