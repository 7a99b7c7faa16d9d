using ViralForge.Core.Ports;

namespace ViralForge.Render.Tests;

public class RenderCommandTests
{
    private const string Fonts = "/usr/share/fonts/truetype/dejavu";

    private static readonly RenderFiles AllOutputs = new(
        "/media/work/captions.ass", "/media/work/overlays.ass", "/media/out/.video.partial.mp4", "/media/out/.thumb.partial.jpg", "/media/out/.preview.partial.mp4");

    /// <summary>A clip, a zooming photo that fades in, a gradient after a cut; captions, a text and a logo overlay; narration and a ducked bed.</summary>
    private static readonly RenderPlan Representative = new()
    {
        Assets = new Dictionary<string, PlanAsset>
        {
            ["clip"] = new(PlanAssetKind.Video, "/media/in/clip.mp4"),
            ["photo"] = new(PlanAssetKind.Image, "/media/in/photo.jpg"),
            ["logo"] = new(PlanAssetKind.Image, "/media/in/logo.png"),
            ["voice"] = new(PlanAssetKind.Audio, "/media/in/voice.wav"),
            ["bed"] = new(PlanAssetKind.Audio, "/media/in/bed.mp3"),
        },
        Scenes =
        [
            new PlanScene { Visual = new PlanVisual { Asset = "clip" }, Duration = 4 },
            new PlanScene { Visual = new PlanVisual { Asset = "photo" }, Duration = 3, Motion = SceneMotion.ZoomIn, Transition = 0.5 },
            new PlanScene { Visual = new PlanVisual { Gradient = ["#102030", "#405060"] }, Duration = 2 },
        ],
        Captions = new PlanCaptions([new WordTiming("Hi", 0, 0.5)]),
        Overlays = [new PlanOverlay { Text = "@vf" }, new PlanOverlay { Asset = "logo", Position = OverlayPosition.TopRight, Width = 0.15, Opacity = 0.8 }],
        Audio = new PlanAudio { Narration = "voice", Music = new PlanMusic("bed", 0.3) },
    };

    private static readonly LoudnessMeasurement Measured = new(-15.2, -3.0, 4.1, -25.3, 0.2, "linear");

    [Fact]
    public void The_representative_plan_becomes_exactly_one_run_with_one_filtergraph_and_three_outputs()
    {
        var arguments = RenderCommand.RenderArguments(Representative, new Levelling(2.5, true, Measured), AllOutputs, Fonts, "ultrafast", 21);

        string[] graph =
        [
            // The clip fills the frame, is cut to 120 frames, and holds its last frame if it runs short.
            "[0:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=4,trim=end_frame=120,setpts=PTS-STARTPTS[v0]",
            // The photo is scaled once to 115%, repeated 90 times, and zoomed in by zoompan.
            "[1:v]scale=1242:2208:force_original_aspect_ratio=increase:out_color_matrix=bt709:out_range=tv,crop=1242:2208,setsar=1,format=yuv420p,loop=loop=89:size=1,setpts=N/(30*TB),"
                + "zoompan=z=1+0.15*on/89:x=iw/2-(iw/zoom/2):y=ih/2-(ih/zoom/2):d=1:s=1080x1920:fps=30,fps=30,setsar=1[v1]",
            "gradients=s=1080x1920:c0=0x102030:c1=0x405060:speed=0.008:r=30:d=2,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setsar=1[v2]",
            // The photo fades in over the clip's last half second: only those 15 frames of each go through xfade (which
            // converts what it blends out of yuv420p); the bodies and the gradient, a cut, are joined by one concat.
            "[v0]split=2[b0s][t0s]",
            "[b0s]trim=start_frame=0:end_frame=105,setpts=PTS-STARTPTS[b0]",
            "[t0s]trim=start_frame=105:end_frame=120,setpts=PTS-STARTPTS[t0]",
            "[v1]split=2[h1s][b1s]",
            "[h1s]trim=start_frame=0:end_frame=15,setpts=PTS-STARTPTS[h1]",
            "[b1s]trim=start_frame=15:end_frame=90,setpts=PTS-STARTPTS[b1]",
            "[t0][h1]xfade=transition=fade:duration=0.5:offset=0,format=yuv420p[f1]",
            "[b0][f1][b1][v2]concat=n=4:v=1:a=0[joined]",
            "[joined]ass=filename=/media/work/captions.ass:fontsdir=/usr/share/fonts/truetype/dejavu[captioned]",
            "[captioned]ass=filename=/media/work/overlays.ass:fontsdir=/usr/share/fonts/truetype/dejavu[titled]",
            "[2:v]scale=162:-2,format=rgba,colorchannelmixer=aa=0.8,scale=out_color_matrix=bt709:out_range=tv,format=yuva420p[logo1]",
            // The logo sits in the safe area's top-right corner: 15% in from the right, 10% down.
            "[titled][logo1]overlay=x=W-w-162:y=192:eof_action=repeat[o1]",
            "[3:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_dur=8.5,atrim=duration=8.5,asplit=2[voice][key]",
            "[4:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=0.3,apad=whole_dur=8.5,atrim=duration=8.5,afade=t=in:d=0.5,afade=t=out:st=7:d=1.5[bed]",
            "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[ducked]",
            "[voice][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix]",
            "[mix]volume=2.5dB,alimiter=limit=0.708:attack=5:release=50:level=0,"
                + "loudnorm=I=-14:TP=-1.5:LRA=50:measured_I=-15.2:measured_TP=-3:measured_LRA=4.1:measured_thresh=-25.3:offset=0.2:linear=true:print_format=json,"
                + "aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,asplit=2[aout][apreviewfull]",
            "[apreviewfull]atrim=duration=8[apreview]",
            "[o1]format=yuv420p,split=3[vout][vthumb][vpreview]",
            "[vthumb]trim=start_frame=45:end_frame=46,scale=540:960:out_range=full,format=yuvj420p,setsar=1[thumb]",
            "[vpreview]trim=end_frame=240,scale=360:640:flags=fast_bilinear,setsar=1[preview]",
        ];
        string[] expected =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
            "-protocol_whitelist", "file", "-stream_loop", "-1", "-t", "4", "-i", "/media/in/clip.mp4",
            "-protocol_whitelist", "file", "-f", "image2", "-pattern_type", "none", "-i", "/media/in/photo.jpg",
            "-protocol_whitelist", "file", "-f", "image2", "-pattern_type", "none", "-i", "/media/in/logo.png",
            "-protocol_whitelist", "file", "-i", "/media/in/voice.wav",
            "-protocol_whitelist", "file", "-stream_loop", "-1", "-t", "8.5", "-i", "/media/in/bed.mp3",
            "-filter_complex", string.Join(';', graph),
            "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-profile:v", "high", "-preset", "ultrafast", "-x264-params", "cabac=1:8x8dct=1", "-crf", "21", "-maxrate", "12000k", "-bufsize", "24000k",
            "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv", "-r", "30", "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart", "-t", "8.5", "-f", "mp4", "-y", "/media/out/.video.partial.mp4",
            "-map", "[thumb]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1", "-y", "/media/out/.thumb.partial.jpg",
            "-map", "[preview]", "-map", "[apreview]",
            "-c:v", "libx264", "-profile:v", "high", "-preset", "ultrafast", "-x264-params", "cabac=1:8x8dct=1", "-crf", "30", "-pix_fmt", "yuv420p",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv", "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart", "-t", "8", "-f", "mp4", "-y", "/media/out/.preview.partial.mp4",
        ];
        Assert.Equal(expected, arguments);
        Assert.Single(arguments, a => a == "-filter_complex");
    }

    [Fact]
    public void A_silent_single_colour_plan_with_only_the_video_output_has_no_split_and_no_loudness_stage()
    {
        var plan = new RenderPlan { Scenes = [new PlanScene { Visual = new PlanVisual { Color = "#FF0000" }, Duration = 1.5 }] };
        var files = new RenderFiles(null, null, "/o/v.mp4", null, null);

        var arguments = RenderCommand.RenderArguments(plan, Levelling.None, files, Fonts, "ultrafast", 28);

        var graph = arguments[arguments.ToList().IndexOf("-filter_complex") + 1];
        Assert.Equal(
            "color=c=0xFF0000:s=1080x1920:r=30:d=1.5,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setsar=1[v0];"
            + "anullsrc=r=48000:cl=stereo,atrim=duration=1.5[silence];"
            + "[silence]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout];"
            + "[v0]format=yuv420p[vout]",
            graph);
        Assert.DoesNotContain("-i", arguments);
    }

    [Fact]
    public void A_panning_still_moves_a_crop_window_instead_of_rescaling_every_frame()
    {
        var plan = Representative with
        {
            Scenes = [new PlanScene { Visual = new PlanVisual { Asset = "photo" }, Duration = 2, Motion = SceneMotion.PanUp }],
            Audio = new PlanAudio(),
            Overlays = [],
            Captions = null,
        };

        var arguments = RenderCommand.RenderArguments(plan, Levelling.None, new RenderFiles(null, null, "/o/v.mp4", null, null), Fonts, "veryfast", 21);

        var graph = arguments[arguments.ToList().IndexOf("-filter_complex") + 1];
        Assert.StartsWith(
            "[0:v]scale=1080:2208:force_original_aspect_ratio=increase:out_color_matrix=bt709:out_range=tv,crop=1080:2208,setsar=1,format=yuv420p,loop=loop=59:size=1,setpts=N/(30*TB),"
            + "crop=1080:1920:x=0:y=(ih-oh)*(1-n/59),fps=30,setsar=1[v0];",
            graph);
    }

    [Fact]
    public void The_measurement_pass_reads_only_the_audio_and_ends_in_loudnorm_analysis()
    {
        var arguments = RenderCommand.MeasureArguments(Representative, Levelling.None);

        Assert.Equal(["/media/in/voice.wav", "/media/in/bed.mp3"], arguments.Where((_, i) => i > 0 && arguments[i - 1] == "-i"));
        var graph = arguments[arguments.ToList().IndexOf("-filter_complex") + 1];
        Assert.EndsWith("[mix]loudnorm=I=-14:TP=-1.5:LRA=50:print_format=json,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout]", graph);
        Assert.Equal(["-map", "[aout]", "-f", "null", "-"], arguments.TakeLast(5));
    }

    [Fact]
    public void Paths_with_filtergraph_metacharacters_are_escaped_in_the_graph_and_passed_whole_as_inputs()
    {
        var folder = "/media/it's, a:b [x]; 50%";
        var plan = Representative with { Assets = Representative.Assets.ToDictionary(a => a.Key, a => a.Value with { Path = $"{folder}/{Path.GetFileName(a.Value.Path)}" }) };
        var files = new RenderFiles($"{folder}/captions.ass", null, $"{folder}/v.mp4", null, null);

        var arguments = RenderCommand.RenderArguments(plan, Levelling.None, files, Fonts, "veryfast", 21);

        Assert.Contains($"{folder}/clip.mp4", arguments);
        var graph = arguments[arguments.ToList().IndexOf("-filter_complex") + 1];
        // Escaped for the option parser (\' \:) and again for the graph parser (\\ \' \, \[ \] \;); the real render test proves ffmpeg reads it back.
        Assert.Contains(@"ass=filename=/media/it\\\'s\, a\\:b \[x\]\; 50%/captions.ass:", graph, StringComparison.Ordinal);
    }
}
