using System.Text;
using ViralForge.Core.Ports;

namespace ViralForge.Render;

/// <summary>The files one render writes besides its outputs: the caption and overlay subtitle tracks, and partial outputs renamed when whole.</summary>
public sealed record RenderFiles(string? CaptionsPath, string? OverlaysPath, string PartialVideoPath, string? PartialThumbnailPath, string? PartialPreviewPath);

/// <summary>
/// Builds ffmpeg's argument lists for a validated plan: the audio-only loudness measurement and the one render run.
/// Pure (reads no files), so tests assert the exact arguments a plan produces.
/// </summary>
public static class RenderCommand
{
    /// <summary>How much larger than the frame a panned or zoomed still is scaled, which is how far it can move.</summary>
    public const double ZoomFactor = 1.15;

    /// <summary>The preview is a third of the frame each way: small enough for a chat card, big enough to judge captions.</summary>
    public const int PreviewDivisor = 3;

    /// <summary>The thumbnail is half the frame each way.</summary>
    public const int ThumbnailDivisor = 2;

    /// <summary>Preview quality: visibly compressed but readable, a few hundred kB for a short.</summary>
    public const int PreviewCrf = 30;

    /// <summary>
    /// The preview is the opening seconds (the hook, where a short wins or loses its viewer), looped on the review
    /// card; the card links the full video. Encoding only these seconds keeps the preview's cost off the render.
    /// </summary>
    public const double PreviewSeconds = 8;

    /// <summary>
    /// ultrafast turns off CABAC and the 8x8 transform, which makes the stream Constrained Baseline whatever -profile
    /// says. Turning the two back on keeps H.264 High (what the platforms ask for) and a file about a third smaller at
    /// no measurable cost in time (vf bench render); every slower preset has them on already.
    /// </summary>
    public const string HighProfileTools = "cabac=1:8x8dct=1";

    /// <summary>
    /// The measurement pass: the same audio graph as the render (narration, music, ducking, gain staging) ending in
    /// loudnorm's analysis, decoded to nowhere. Audio only, so the video is still encoded exactly once.
    /// </summary>
    public static IReadOnlyList<string> MeasureArguments(RenderPlan plan, Levelling levelling)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(levelling);
        var timeline = Timeline.Of(plan.Scenes, plan.Output.FramesPerSecond);
        var arguments = new List<string>(FfmpegRunner.ReportingArguments);
        var inputs = new InputList(arguments);
        var audio = AudioInputs(plan, timeline, inputs);
        var graph = new StringBuilder();
        var mix = AppendAudioMix(graph, plan, audio, timeline.TotalSeconds);
        graph.Append($"[{mix}]").Append(levelling.Filters(measureOnly: true)).Append("[aout]");
        arguments.AddRange(["-filter_complex", graph.ToString(), "-map", "[aout]", "-f", "null", "-"]);
        return arguments;
    }

    /// <summary>
    /// The output's colour tags: the frames are converted to bt709 (matrix, primaries, transfer, limited range) in the
    /// graph, and these say so, so players do not guess (and guess bt601 for small frames).
    /// </summary>
    public static IReadOnlyList<string> Bt709Tags { get; } = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"];

    /// <summary>
    /// The one render run: every input, one filtergraph, and the MP4 (plus thumbnail and preview when asked for).
    /// <paramref name="clips"/> holds the probe of each video asset (by asset id), from which each clip's chain is chosen;
    /// a clip without one is treated as an ordinary 8-bit SDR clip of unknown length.
    /// </summary>
    public static IReadOnlyList<string> RenderArguments(
        RenderPlan plan, Levelling levelling, RenderFiles files, string fontsFolder, string encoderPreset, int crf, IReadOnlyDictionary<string, MediaProbe>? clips = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(levelling);
        ArgumentNullException.ThrowIfNull(files);
        var output = plan.Output;
        var timeline = Timeline.Of(plan.Scenes, output.FramesPerSecond);
        var arguments = new List<string>(FfmpegRunner.ReportingArguments);
        var inputs = new InputList(arguments);

        var sceneInputs = new int?[plan.Scenes.Count];
        for (var i = 0; i < plan.Scenes.Count; i++)
        {
            if (plan.Scenes[i].Visual.Asset is { } id)
            {
                var asset = plan.Assets[id];
                var probe = clips?.GetValueOrDefault(id);
                sceneInputs[i] = asset.Kind == PlanAssetKind.Image
                    ? inputs.Still(asset.Path)
                    // A picture in a video's clothes (a PNG named .mp4): opened by its content, shown as a still.
                    : probe is { IsStillImage: true } ? inputs.Add([], asset.Path)
                    : inputs.Add(ClipInputOptions(probe, timeline.SceneSeconds(i)), asset.Path);
            }
        }

        var overlayInputs = plan.Overlays.Select(o => o.Asset is { } id ? inputs.Still(plan.Assets[id].Path) : (int?)null).ToArray();
        var audio = AudioInputs(plan, timeline, inputs);

        var graph = new StringBuilder();
        for (var i = 0; i < plan.Scenes.Count; i++)
        {
            AppendScene(graph, plan, i, sceneInputs[i], timeline, clips);
        }

        var video = AppendTransitions(graph, timeline);
        // Text through libass (captions, then text overlays), so every script gets shaping and font fallback; then logos on top.
        foreach (var (track, label) in new[] { (files.CaptionsPath, "captioned"), (files.OverlaysPath, "titled") })
        {
            if (track is not null)
            {
                graph.Append($"[{video}]ass=filename={FilterGraph.Value(Path.GetFullPath(track))}:fontsdir={FilterGraph.Value(fontsFolder)}[{label}];");
                video = label;
            }
        }

        for (var i = 0; i < plan.Overlays.Count; i++)
        {
            if (overlayInputs[i] is { } input)
            {
                video = AppendImageOverlay(graph, plan, plan.Overlays[i], input, video, i);
            }
        }

        var mix = AppendAudioMix(graph, plan, audio, timeline.TotalSeconds);
        graph.Append($"[{mix}]").Append(levelling.Filters(measureOnly: false));

        var outputs = 1 + (files.PartialPreviewPath is null ? 0 : 1);
        var previewSeconds = FilterGraph.Number(Math.Min(PreviewSeconds, timeline.TotalSeconds));
        graph.Append(outputs > 1 ? $",asplit=2[aout][apreviewfull];[apreviewfull]atrim=duration={previewSeconds}[apreview];" : "[aout];");
        var videoBranches = 1 + (files.PartialThumbnailPath is null ? 0 : 1) + (files.PartialPreviewPath is null ? 0 : 1);
        graph.Append($"[{video}]format=yuv420p");
        graph.Append(videoBranches > 1
            ? $",split={videoBranches}[vout]" + (files.PartialThumbnailPath is null ? "" : "[vthumb]") + (files.PartialPreviewPath is null ? "" : "[vpreview]")
            : "[vout]");

        if (files.PartialThumbnailPath is not null)
        {
            var frame = ThumbnailFrame(timeline);
            // One frame, scaled to full-range YUV as JPEG expects (studio range would look washed out).
            graph.Append($";[vthumb]trim=start_frame={frame}:end_frame={frame + 1},")
                .Append($"scale={Even(output.Width / ThumbnailDivisor)}:{Even(output.Height / ThumbnailDivisor)}:out_range=full,format=yuvj420p,setsar=1[thumb]");
        }

        if (files.PartialPreviewPath is not null)
        {
            var previewFrames = Math.Min(timeline.TotalFrames, (int)(PreviewSeconds * output.FramesPerSecond));
            // fast_bilinear: the preview is a third-size chat-card loop encoded at crf 30, where the cheapest scaler's
            // softness does not show, and the scaler runs on the same thread as the rest of the graph.
            graph.Append($";[vpreview]trim=end_frame={previewFrames},scale={Even(output.Width / PreviewDivisor)}:{Even(output.Height / PreviewDivisor)}:flags=fast_bilinear,setsar=1[preview]");
        }

        var seconds = FilterGraph.Number(timeline.TotalSeconds);
        arguments.AddRange(["-filter_complex", graph.ToString()]);
        arguments.AddRange([
            "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-profile:v", "high", "-preset", encoderPreset, "-x264-params", HighProfileTools, "-crf", FilterGraph.Number(crf),
            "-maxrate", $"{output.MaxVideoKbps}k", "-bufsize", $"{output.MaxVideoKbps * 2}k",
            "-pix_fmt", "yuv420p", .. Bt709Tags, "-r", FilterGraph.Number(output.FramesPerSecond),
            "-c:a", "aac", "-b:a", $"{output.AudioKbps}k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart", "-t", seconds, "-f", "mp4", "-y", files.PartialVideoPath,
        ]);

        if (files.PartialThumbnailPath is not null)
        {
            arguments.AddRange(["-map", "[thumb]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1", "-y", files.PartialThumbnailPath]);
        }

        if (files.PartialPreviewPath is not null)
        {
            arguments.AddRange([
                "-map", "[preview]", "-map", "[apreview]",
                "-c:v", "libx264", "-profile:v", "high", "-preset", encoderPreset, "-x264-params", HighProfileTools, "-crf", FilterGraph.Number(PreviewCrf),
                "-pix_fmt", "yuv420p", .. Bt709Tags, "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "2",
                "-movflags", "+faststart", "-t", previewSeconds, "-f", "mp4", "-y", files.PartialPreviewPath,
            ]);
        }

        return arguments;
    }

    /// <summary>The thumbnail's frame: 1.5 s in (the hook is on screen and the first fade is over), or the middle of a shorter video.</summary>
    public static int ThumbnailFrame(Timeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return Math.Min((int)(1.5 * timeline.FramesPerSecond), timeline.TotalFrames / 2);
    }

    /// <summary>
    /// How a clip is read: cut at the scene's length while reading (a long clip is not decoded to its end), and looped
    /// just enough times to fill the scene when it is shorter. The count is finite: ffmpeg told to loop a file cut short
    /// forever can spin on it without ever reaching the scene's length.
    /// </summary>
    public static IReadOnlyList<string> ClipInputOptions(MediaProbe? probe, double sceneSeconds)
    {
        var cut = new[] { "-t", FilterGraph.Number(sceneSeconds) };
        if (probe is null)
        {
            return ["-stream_loop", "-1", .. cut];
        }

        var usable = probe.DurationSeconds;
        var loops = usable > 0 && usable < sceneSeconds ? (int)Math.Ceiling(sceneSeconds / usable) - 1 : 0;
        return loops > 0 ? ["-stream_loop", FilterGraph.Number(loops), .. cut] : cut;
    }

    /// <summary>
    /// The filters that bring a clip's decoded, framed picture to 8-bit yuv420p bt709, or null when scaling alone does
    /// (8-bit or 10-bit SDR in bt709 or untagged, the ordinary case, which stays on the fast swscale path). HDR (PQ, HLG)
    /// is tone-mapped: linear light, bt709 primaries, Hable's curve, then bt709 transfer and matrix. SDR in another
    /// matrix or primaries (bt601 SD, bt2020 SDR) is converted by zscale, because swscale ignores the matrix between two
    /// YUV formats.
    /// </summary>
    public static string? ColourConversion(MediaProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var matrix = Known(probe.ColorSpace, ZscaleMatrices);
        var primaries = Known(probe.ColorPrimaries, ZscalePrimaries);
        var range = probe.ColorRange is "pc" ? "pc" : "tv";
        if (probe.IsHdr)
        {
            // HDR is bt2020 when its tags do not say otherwise.
            return $"zscale=tin={probe.ColorTransfer}:min={matrix ?? "bt2020nc"}:pin={primaries ?? "bt2020"}:rin={range}:t=linear:npl=100,format=gbrpf32le,"
                + "zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p";
        }

        if ((matrix ?? "bt709") == "bt709" && (primaries ?? "bt709") == "bt709")
        {
            return null;
        }

        var transfer = Known(probe.ColorTransfer, ZscaleTransfers) ?? "bt709";
        return $"zscale=tin={transfer}:min={matrix ?? "bt709"}:pin={primaries ?? "bt709"}:rin={range}:t=bt709:m=bt709:p=bt709:r=tv,format=yuv420p";
    }

    // The colour names ffprobe prints that zscale also accepts; anything else is treated as untagged.
    private static readonly string[] ZscaleMatrices = ["bt709", "bt470bg", "smpte170m", "bt2020nc", "bt2020c", "fcc", "ycgco"];
    private static readonly string[] ZscalePrimaries = ["bt709", "bt470m", "bt470bg", "smpte170m", "smpte240m", "film", "bt2020", "smpte431", "smpte432"];
    private static readonly string[] ZscaleTransfers = ["bt709", "bt470m", "bt470bg", "smpte170m", "linear", "bt2020-10", "bt2020-12", "smpte2084", "iec61966-2-1", "arib-std-b67"];

    private static string? Known(string? name, string[] names) => name is not null && names.Contains(name, StringComparer.Ordinal) ? name : null;

    /// <summary>Scaling into bt709 limited range: what RGB sources (gradients, PNGs, logos) and full-range video need before yuv420p.</summary>
    private const string ToBt709 = "out_color_matrix=bt709:out_range=tv";

    private static void AppendScene(StringBuilder graph, RenderPlan plan, int index, int? input, Timeline timeline, IReadOnlyDictionary<string, MediaProbe>? clips)
    {
        var output = plan.Output;
        var scene = plan.Scenes[index];
        var w = output.Width;
        var h = output.Height;
        var fps = FilterGraph.Number(output.FramesPerSecond);
        var frames = timeline.SceneFrames[index];
        var seconds = FilterGraph.Number(timeline.SceneSeconds(index));

        if (input is null)
        {
            // Generated backgrounds are filter sources inside the graph; their colours were validated as #RRGGBB.
            graph.Append(scene.Visual.Color is { } color
                ? $"color=c=0x{color[1..]}:s={w}x{h}:r={fps}:d={seconds}"
                : $"gradients=s={w}x{h}:c0=0x{scene.Visual.Gradient![0][1..]}:c1=0x{scene.Visual.Gradient[1][1..]}:speed=0.008:r={fps}:d={seconds}");
            graph.Append($",scale={ToBt709},format=yuv420p,setsar=1[v{index}];");
            return;
        }

        var asset = plan.Assets[scene.Visual.Asset!];
        var probe = clips?.GetValueOrDefault(scene.Visual.Asset!);
        if (asset.Kind == PlanAssetKind.Video && probe is not { IsStillImage: true })
        {
            // Fill the frame (scale up, crop the overflow; ffmpeg has already turned a rotated clip upright); tpad holds
            // the last frame if the clip ends early, trim cuts exactly. fps conforms any rate, variable ones included; it
            // goes first when the clip has more frames than the output keeps (a 60 fps 4K clip), so the dropped ones are
            // never scaled.
            var conversion = probe is null ? null : ColourConversion(probe);
            var fpsFirst = probe is not null && Math.Max(probe.FrameRate, probe.AverageFrameRate) > output.FramesPerSecond + 0.5;
            // Non-square pixels (anamorphic SD, some camera modes) are widened to square first, or the picture would be
            // framed by its stored shape and shown squeezed.
            var anamorphic = probe is not null && Math.Abs(probe.SampleAspectRatio - 1) > 0.01;
            graph.Append($"[{input}:v]")
                .Append(fpsFirst ? $"fps={fps}," : "")
                .Append(anamorphic ? "scale=trunc(iw*sar/2)*2:ih,setsar=1," : "")
                // Between two YUV formats swscale ignores the matrix, so the fast path names none: a bt709 clip already of the
                // frame's size then passes through scale untouched (naming one cost a full conversion of every frame:
                // 20 s of CPU against 15 s in vf bench render). Full range is brought to limited here; a clip that zscale converts
                // keeps its bit depth, matrix and range through the scale and the conversion does the rest.
                .Append($"scale={w}:{h}:force_original_aspect_ratio=increase{(conversion is null && probe?.ColorRange == "pc" ? ":out_range=tv" : "")},crop={w}:{h},setsar=1,")
                .Append(fpsFirst ? "" : $"fps={fps},")
                .Append(conversion ?? "format=yuv420p").Append(',')
                .Append($"tpad=stop_mode=clone:stop_duration={seconds},trim=end_frame={frames},setpts=PTS-STARTPTS[v{index}];");
            return;
        }

        // A still is decoded and scaled once, then repeated frame by frame (loop) instead of re-decoding the file for every frame.
        var (coverW, coverH) = scene.Motion switch
        {
            SceneMotion.ZoomIn or SceneMotion.ZoomOut => (Even(w * ZoomFactor), Even(h * ZoomFactor)),
            SceneMotion.PanUp or SceneMotion.PanDown => (w, Even(h * ZoomFactor)),
            _ => (w, h),
        };
        graph.Append($"[{input}:v]scale={coverW}:{coverH}:force_original_aspect_ratio=increase:{ToBt709},crop={coverW}:{coverH},setsar=1,format=yuv420p,")
            .Append($"loop=loop={frames - 1}:size=1,setpts=N/({fps}*TB),");
        var last = FilterGraph.Number(Math.Max(1, frames - 1));
        var zoom = FilterGraph.Number(ZoomFactor - 1);
        switch (scene.Motion)
        {
            case SceneMotion.ZoomIn:
            case SceneMotion.ZoomOut:
                // zoompan crops a shrinking (or growing) window and scales it to the frame: one scale per frame, from a
                // source only 15% larger than the frame, so it stays cheap.
                var z = scene.Motion == SceneMotion.ZoomIn ? $"1+{zoom}*on/{last}" : $"{FilterGraph.Number(ZoomFactor)}-{zoom}*on/{last}";
                graph.Append($"zoompan=z={z}:x=iw/2-(iw/zoom/2):y=ih/2-(ih/zoom/2):d=1:s={w}x{h}:fps={fps}");
                break;
            case SceneMotion.PanUp:
                graph.Append($"crop={w}:{h}:x=0:y=(ih-oh)*(1-n/{last})");
                break;
            case SceneMotion.PanDown:
                graph.Append($"crop={w}:{h}:x=0:y=(ih-oh)*n/{last}");
                break;
            default:
                graph.Append("null");
                break;
        }

        graph.Append($",fps={fps},setsar=1[v{index}];");
    }

    /// <summary>
    /// Joins the scenes with cross-fades and cuts. Only the frames of each fade go through xfade: every scene is cut
    /// into the head that fades in, its body, and the tail that fades out; each fade blends one tail with the next head;
    /// and one concat joins bodies and fades in order.
    /// </summary>
    /// <remarks>
    /// Why not a chain of xfades over the whole timeline: xfade does not take yuv420p in the ffmpeg that Debian 12 and the
    /// render image ship (5.1/6.1), so ffmpeg converted every frame of the video to yuv444p before each xfade and back after
    /// it. Those full-frame conversions ran on ffmpeg's one filter thread and were a third of a 30 s render's CPU; now only
    /// the fades' few frames are converted.
    /// </remarks>
    private static string AppendTransitions(StringBuilder graph, Timeline timeline)
    {
        var scenes = timeline.SceneFrames.Count;
        if (scenes == 1)
        {
            return "v0";
        }

        var segments = new List<string>();
        for (var i = 0; i < scenes; i++)
        {
            var fadeIn = timeline.TransitionFrames[i];
            var fadeOut = i + 1 < scenes ? timeline.TransitionFrames[i + 1] : 0;
            var bodyStart = fadeIn;
            var bodyEnd = timeline.SceneFrames[i] - fadeOut;
            var parts = new List<(string Label, int Start, int End)>();
            if (fadeIn > 0)
            {
                parts.Add(($"h{i}", 0, fadeIn));
            }
            if (bodyEnd > bodyStart)
            {
                parts.Add(($"b{i}", bodyStart, bodyEnd));
            }
            if (fadeOut > 0)
            {
                parts.Add(($"t{i}", bodyEnd, timeline.SceneFrames[i]));
            }

            // A scene that neither fades in nor out is one segment as it is; otherwise its parts are cut out of it.
            var body = parts.Count == 1 && fadeIn == 0 && fadeOut == 0 ? $"v{i}" : bodyEnd > bodyStart ? $"b{i}" : null;
            if (body != $"v{i}")
            {
                graph.Append($"[v{i}]split={parts.Count}");
                foreach (var part in parts)
                {
                    graph.Append($"[{part.Label}s]");
                }
                graph.Append(';');
                foreach (var part in parts)
                {
                    graph.Append($"[{part.Label}s]trim=start_frame={part.Start}:end_frame={part.End},setpts=PTS-STARTPTS[{part.Label}];");
                }
            }

            if (fadeIn > 0)
            {
                // The previous scene's tail and this head are both fadeIn frames long, so the fade starts at their first frame.
                graph.Append($"[t{i - 1}][h{i}]xfade=transition=fade:duration={FilterGraph.Number(timeline.TransitionSeconds(i))}:offset=0,format=yuv420p[f{i}];");
                segments.Add($"f{i}");
            }
            if (body is not null)
            {
                segments.Add(body);
            }
        }

        foreach (var segment in segments)
        {
            graph.Append($"[{segment}]");
        }
        graph.Append($"concat=n={segments.Count}:v=1:a=0[joined];");
        return "joined";
    }

    private static string AppendImageOverlay(StringBuilder graph, RenderPlan plan, PlanOverlay overlay, int input, string video, int index)
    {
        var output = plan.Output;
        var width = Even(output.Width * overlay.Width);
        // In the frame's safe area's top corner, clear of the platforms' buttons in every shape.
        var safe = SafeArea.For(output.Width, output.Height);
        var top = safe.Top;
        var x = overlay.Position switch
        {
            OverlayPosition.TopRight => $"W-w-{safe.Right}",
            OverlayPosition.TopCenter => $"{safe.Left}+({safe.Width}-w)/2",
            _ => $"{safe.Left}",
        };
        var label = $"o{index}";
        // Converted to YUV here with the bt709 matrix; overlay would otherwise convert it with bt601's.
        graph.Append($"[{input}:v]scale={width}:-2,format=rgba,colorchannelmixer=aa={FilterGraph.Number(overlay.Opacity)},scale={ToBt709},format=yuva420p[logo{index}];")
            .Append($"[{video}][logo{index}]overlay=x={x}:y={top}:eof_action=repeat[{label}];");
        return label;
    }

    private sealed record AudioInputIndexes(int? Narration, int? Music);

    private static AudioInputIndexes AudioInputs(RenderPlan plan, Timeline timeline, InputList inputs)
    {
        int? narration = plan.Audio.Narration is { } n ? inputs.Add([], plan.Assets[n].Path) : null;
        int? music = plan.Audio.Music is { } m
            ? inputs.Add(["-stream_loop", "-1", "-t", FilterGraph.Number(timeline.TotalSeconds)], plan.Assets[m.Asset].Path)
            : null;
        return new AudioInputIndexes(narration, music);
    }

    /// <summary>Narration padded to the video's length, the music bed looped, faded and (optionally) ducked under it; returns the mix's label.</summary>
    private static string AppendAudioMix(StringBuilder graph, RenderPlan plan, AudioInputIndexes inputs, double totalSeconds)
    {
        var t = FilterGraph.Number(totalSeconds);
        const string Format = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";
        var music = plan.Audio.Music;
        var duck = music is { Duck: true } && inputs.Narration is not null;

        if (inputs.Narration is { } narration)
        {
            graph.Append($"[{narration}:a]{Format},apad=whole_dur={t},atrim=duration={t}");
            graph.Append(duck ? ",asplit=2[voice][key];" : "[voice];");
        }

        if (inputs.Music is { } bed)
        {
            var fadeOut = Math.Min(1.5, totalSeconds / 4);
            graph.Append($"[{bed}:a]{Format},volume={FilterGraph.Number(music!.Volume)},apad=whole_dur={t},atrim=duration={t},")
                .Append($"afade=t=in:d={FilterGraph.Number(Math.Min(0.5, totalSeconds / 4))},afade=t=out:st={FilterGraph.Number(totalSeconds - fadeOut)}:d={FilterGraph.Number(fadeOut)}[bed];");
            if (duck)
            {
                // The narration is the key: while someone speaks the bed drops by up to ~18 dB, and comes back over 400 ms.
                graph.Append("[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[ducked];");
            }
        }

        switch (inputs.Narration, inputs.Music)
        {
            case ({ }, { }):
                graph.Append($"[voice][{(duck ? "ducked" : "bed")}]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix];");
                return "mix";
            case ({ }, null):
                return "voice";
            case (null, { }):
                return "bed";
            default:
                graph.Append($"anullsrc=r=48000:cl=stereo,atrim=duration={t}[silence];");
                return "silence";
        }
    }

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);

    /// <summary>Adds inputs in order, each opened with only the file protocol allowed.</summary>
    private sealed class InputList(List<string> arguments)
    {
        private int count;

        public int Add(IReadOnlyList<string> options, string path)
        {
            // Only local files may be opened: a crafted path cannot make ffmpeg fetch a URL or read through another protocol.
            arguments.AddRange(["-protocol_whitelist", "file"]);
            arguments.AddRange(options);
            arguments.AddRange(["-i", Path.GetFullPath(path)]);
            return count++;
        }

        /// <summary>image2 without a pattern, so a % in the file name is a character rather than a frame-number pattern.</summary>
        public int Still(string path) => Add(["-f", "image2", "-pattern_type", "none"], path);
    }
}
