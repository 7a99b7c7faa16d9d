using System.Globalization;
using ViralForge.Render;
using ViralForge.Testing.Media;

namespace ViralForge.Testing.Providers;

/// <summary>Real audio for a simulated voice vendor to answer with: espeak-ng speaking the text, fitted to a length and encoded as the vendor encodes it.</summary>
public static class VendorAudio
{
    private static readonly FfmpegRunner Ffmpeg = MediaTesting.Runner(MediaTesting.Options(360, 640));

    /// <summary>
    /// <paramref name="text"/> spoken by espeak-ng, padded with silence or cut to exactly <paramref name="seconds"/>, as a
    /// mono 44.1 kHz <paramref name="extension"/> file's bytes (mp3 as ElevenLabs' mp3_44100_128, wav as OpenAI's response_format wav).
    /// </summary>
    public static async Task<byte[]> SpeechAsync(string text, double seconds, string extension)
    {
        using var folder = new TempFolder();
        var spoken = folder.File("spoken.wav");
        var encoded = folder.File($"vendor.{extension}");
        await MediaTesting.MakeSpeechAsync(spoken, text);
        await Ffmpeg.RunAsync(
            [.. FfmpegRunner.CommonArguments, "-i", spoken, "-af", "apad", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-ar", "44100", "-ac", "1", "-y", encoded],
            CancellationToken.None);
        return await File.ReadAllBytesAsync(encoded);
    }
}
