using System.Buffers.Binary;
using System.Globalization;
using ViralForge.Core;
using ViralForge.Render;

namespace ViralForge.Adapters.Voices;

/// <summary>
/// Turns a paid voice's parts (mp3, wav...) into one mono 16-bit WAV: each part decoded to PCM with ffmpeg, a few
/// milliseconds faded in and out at every joint, and the samples laid end to end. Decoding first, rather than joining
/// the compressed files, keeps each part's exact length, which is what its word timings are offset by; the fades keep
/// a joint from clicking where two parts' waveforms do not meet at zero.
/// </summary>
public sealed class NarrationAudio(FfmpegRunner ffmpeg)
{
    public const int SampleRate = 44_100;

    /// <summary>How long the fade at each side of a joint lasts.</summary>
    public const double JointFadeSeconds = 0.005;

    /// <summary>Joins the parts into <paramref name="outputPath"/>; answers each part's length in seconds, in order.</summary>
    public async Task<IReadOnlyList<double>> JoinAsync(IReadOnlyList<string> partPaths, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partPaths);
        var samples = new List<short[]>();
        foreach (var part in partPaths)
        {
            samples.Add(await DecodeAsync(part, cancellationToken));
        }
        var fade = (int)(SampleRate * JointFadeSeconds);
        for (var i = 0; i < samples.Count; i++)
        {
            if (i > 0)
            {
                Fade(samples[i], fade, fadeIn: true);
            }
            if (i < samples.Count - 1)
            {
                Fade(samples[i], fade, fadeIn: false);
            }
        }
        var total = samples.Sum(s => s.Length);
        var bytes = new byte[44 + (total * 2)];
        WriteHeader(bytes, total);
        var at = 44;
        foreach (var part in samples)
        {
            foreach (var sample in part)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(at), sample);
                at += 2;
            }
        }
        await AtomicFile.WriteAllBytesAsync(Path.GetFullPath(outputPath), bytes, cancellationToken);
        return [.. samples.Select(s => (double)s.Length / SampleRate)];
    }

    private async Task<short[]> DecodeAsync(string path, CancellationToken cancellationToken)
    {
        var raw = path + ".pcm";
        try
        {
            await ffmpeg.RunAsync([.. FfmpegRunner.CommonArguments, "-y", "-i", path, "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-f", "s16le", "-acodec", "pcm_s16le", raw], cancellationToken);
        }
        catch (FfmpegException e)
        {
            // The vendor answered 200 with something that is not audio: another request may answer properly.
            throw new InvalidDataException($"the voice's audio could not be decoded: {e.Message}", e);
        }
        var bytes = await File.ReadAllBytesAsync(raw, cancellationToken);
        File.Delete(raw);
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }
        return samples;
    }

    private static void Fade(short[] samples, int length, bool fadeIn)
    {
        length = Math.Min(length, samples.Length);
        for (var i = 0; i < length; i++)
        {
            var gain = (double)i / length;
            var index = fadeIn ? i : samples.Length - 1 - i;
            samples[index] = (short)(samples[index] * gain);
        }
    }

    private static void WriteHeader(byte[] bytes, int sampleCount)
    {
        var data = sampleCount * 2;
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 36 + data);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), SampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 16);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), data);
    }
}
