namespace ViralForge.Render.Tests;

public class LoudnessTests
{
    private const string Report = """
        [Parsed_loudnorm_9 @ 0x55887e21c440]
        {
        	"input_i" : "-21.29",
        	"input_tp" : "-4.34",
        	"input_lra" : "2.20",
        	"input_thresh" : "-31.34",
        	"output_i" : "-15.08",
        	"output_tp" : "-1.50",
        	"output_lra" : "1.40",
        	"output_thresh" : "-25.11",
        	"normalization_type" : "dynamic",
        	"target_offset" : "1.08"
        }
        size=N/A time=00:00:20.00 bitrate=N/A speed= 122x
        """;

    [Fact]
    public void Loudnorms_report_is_read_from_stderr()
    {
        var measured = LoudnessMeasurement.Parse(Report)!;

        Assert.Equal(new LoudnessMeasurement(-21.29, -4.34, 2.2, -31.34, 1.08, "dynamic"), measured);
        Assert.Equal(7.29, measured.GainDb, 3);
    }

    [Fact]
    public void Speech_whose_peaks_are_17_dB_above_its_loudness_cannot_be_raised_linearly() =>
        // -4.34 dBTP + 7.29 dB of gain is +2.95 dBTP: far over the ceiling, exactly why ffmpeg went dynamic above.
        Assert.False(LoudnessMeasurement.Parse(Report)!.AllowsLinear);

    [Theory]
    [InlineData(-15.0, -3.0, 4.0, -25.0, true)]
    [InlineData(-15.0, -2.0, 4.0, -25.0, false)] // -2 + 1 = -1 dBTP, over the -1.5 ceiling
    [InlineData(-15.0, -3.0, 0.0, -25.0, false)] // no range measured (too short): loudnorm would go dynamic
    [InlineData(-80.0, -60.0, 1.0, -70.0, false)] // silence
    public void Linear_is_allowed_only_where_ffmpeg_keeps_it(double i, double tp, double lra, double threshold, bool linear) =>
        Assert.Equal(linear, new LoudnessMeasurement(i, tp, lra, threshold, 0, "").AllowsLinear);

    [Fact]
    public void Silence_reads_as_negative_infinity_and_no_report_is_null()
    {
        var silent = LoudnessMeasurement.Parse("""{ "input_i" : "-inf", "input_tp" : "-inf", "input_lra" : "0.00", "input_thresh" : "-70.00", "target_offset" : "inf", "normalization_type" : "dynamic" }""")!;

        Assert.True(silent.IsSilent);
        Assert.Null(LoudnessMeasurement.Parse("Conversion failed!"));
    }

    [Fact]
    public void A_clip_too_short_for_a_range_gets_a_plain_gain_instead_of_loudnorm()
    {
        var levelling = new Levelling(0, false, new LoudnessMeasurement(-20, -8, 0, -30, 0, "dynamic"));

        Assert.Equal("volume=6dB,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo", levelling.Filters(measureOnly: false));
        Assert.False(levelling.UsesLoudnorm);
    }
}

public class LoudnessAgainstFfmpegTests
{
    /// <summary>
    /// The renderer refuses to render when loudnorm would leave linear mode; this checks that its prediction is ffmpeg's
    /// own decision, by giving loudnorm measured values on either side of the line and reading what mode it reports.
    /// The input is 8 s: under 3 s (its dynamic window) loudnorm always applies a linear gain, whatever it was told.
    /// </summary>
    [Theory]
    [InlineData(-20.0, -8.0, 5.0, -30.0)]  // gain 6 dB, peak lands at -2 dBTP: linear
    [InlineData(-20.0, -4.0, 5.0, -30.0)]  // peak would land at +2 dBTP: dynamic
    [InlineData(-20.0, -8.0, 0.0, -30.0)]  // no measured range: dynamic
    public async Task The_linear_prediction_matches_what_loudnorm_does(double i, double tp, double lra, double threshold)
    {
        var runner = Testing.Media.MediaTesting.Runner(Testing.Media.MediaTesting.Options(270, 480));
        var predicted = new LoudnessMeasurement(i, tp, lra, threshold, 0, "");
        var filter = $"loudnorm=I={FilterGraph.Number(LoudnessTarget.Integrated)}:TP={FilterGraph.Number(LoudnessTarget.TruePeak)}:LRA={FilterGraph.Number(LoudnessTarget.LoudnessRange)}"
            + $":measured_I={FilterGraph.Number(i)}:measured_TP={FilterGraph.Number(tp)}:measured_LRA={FilterGraph.Number(lra)}:measured_thresh={FilterGraph.Number(threshold)}:linear=true:print_format=json";

        var run = await runner.RunAsync(
            [.. FfmpegRunner.ReportingArguments, "-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-af", filter, "-f", "null", "-"],
            CancellationToken.None);

        var reported = LoudnessMeasurement.Parse(run.StandardErrorTail)!;
        Assert.Equal(predicted.AllowsLinear ? "linear" : "dynamic", reported.NormalizationType);
    }
}
