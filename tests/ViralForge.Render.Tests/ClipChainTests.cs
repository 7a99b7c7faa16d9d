using ViralForge.Core.Ports;

namespace ViralForge.Render.Tests;

/// <summary>What the probe reads from ffprobe's JSON, which clips are refused, and the exact chain each kind of clip gets.</summary>
public class ClipChainTests
{
    private const string Fonts = "/usr/share/fonts/truetype/dejavu";

    private static readonly MediaProbe Ordinary = new(5, 1080, 1920, "h264", "High", "yuv420p", null, null, null)
    {
        FormatName = "mov,mp4,m4a,3gp,3g2,mj2",
        FrameRate = 30,
        AverageFrameRate = 30,
        BitDepth = 8,
        FirstFramesDecoded = 8,
    };

    [Fact]
    public void The_probe_reads_rotation_rates_depth_colour_and_decoded_frames_from_ffprobes_json()
    {
        const string Json = """
            {
              "streams": [
                { "codec_type": "video", "codec_name": "hevc", "profile": "Main 10", "width": 3840, "height": 2160, "pix_fmt": "yuv420p10le",
                  "r_frame_rate": "60/1", "avg_frame_rate": "5994/100", "color_range": "tv", "color_space": "bt2020nc", "color_transfer": "smpte2084",
                  "color_primaries": "bt2020", "nb_read_frames": "6", "disposition": { "attached_pic": 0 },
                  "side_data_list": [ { "side_data_type": "Display Matrix", "rotation": -90 } ] },
                { "codec_type": "audio", "codec_name": "aac", "sample_rate": "48000", "channels": 2, "nb_read_frames": "2" }
              ],
              "format": { "format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "2.002000" }
            }
            """;

        var probe = MediaProbe.FromFfprobeJson(Json);

        Assert.Equal((3840, 2160, "hevc", "yuv420p10le"), (probe.Width, probe.Height, probe.VideoCodec, probe.PixelFormat));
        Assert.Equal(270, probe.Rotation);
        Assert.Equal((2160, 3840), probe.DisplaySize);
        Assert.Equal((60, 59.94), (probe.FrameRate, probe.AverageFrameRate));
        Assert.False(probe.IsVariableFrameRate);
        Assert.Equal(10, probe.BitDepth);
        Assert.True(probe.IsHdr);
        Assert.Equal(("bt2020nc", "bt2020", "tv"), (probe.ColorSpace, probe.ColorPrimaries, probe.ColorRange));
        Assert.True(probe.HasAudio);
        Assert.Equal((48000, 2), (probe.AudioSampleRate!.Value, probe.AudioChannels!.Value));
        Assert.Equal(6, probe.FirstFramesDecoded);
        Assert.Equal(2.002, probe.DurationSeconds);
        Assert.False(probe.IsStillImage);
    }

    [Fact]
    public void The_legacy_rotate_tag_counts_clockwise_and_comes_out_in_the_display_matrix_sense()
    {
        var probe = MediaProbe.FromFfprobeJson("""{ "streams": [ { "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080, "tags": { "rotate": "90" } } ], "format": { "duration": "1" } }""");

        Assert.Equal(270, probe.Rotation);
        Assert.Equal((1080, 1920), probe.DisplaySize);
    }

    [Fact]
    public void A_header_without_picture_data_decodes_no_frames_and_is_refused()
    {
        var probe = MediaProbe.FromFfprobeJson("""
            { "streams": [ { "codec_type": "video", "codec_name": "h264", "width": 320, "height": 180, "r_frame_rate": "30/1", "avg_frame_rate": "30/1" } ],
              "format": { "format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "2.000000" } }
            """);

        Assert.Equal(2, probe.DurationSeconds);
        Assert.Equal(0, probe.FirstFramesDecoded);
        Assert.Equal("has no picture that decodes (the file is cut short or corrupt)", ClipCheck.Problem(probe));
    }

    [Fact]
    public void Uneven_rates_are_variable_and_unknown_colour_tags_are_untagged()
    {
        var probe = MediaProbe.FromFfprobeJson("""
            { "streams": [ { "codec_type": "video", "codec_name": "h264", "width": 320, "height": 180, "pix_fmt": "yuv420p", "r_frame_rate": "60/1", "avg_frame_rate": "30/1",
                             "color_transfer": "unknown", "color_space": "unknown" } ],
              "format": { "duration": "1" } }
            """);

        Assert.True(probe.IsVariableFrameRate);
        Assert.Null(probe.ColorTransfer);
        Assert.Null(probe.ColorSpace);
        Assert.False(probe.IsHdr);
        Assert.Equal(8, probe.BitDepth);
    }

    [Fact]
    public void A_music_files_cover_picture_is_not_its_video_and_a_png_pipe_is_a_still()
    {
        var cover = MediaProbe.FromFfprobeJson("""
            { "streams": [ { "codec_type": "audio", "codec_name": "mp3" }, { "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600, "disposition": { "attached_pic": 1 } } ],
              "format": { "duration": "3" } }
            """);
        var png = MediaProbe.FromFfprobeJson("""{ "streams": [ { "codec_type": "video", "codec_name": "png", "width": 320, "height": 180, "nb_read_frames": "1" } ], "format": { "format_name": "png_pipe" } }""");

        Assert.False(cover.HasVideo);
        Assert.Equal("holds only audio, no video stream", ClipCheck.Problem(cover));
        Assert.True(png.IsStillImage);
        Assert.Null(ClipCheck.Problem(png));
    }

    [Theory]
    [InlineData(1, 1, 30, "is 1x1 px, smaller than the 16x16 px a clip needs to be scaled to the frame")]
    [InlineData(15, 1080, 30, "is 15x1080 px, smaller than the 16x16 px a clip needs to be scaled to the frame")]
    [InlineData(320, 180, 0, "has no picture that decodes (the file is cut short or corrupt)")]
    [InlineData(16, 16, 3, null)]
    [InlineData(3840, 2160, 3, null)]
    public void A_clip_is_refused_only_when_too_small_or_nothing_decodes(int width, int height, int framesDecoded, string? problem)
    {
        var probe = Ordinary with { Width = width, Height = height, FirstFramesDecoded = framesDecoded };

        Assert.Equal(problem, ClipCheck.Problem(probe));
    }

    [Fact]
    public void The_complaint_is_ffprobes_last_words_without_the_path_and_prefixes()
    {
        const string Tail = "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55ef33e4c1c0] moov atom not found\n/tmp/clips/beat-1.mp4: Invalid data found when processing input";

        Assert.Equal("moov atom not found; Invalid data found when processing input", ClipCheck.Complaint(Tail, "/tmp/clips/beat-1.mp4"));
    }

    [Fact]
    public void The_typed_error_is_one_line_naming_the_asset_the_file_and_the_reason()
    {
        var error = new UnusableClipException("beat-2", "clip.mp4", "is empty (0 bytes)");

        Assert.Equal("The clip for assets.beat-2 ('clip.mp4') cannot be rendered: is empty (0 bytes); replace the clip (download it again or choose another).", error.Message);
        Assert.Equal(["assets.beat-2: 'clip.mp4' is empty (0 bytes)."], error.Problems);
        Assert.IsAssignableFrom<RenderPlanException>(error);
    }

    [Theory]
    [InlineData(5.0, 4.0, new[] { "-t", "4" })]
    [InlineData(4.0, 4.0, new[] { "-t", "4" })]
    [InlineData(1.5, 4.0, new[] { "-stream_loop", "2", "-t", "4" })]
    [InlineData(0.5, 1.5, new[] { "-stream_loop", "2", "-t", "1.5" })]
    public void A_clip_is_cut_at_the_scene_and_looped_a_finite_number_of_times_when_shorter(double clipSeconds, double sceneSeconds, string[] expected)
    {
        var probe = Ordinary with { DurationSeconds = clipSeconds };

        Assert.Equal(expected, RenderCommand.ClipInputOptions(probe, sceneSeconds));
    }

    [Fact]
    public void An_ordinary_clip_stays_on_the_fast_path_without_zscale()
    {
        var graph = Graph(Ordinary, out var arguments);

        Assert.StartsWith(
            "[0:v]scale=360:640:force_original_aspect_ratio=increase,crop=360:640,setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=2,trim=end_frame=60,setpts=PTS-STARTPTS[v0];",
            graph);
        Assert.DoesNotContain("zscale", graph, StringComparison.Ordinal);
        Assert.Equal(["-t", "2"], InputOptions(arguments));
        // The output says what it is: bt709 throughout, limited range.
        var tags = string.Join(' ', RenderCommand.Bt709Tags);
        Assert.Contains(tags, string.Join(' ', arguments), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smpte2084")]
    [InlineData("arib-std-b67")]
    public void An_hdr_clip_is_tone_mapped_to_sdr_bt709_after_it_is_framed(string transfer)
    {
        var hdr = Ordinary with { PixelFormat = "yuv420p10le", BitDepth = 10, ColorTransfer = transfer, ColorPrimaries = "bt2020", ColorSpace = "bt2020nc", ColorRange = "tv" };

        var graph = Graph(hdr, out _);

        Assert.StartsWith(
            "[0:v]scale=360:640:force_original_aspect_ratio=increase,crop=360:640,setsar=1,fps=30,"
            + $"zscale=tin={transfer}:min=bt2020nc:pin=bt2020:rin=tv:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p,"
            + "tpad=",
            graph);
    }

    [Fact]
    public void A_bt601_clip_is_converted_to_the_bt709_matrix_by_zscale_and_a_full_range_one_is_brought_to_limited()
    {
        var sd = Ordinary with { ColorSpace = "smpte170m", ColorPrimaries = "smpte170m", ColorTransfer = "smpte170m" };
        var fullRange = Ordinary with { ColorRange = "pc" };

        Assert.Contains(
            "setsar=1,fps=30,zscale=tin=smpte170m:min=smpte170m:pin=smpte170m:rin=tv:t=bt709:m=bt709:p=bt709:r=tv,format=yuv420p,tpad=",
            Graph(sd, out _),
            StringComparison.Ordinal);
        Assert.StartsWith("[0:v]scale=360:640:force_original_aspect_ratio=increase:out_range=tv,crop=360:640,", Graph(fullRange, out _), StringComparison.Ordinal);
        // Untagged or bt709 10-bit SDR needs no zscale: format=yuv420p brings it to 8 bits.
        Assert.DoesNotContain("zscale", Graph(Ordinary with { PixelFormat = "yuv420p10le", BitDepth = 10 }, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void A_clip_faster_than_the_output_drops_frames_before_they_are_scaled()
    {
        var graph = Graph(Ordinary with { FrameRate = 60, AverageFrameRate = 60 }, out _);

        Assert.StartsWith("[0:v]fps=30,scale=360:640:force_original_aspect_ratio=increase,crop=360:640,setsar=1,format=yuv420p,tpad=", graph, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_square_pixels_are_widened_to_square_before_the_clip_is_framed()
    {
        var probe = MediaProbe.FromFfprobeJson("""
            { "streams": [ { "codec_type": "video", "codec_name": "mpeg2video", "width": 720, "height": 576, "sample_aspect_ratio": "64:45", "r_frame_rate": "25/1", "avg_frame_rate": "25/1", "nb_read_frames": "3" } ],
              "format": { "duration": "2" } }
            """);
        var square = MediaProbe.FromFfprobeJson("""{ "streams": [ { "codec_type": "video", "codec_name": "h264", "width": 320, "height": 180, "sample_aspect_ratio": "0:1" } ], "format": { "duration": "2" } }""");

        Assert.Equal(64.0 / 45, probe.SampleAspectRatio, 6);
        Assert.Equal(1, square.SampleAspectRatio);
        Assert.StartsWith("[0:v]scale=trunc(iw*sar/2)*2:ih,setsar=1,scale=360:640:force_original_aspect_ratio=increase,crop=360:640,", Graph(probe, out _), StringComparison.Ordinal);
        Assert.DoesNotContain("sar/2", Graph(Ordinary, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void A_still_image_named_like_a_video_is_opened_by_its_content_and_shown_as_a_still()
    {
        var still = new MediaProbe(0, 320, 180, "png", null, "rgb24", null, null, null) { FormatName = "png_pipe", FirstFramesDecoded = 1 };

        var graph = Graph(still, out var arguments);

        Assert.Empty(InputOptions(arguments));
        Assert.StartsWith("[0:v]scale=360:640:force_original_aspect_ratio=increase:out_color_matrix=bt709:out_range=tv,crop=360:640,setsar=1,format=yuv420p,loop=loop=59:size=1,", graph, StringComparison.Ordinal);
    }

    /// <summary>The filtergraph (and all arguments) of a one-scene, 2 s, 360x640 silent plan showing a clip with this probe.</summary>
    private static string Graph(MediaProbe probe, out IReadOnlyList<string> arguments)
    {
        var plan = new RenderPlan
        {
            Assets = new Dictionary<string, PlanAsset> { ["beat-1"] = new(PlanAssetKind.Video, "/media/in/beat-1.mp4") },
            Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "beat-1" }, Duration = 2 }],
            Output = OutputProfile.YouTubeShorts with { Width = 360, Height = 640 },
        };
        arguments = RenderCommand.RenderArguments(plan, Levelling.None, new RenderFiles(null, null, "/o/v.mp4", null, null), Fonts, "veryfast", 21, new Dictionary<string, MediaProbe> { ["beat-1"] = probe });
        return arguments[arguments.ToList().IndexOf("-filter_complex") + 1];
    }

    /// <summary>The options between the clip's protocol whitelist and its -i.</summary>
    private static IReadOnlyList<string> InputOptions(IReadOnlyList<string> arguments)
    {
        var list = arguments.ToList();
        var whitelist = list.IndexOf("-protocol_whitelist");
        var input = list.IndexOf("-i");
        return list.GetRange(whitelist + 2, input - whitelist - 2);
    }
}
