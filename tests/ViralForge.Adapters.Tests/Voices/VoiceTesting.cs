using System.Collections.Concurrent;
using System.Globalization;
using ViralForge.Adapters.Voices;
using ViralForge.Core.Ports;
using ViralForge.Render;
using ViralForge.Testing.Media;

namespace ViralForge.Adapters.Tests.Voices;

/// <summary>What the paid voice tests share: audio to answer with, an HttpClient factory, and a ledger in memory.</summary>
public static class VoiceTesting
{
    public static FfmpegRunner Ffmpeg { get; } = MediaTesting.Runner(MediaTesting.Options(360, 640));

    public static NarrationAudio Audio { get; } = new(Ffmpeg);

    /// <summary>A tone of <paramref name="seconds"/> encoded as <paramref name="extension"/> (mp3 or wav), as a vendor answers audio.</summary>
    public static async Task<byte[]> ToneAsync(double seconds, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tone-{Guid.NewGuid():N}.{extension}");
        await Ffmpeg.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"sine=frequency=220:sample_rate=44100:duration={seconds}"), "-ac", "1", "-y", path],
            CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        return bytes;
    }

    /// <summary>The length of a WAV from its header and size (16-bit mono at <see cref="NarrationAudio.SampleRate"/>).</summary>
    public static double WavSeconds(string path) => (new FileInfo(path).Length - 44) / 2.0 / NarrationAudio.SampleRate;
}

/// <summary>One HttpClient per name, each a new one (the providers set their base address and timeout).</summary>
public sealed class TestHttpClients : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new();
}

