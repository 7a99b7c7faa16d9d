using System.Globalization;
using System.Text.Json;

namespace ViralForge.Render;

/// <summary>The loudness every video is brought to: what YouTube and TikTok play at, with headroom for the AAC encoder.</summary>
public static class LoudnessTarget
{
    /// <summary>Integrated loudness, LUFS.</summary>
    public const double Integrated = -14;

    /// <summary>
    /// True-peak ceiling given to loudnorm, dBTP. The deliverable's ceiling is -1 dBTP; AAC encoding can raise
    /// inter-sample peaks by a few tenths of a dB, so the mix is held half a dB lower.
    /// </summary>
    public const double TruePeak = -1.5;

    /// <summary>The loudness range loudnorm may leave alone; the widest it accepts, since linear mode never compresses.</summary>
    public const double LoudnessRange = 50;

    /// <summary>Where the limiter holds sample peaks when the mix is too peaky for a plain gain (dBFS): 1.5 dB under the true-peak ceiling.</summary>
    public const double LimiterCeiling = TruePeak - 1.5;

    /// <summary>Below this loudnorm reports silence (its gate); nothing can be normalised.</summary>
    public const double Silence = -70;
}

/// <summary>
/// Measures a finished file's audio with ffmpeg's EBU R128 scanner (ebur128, not loudnorm), so a check of the
/// renderer's loudness does not rely on the filter that set it.
/// </summary>
public static class Ebur128
{
    /// <summary>Integrated loudness (LUFS) and true peak (dBTP) of the file's first audio stream.</summary>
    public static async Task<(double IntegratedLufs, double TruePeakDb)> MeasureAsync(FfmpegRunner runner, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var run = await runner.RunAsync(
            [.. FfmpegRunner.ReportingArguments, "-protocol_whitelist", "file", "-i", Path.GetFullPath(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"],
            cancellationToken).ConfigureAwait(false);
        var summary = run.StandardErrorTail[run.StandardErrorTail.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return (SummaryValue(summary, "I:"), SummaryValue(summary, "Peak:"));
    }

    private static double SummaryValue(string summary, string label)
    {
        var at = summary.IndexOf(label, StringComparison.Ordinal) + label.Length;
        return double.Parse(summary[at..].TrimStart().Split(' ', 2)[0], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

/// <summary>What loudnorm printed (its JSON block): the input's loudness, true peak, range and gate, and which mode it used.</summary>
public sealed record LoudnessMeasurement(double InputIntegrated, double InputTruePeak, double InputRange, double InputThreshold, double TargetOffset, string NormalizationType)
{
    /// <summary>
    /// Whether loudnorm, given these measurements, keeps to linear mode: ffmpeg switches to dynamic mode unless the
    /// gain leaves the true peak under the ceiling and the range was measured (af_loudnorm.c, init).
    /// </summary>
    public bool AllowsLinear =>
        InputIntegrated > LoudnessTarget.Silence
        && InputThreshold > LoudnessTarget.Silence
        && InputRange > 0
        && InputTruePeak + (LoudnessTarget.Integrated - InputIntegrated) <= LoudnessTarget.TruePeak
        && InputRange <= LoudnessTarget.LoudnessRange;

    /// <summary>The gain in dB that brings this input to the target.</summary>
    public double GainDb => LoudnessTarget.Integrated - InputIntegrated;

    public bool IsSilent => !(InputIntegrated > LoudnessTarget.Silence);

    /// <summary>
    /// The last loudnorm JSON block in ffmpeg's stderr (loudnorm prints it at info level when the graph closes);
    /// null when there is none. "-inf" (silence) reads as negative infinity.
    /// </summary>
    public static LoudnessMeasurement? Parse(string standardError)
    {
        ArgumentNullException.ThrowIfNull(standardError);
        var key = standardError.LastIndexOf("\"input_i\"", StringComparison.Ordinal);
        if (key < 0)
        {
            return null;
        }

        var open = standardError.LastIndexOf('{', key);
        var close = standardError.IndexOf('}', key);
        if (open < 0 || close < 0)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(standardError.AsMemory(open, close - open + 1));
            var root = json.RootElement;
            return new LoudnessMeasurement(
                Number(root, "input_i"),
                Number(root, "input_tp"),
                Number(root, "input_lra"),
                Number(root, "input_thresh"),
                Number(root, "target_offset"),
                root.TryGetProperty("normalization_type", out var type) ? type.GetString() ?? "" : "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return double.NaN;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return text switch
        {
            "-inf" => double.NegativeInfinity,
            "inf" => double.PositiveInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN,
        };
    }
}

/// <summary>
/// How the mix is brought to the target: an optional gain and peak limiter ahead of loudnorm (for speech whose peaks
/// sit too far above its loudness for a plain gain), then loudnorm in linear mode with the measured values, or a
/// plain volume gain when the clip is too short for loudnorm to measure a range (loudnorm would go dynamic).
/// </summary>
public sealed record Levelling(double PreGainDb, bool Limit, LoudnessMeasurement? Measured)
{
    /// <summary>No processing: what the first measurement pass hears.</summary>
    public static Levelling None { get; } = new(0, false, null);

    /// <summary>The filters after the mix, ending in 48 kHz (loudnorm works at 192 kHz internally and outputs that).</summary>
    public string Filters(bool measureOnly)
    {
        var chain = new List<string>();
        if (PreGainDb != 0)
        {
            chain.Add($"volume={FilterGraph.Number(PreGainDb)}dB");
        }

        if (Limit)
        {
            var ceiling = Math.Pow(10, LoudnessTarget.LimiterCeiling / 20);
            // level=0: alimiter otherwise re-normalises its output to full scale, undoing the gain staging.
            chain.Add($"alimiter=limit={FilterGraph.Number(ceiling)}:attack=5:release=50:level=0");
        }

        var target = $"I={FilterGraph.Number(LoudnessTarget.Integrated)}:TP={FilterGraph.Number(LoudnessTarget.TruePeak)}:LRA={FilterGraph.Number(LoudnessTarget.LoudnessRange)}";
        if (measureOnly)
        {
            chain.Add($"loudnorm={target}:print_format=json");
        }
        else if (Measured is { IsSilent: false } m && m.AllowsLinear)
        {
            chain.Add($"loudnorm={target}:measured_I={FilterGraph.Number(m.InputIntegrated)}:measured_TP={FilterGraph.Number(m.InputTruePeak)}"
                + $":measured_LRA={FilterGraph.Number(m.InputRange)}:measured_thresh={FilterGraph.Number(m.InputThreshold)}"
                + $":offset={FilterGraph.Number(m.TargetOffset)}:linear=true:print_format=json");
        }
        else if (Measured is { IsSilent: false } gainOnly)
        {
            chain.Add($"volume={FilterGraph.Number(gainOnly.GainDb)}dB");
        }

        // loudnorm leaves its output's channel layout open, which the encoders cannot pick from; say it outright.
        chain.Add("aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo");
        return string.Join(',', chain);
    }

    /// <summary>Whether the main pass runs loudnorm, whose report must then say linear.</summary>
    public bool UsesLoudnorm => Measured is { IsSilent: false, AllowsLinear: true };
}
