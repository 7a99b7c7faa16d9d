using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Render;

namespace ViralForge.Adapters.Local;

/// <summary>
/// Offline visuals, made without any network: for each beat, a gradient in a palette derived from the topic, translucent
/// shapes drifting across it, a large emoji glyph chosen from the beat's words (<see cref="BeatGlyphs"/>) and the beat's
/// card text moving in, encoded as a fast intermediate H.264 clip (beat-01.mp4, ...) that the renderer re-encodes
/// anyway. Layout, glyph, motion and hue change from beat to beat, so no two beats look the same. The clips have the
/// row's frame shape (9:16, 1:1 or 16:9), and a regenerate's feedback changes them: "darker"/"brighter" the backgrounds'
/// lightness, and what the reviewer asked to see ("show the ocean") their colours, glyphs and a line on every card.
/// </summary>
public sealed class FfmpegVisualsProvider : IVisualsProvider
{
    /// <summary>Most lines a card shows; longer text ends in an ellipsis rather than running off the frame.</summary>
    public const int MaxCardLines = 5;

    /// <summary>How long each card line takes to fade in.</summary>
    public const double FadeInSeconds = 0.4;

    private readonly MediaOptions media;
    private readonly FfmpegRunner runner;

    public FfmpegVisualsProvider(IOptions<ViralForgeOptions> options, FfmpegRunner runner)
    {
        media = options.Value.Media;
        this.runner = runner;
    }

    /// <summary>
    /// Frames per second of the clips, at most the render's. 15 because x264 costs the same per frame whatever moves,
    /// and at 30 a 5 s 1080x1920 clip took about 1.5 s of CPU against the 1 s budget (vf bench visuals); the renderer
    /// conforms every clip to the output's rate, so the shapes move at 15 steps a second and everything else is unchanged.
    /// </summary>
    public int ClipFramesPerSecond => Math.Min(media.FramesPerSecond, MaxClipFramesPerSecond);

    /// <summary>The ceiling on <see cref="ClipFramesPerSecond"/>.</summary>
    public const int MaxClipFramesPerSecond = 15;

    /// <summary>The frame a format's clips are made at: the render's frame for that format, so the renderer only re-encodes them.</summary>
    public (int Width, int Height) FrameSize(string format) => OutputProfile.FrameFor(format, media);

    /// <summary>Card font size: large, 8.5% of the frame's short side (about 11-12 characters per line on a vertical frame).</summary>
    public static int CardFontSize(int width, int height) => (int)Math.Round(Math.Min(width, height) * 0.085);

    /// <summary>Characters per card line that fit the safe area's width (bold DejaVu capitals are about 0.68 em wide).</summary>
    public static int CardCharsPerLine(int width, int height) =>
        Math.Max(6, (int)(SafeArea.For(width, height).Width * 0.98 / (CardFontSize(width, height) * 0.68)));

    /// <summary>
    /// Where a card's lines may go: the frame's safe area (clear of the platforms' buttons) above a band kept for the
    /// captions, which hang from the safe area's bottom edge; as the top and bottom pixel rows.
    /// </summary>
    public static (int Top, int Bottom) CardZone(int width, int height)
    {
        var safe = SafeArea.For(width, height);
        // Two caption lines at the largest caption style's size (4% of the height) and their outline.
        var captionBand = (int)Math.Round(height * 0.1);
        return (safe.Top, height - safe.Bottom - captionBand);
    }

    /// <summary>Most card lines that fit the card zone (at most <see cref="MaxCardLines"/>).</summary>
    public static int CardLines(int width, int height)
    {
        var (top, bottom) = CardZone(width, height);
        return Math.Clamp((bottom - top) / LineHeight(CardFontSize(width, height)), 1, MaxCardLines);
    }

    public Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken) =>
        CreateAsync(request, null, cancellationToken);

    /// <summary>Makes the clips, calling <paramref name="clipMade"/> as each one is in place (vf bench visuals times them one by one).</summary>
    public async Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, Action<VisualClip>? clipMade, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var beats = request.Script.Beats;
        if (request.BeatSeconds.Count != beats.Count)
        {
            throw new ArgumentException($"The script has {beats.Count} beats but BeatSeconds has {request.BeatSeconds.Count} durations; they must match.", nameof(request));
        }

        for (var i = 0; i < beats.Count; i++)
        {
            if (!(request.BeatSeconds[i] > 0) || !double.IsFinite(request.BeatSeconds[i]))
            {
                throw new ArgumentException($"Beat {i + 1}'s duration is {request.BeatSeconds[i]} s; it must be a positive number of seconds.", nameof(request));
            }
        }

        if (string.IsNullOrWhiteSpace(request.OutputFolder))
        {
            throw new ArgumentException("The visuals request has no output folder.", nameof(request));
        }

        var (width, height) = FrameSize(request.Format);
        var feedback = request.Feedback;
        var terms = feedback?.VisualTerms ?? [];
        var outputFolder = Path.GetFullPath(request.OutputFolder);
        Directory.CreateDirectory(outputFolder);
        var workFolder = Path.Combine(outputFolder, $".visuals-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workFolder);
        var looks = PlanLooks(request);
        var clips = new List<VisualClip>(beats.Count);
        try
        {
            for (var i = 0; i < beats.Count; i++)
            {
                var seconds = request.BeatSeconds[i];
                var outputPath = Path.Combine(outputFolder, $"beat-{i + 1:00}.mp4");
                // What the reviewer asked to see heads the card, one term per beat in turn, above the script's own card text.
                var term = terms.Count == 0 ? null : terms[i % terms.Count];
                var lineFiles = await WriteCardLinesAsync(workFolder, i, term, beats[i].CardText, width, height, cancellationToken).ConfigureAwait(false);
                var partial = AtomicFile.TemporaryPathFor(outputPath, ".partial.mp4");
                try
                {
                    await runner.RunAsync(BuildArguments(looks[i].Palette, seconds, lineFiles, partial, request.Format, looks[i]), cancellationToken).ConfigureAwait(false);
                    // Renamed into place only when whole, so a retried job never picks up a half-written clip.
                    File.Move(partial, outputPath, overwrite: true);
                }
                finally
                {
                    AtomicFile.TryDelete(partial);
                }

                clips.Add(new VisualClip(i, outputPath, seconds, "background"));
                clipMade?.Invoke(clips[^1]);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(workFolder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Leftover line files are harmless; the clips are what matter.
            }
        }

        return clips;
    }

    /// <summary>
    /// Colours for one beat of a video named by its job id (kept for callers that have no topic): the job id stands in
    /// for the topic in <see cref="OfflinePalette.For"/>, so the same job always gets the same look and neighbouring
    /// beats differ. The reviewer's <paramref name="visualTerms"/> take the job id's place, as they do the topic's.
    /// </summary>
    public static BackgroundPalette ChoosePalette(Guid jobId, int beatIndex, string style, int brightness = 0, IReadOnlyList<string>? visualTerms = null) =>
        OfflinePalette.For(jobId.ToString("N"), beatIndex, style, brightness, visualTerms);

    /// <summary>Words a reviewer may ask to see and the hue (degrees) whose colours suggest them.</summary>
    public static IReadOnlyDictionary<string, int> TermHues => OfflinePalette.TermHues;

    /// <summary>
    /// What each beat of a video looks like, before anything is drawn: its palette (from the row's topic, the script's theme,
    /// the style and the reviewer's feedback), its glyph (from its words, none repeated), its layout and motion.
    /// </summary>
    public static IReadOnlyList<BeatLook> PlanLooks(VisualsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var script = request.Script;
        // The row's topic names the video best; requests made without one fall back on the title, then the job.
        var topic = !string.IsNullOrWhiteSpace(request.Topic) ? request.Topic
            : !string.IsNullOrWhiteSpace(script.Title) ? script.Title
            : request.JobId.ToString("N");
        var terms = request.Feedback?.VisualTerms ?? [];
        // The title counts twice: it is the topic; the beats' words decide between themes it leaves open.
        var theme = BeatGlyphs.ThemeOf([topic, topic, script.Hook, .. script.Beats.SelectMany(b => new[] { b.VisualQuery, b.CardText, b.Narration })]);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var looks = new List<BeatLook>(script.Beats.Count);
        for (var i = 0; i < script.Beats.Count; i++)
        {
            var beat = script.Beats[i];
            var term = terms.Count == 0 ? null : terms[i % terms.Count];
            var glyph = BeatGlyphs.Choose([term, beat.VisualQuery, beat.CardText, beat.Narration], theme, used, i);
            used.Add(glyph);
            var palette = OfflinePalette.For(topic, i, request.Style, request.Feedback?.Brightness ?? 0, terms, theme?.Hue);
            looks.Add(new BeatLook(i, palette, glyph, Layouts[i % Layouts.Length], Entrances[i % Entrances.Length], Drifts[i % Drifts.Length], Shapes[(i + (int)(palette.Seed % Shapes.Length)) % Shapes.Length]));
        }

        return looks;
    }

    /// <summary>Greedy word wrap by characters; a word longer than a line is split, and text past the last line ends in "…".</summary>
    public static IReadOnlyList<string> WrapCardText(string text, int charsPerLine, int maxLines)
    {
        var words = new string((text ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c).ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(w => Chunk(w, charsPerLine));
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in words)
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > charsPerLine)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            current.Append(current.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (current.Length > 0)
        {
            lines.Add(current.ToString());
        }

        if (lines.Count > maxLines)
        {
            var last = lines[maxLines - 1];
            lines = lines.Take(maxLines - 1).ToList();
            lines.Add((last.Length >= charsPerLine ? last[..(charsPerLine - 1)] : last) + "…");
        }

        return lines;
    }

    /// <summary>
    /// The ffmpeg arguments for one clip. The background is one frame of a gradient, drawn at a quarter of the size,
    /// scaled up and repeated: a still background costs x264 almost nothing, where a moving full-frame gradient doubled
    /// the clip's CPU time (vf bench visuals). The motion comes from what is drawn on it: translucent shapes drifting
    /// across the frame, the glyph, and the card lines sliding in. Each card line is its own drawtext reading its own
    /// text file, because ffmpeg 5.1's drawtext cannot centre lines of a multi-line text. Without a
    /// <paramref name="look"/> the clip is the plain card on the gradient.
    /// </summary>
    public IReadOnlyList<string> BuildArguments(BackgroundPalette palette, double seconds, IReadOnlyList<string> lineTextFiles, string outputPath, string format = VideoChoices.DefaultFormat, BeatLook? look = null)
    {
        var (width, height) = FrameSize(format);
        var d = FilterGraph.Number(seconds);
        var fps = FilterGraph.Number(ClipFramesPerSecond);
        var smallWidth = Even(width / 4);
        var smallHeight = Even(height / 4);
        var source = string.Create(
            CultureInfo.InvariantCulture,
            $"gradients=s={smallWidth}x{smallHeight}:r={fps}:c0={palette.From}:c1={palette.To}:speed={FilterGraph.Number(palette.Speed)}:seed={palette.Seed}:d={d}");

        // One frame of the gradient, scaled once in YUV (cheaper than in RGB) and then repeated for the clip's length. It
        // goes to YUV with the bt709 matrix the clip is tagged with, which is how the renderer reads HD clips: ffmpeg's
        // default (bt601) turned #e63946 into (244,74,67) on screen. Converting this one small frame costs nothing.
        var filters = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"trim=end_frame=1,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv,scale={width}:{height}:flags=bicubic,loop=loop=-1:size=1,setpts=N/({fps}*TB),trim=duration={d}"));
        var fontSize = CardFontSize(width, height);
        var lineHeight = LineHeight(fontSize);
        var safe = SafeArea.For(width, height);
        var (zoneTop, zoneBottom) = CardZone(width, height);
        var cardHeight = lineTextFiles.Count * lineHeight;
        var placement = Place(look, width, height, cardHeight);
        if (look is not null)
        {
            AppendShapes(filters, look, width, height);
            // Without the glyph font (an image that did not install it) the beat still has its shapes and card.
            if (placement.GlyphSize > 0 && look.Glyph.Length > 0 && File.Exists(media.GlyphFontFile))
            {
                AppendGlyph(filters, look, placement);
            }
        }

        var top = placement.CardTop ?? Math.Max(zoneTop, (int)Math.Round(((zoneTop + zoneBottom) / 2.0) - (cardHeight / 2.0)));
        var entrance = look?.Entrance ?? CardEntrance.Fade;
        for (var i = 0; i < lineTextFiles.Count; i++)
        {
            // Lines come in one after another; the expressions' commas are escaped by FilterGraph.Value.
            var delay = FilterGraph.Number(i * 0.12);
            var fadeSeconds = FilterGraph.Number(FadeInSeconds);
            var fade = FilterGraph.Value($"if(lt(t,{delay}),0,if(lt(t,{delay}+{fadeSeconds}),(t-{delay})/{fadeSeconds},1))");
            // An ease-out from 1 (start) to 0 (in place), done with the fade: in place before a second has passed.
            var remaining = $"pow(1-min(max((t-{delay})/{fadeSeconds},0),1),3)";
            var x = string.Create(CultureInfo.InvariantCulture, $"{safe.Left}+({safe.Width}-tw)/2");
            var y = FilterGraph.Number(top + (i * lineHeight));
            (x, y) = entrance switch
            {
                CardEntrance.FromRight => (FilterGraph.Value(string.Create(CultureInfo.InvariantCulture, $"{x}+{width * 0.6:0}*{remaining}")), y),
                CardEntrance.FromLeft => (FilterGraph.Value(string.Create(CultureInfo.InvariantCulture, $"{x}-{width * 0.6:0}*{remaining}")), y),
                CardEntrance.Rise => (x, FilterGraph.Value(string.Create(CultureInfo.InvariantCulture, $"{y}+{lineHeight * 1.5:0}*{remaining}"))),
                CardEntrance.Drop => (x, FilterGraph.Value(string.Create(CultureInfo.InvariantCulture, $"{y}-{lineHeight * 1.5:0}*{remaining}"))),
                _ => (x, y),
            };
            filters.Append(CultureInfo.InvariantCulture, $",drawtext=fontfile={FilterGraph.Value(Path.GetFullPath(media.FontFile))}:textfile={FilterGraph.Value(Path.GetFullPath(lineTextFiles[i]))}")
                .Append(CultureInfo.InvariantCulture, $":expansion=none:fontsize={fontSize}:fontcolor=white:borderw={Math.Max(2, fontSize / 14)}:bordercolor=black@0.6")
                .Append(CultureInfo.InvariantCulture, $":x={x}:y={y}:alpha={fade}");
        }

        return [
            .. FfmpegRunner.CommonArguments,
            // The only input is a generated source built from numbers and hex colours, so there is no file or URL to whitelist.
            "-f", "lavfi",
            "-i", source,
            "-vf", filters.ToString(),
            "-c:v", "libx264",
            // An intermediate: the renderer re-encodes it, so speed matters and near-lossless quality keeps it clean.
            "-preset", "ultrafast",
            "-crf", "18",
            "-pix_fmt", "yuv420p",
            .. RenderCommand.Bt709Tags,
            "-r", fps,
            "-an",
            "-t", d,
            "-movflags", "+faststart",
            "-f", "mp4",
            "-y", Path.GetFullPath(outputPath),
        ];
    }

    /// <summary>
    /// Where a beat's glyph and card go in the card zone: the glyph above or below the card when the zone holds both at
    /// a useful size, else large and faint behind the card. Sizes are font sizes in pixels; 0 means no glyph.
    /// </summary>
    public static GlyphPlacement Place(BeatLook? look, int width, int height, int cardHeight)
    {
        if (look is null)
        {
            return new GlyphPlacement(null, 0, 0, 0, 0);
        }

        var safe = SafeArea.For(width, height);
        var (zoneTop, zoneBottom) = CardZone(width, height);
        var zoneHeight = zoneBottom - zoneTop;
        var gap = (int)Math.Round(Math.Min(width, height) * 0.04);
        var besideCard = Math.Min(safe.Width * 0.72, zoneHeight - cardHeight - gap);
        var layout = look.Layout;
        if (layout != GlyphLayout.Behind && besideCard < Math.Min(width, height) * 0.22)
        {
            layout = GlyphLayout.Behind;
        }

        var centreX = safe.Left + (safe.Width / 2);
        if (layout == GlyphLayout.Behind)
        {
            var size = (int)Math.Round(Math.Min(safe.Width * 0.8, zoneHeight * 0.8));
            return new GlyphPlacement(null, size, centreX, zoneTop + (zoneHeight / 2), 0.38);
        }

        // The glyph's slot is square; the font size leaves room inside it for the glyph's motion.
        var slot = (int)Math.Round(besideCard);
        var groupTop = zoneTop + ((zoneHeight - (slot + gap + cardHeight)) / 2);
        return layout == GlyphLayout.Above
            ? new GlyphPlacement(groupTop + slot + gap, (int)Math.Round(slot * 0.95), centreX, groupTop + (slot / 2), 1)
            : new GlyphPlacement(groupTop, (int)Math.Round(slot * 0.95), centreX, groupTop + cardHeight + gap + (slot / 2), 1);
    }

    private void AppendGlyph(StringBuilder filters, BeatLook look, GlyphPlacement placement)
    {
        var size = placement.GlyphSize;
        var swing = FilterGraph.Number((int)Math.Round(size * 0.07));
        var x = string.Create(CultureInfo.InvariantCulture, $"{placement.CentreX}-tw/2");
        var y = string.Create(CultureInfo.InvariantCulture, $"{placement.CentreY}-th/2");
        var alpha = FilterGraph.Number(placement.Opacity);
        (x, y, alpha) = (look.Index % 3) switch
        {
            // Bobs up and down.
            0 => (x, $"{y}+{swing}*sin(2*PI*t/2.4)", alpha),
            // Sways side to side.
            1 => ($"{x}+{swing}*sin(2*PI*t/3)", y, alpha),
            // Rises into place as it fades in.
            _ => (x, $"{y}+{swing}*2*pow(1-min(t/0.6,1),2)", $"{alpha}*min(t/0.6,1)"),
        };
        filters.Append(CultureInfo.InvariantCulture, $",drawtext=fontfile={FilterGraph.Value(Path.GetFullPath(media.GlyphFontFile))}:text={FilterGraph.Value(look.Glyph)}")
            .Append(CultureInfo.InvariantCulture, $":expansion=none:fontsize={size}:fontcolor={look.Palette.Ink}")
            .Append(CultureInfo.InvariantCulture, $":x={FilterGraph.Value(x)}:y={FilterGraph.Value(y)}:alpha={FilterGraph.Value(alpha)}");
    }

    /// <summary>
    /// Translucent shapes (DejaVu's geometric characters) moving across the whole frame in the accent colour: cheap
    /// motion, since drawtext blends only each shape's own box. Their sizes, places and speeds come from the palette's seed.
    /// </summary>
    private void AppendShapes(StringBuilder filters, BeatLook look, int width, int height)
    {
        var shortSide = Math.Min(width, height);
        for (var i = 0; i < ShapeCount; i++)
        {
            var u = Unit(look.Palette.Seed, i);
            var size = (int)Math.Round(shortSide * (0.05 + (0.16 * u[0])));
            var x0 = (int)Math.Round(u[1] * width);
            var y0 = (int)Math.Round(u[2] * height);
            var speed = FilterGraph.Number((int)Math.Round(height * (0.04 + (0.1 * u[3]))));
            var phase = FilterGraph.Number(Math.Round(u[4] * 6.28, 2));
            var sway = FilterGraph.Number((int)Math.Round(shortSide * 0.05));
            var wrapW = FilterGraph.Number(width + size);
            var wrapH = FilterGraph.Number(height + size);
            var (x, y) = look.Drift switch
            {
                ShapeDrift.Rise => ($"{x0}+{sway}*sin(t*1.3+{phase})", $"{height}-mod({y0}+t*{speed},{wrapH})"),
                ShapeDrift.Fall => ($"{x0}+{sway}*sin(t*1.1+{phase})", $"mod({y0}+t*{speed},{wrapH})-{size}"),
                ShapeDrift.Across => ($"mod({x0}+t*{speed},{wrapW})-{size}", $"{y0}+{sway}*sin(t*0.9+{phase})"),
                _ => (
                    string.Create(CultureInfo.InvariantCulture, $"{width / 2}+{(int)(width * (0.2 + (0.25 * u[1])))}*cos(t*{0.35 + (0.3 * u[3]):0.##}+{phase})-{size / 2}"),
                    string.Create(CultureInfo.InvariantCulture, $"{height / 2}+{(int)(height * (0.15 + (0.25 * u[2])))}*sin(t*{0.35 + (0.3 * u[3]):0.##}+{phase})-{size / 2}")),
            };
            var opacity = FilterGraph.Number(Math.Round(0.14 + (0.16 * u[5]), 2));
            filters.Append(CultureInfo.InvariantCulture, $",drawtext=fontfile={FilterGraph.Value(Path.GetFullPath(media.FontFile))}:text={FilterGraph.Value(look.Shape)}")
                .Append(CultureInfo.InvariantCulture, $":expansion=none:fontsize={size}:fontcolor={look.Palette.Accent}@{opacity}")
                .Append(CultureInfo.InvariantCulture, $":x={FilterGraph.Value(x)}:y={FilterGraph.Value(y)}");
        }
    }

    /// <summary>Six numbers in [0, 1) for shape <paramref name="index"/>, from the palette's seed: the same beat draws the same shapes.</summary>
    private static double[] Unit(long seed, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}|{index}")));
        return [.. Enumerable.Range(0, 6).Select(k => hash[k] / 256.0)];
    }

    /// <summary>The card's lines: the asked-for term's (when there is one) and then the card text's, within the lines the frame holds.</summary>
    public static IReadOnlyList<string> CardLinesFor(string? term, string cardText, int width, int height)
    {
        var chars = CardCharsPerLine(width, height);
        var maxLines = CardLines(width, height);
        if (string.IsNullOrWhiteSpace(term))
        {
            return WrapCardText(cardText, chars, maxLines);
        }

        var heading = WrapCardText(term.ToUpperInvariant(), chars, Math.Max(1, maxLines / 2));
        return [.. heading, .. WrapCardText(cardText, chars, Math.Max(1, maxLines - heading.Count))];
    }

    private async Task<IReadOnlyList<string>> WriteCardLinesAsync(string workFolder, int beatIndex, string? term, string cardText, int width, int height, CancellationToken cancellationToken)
    {
        var lines = CardLinesFor(term, cardText, width, height);
        var files = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            // Card text reaches drawtext only through files: nothing the user wrote is parsed as filtergraph syntax.
            var path = Path.Combine(workFolder, $"beat-{beatIndex + 1:00}-line-{i + 1}.txt");
            await AtomicFile.WriteAllTextAsync(path, lines[i], cancellationToken).ConfigureAwait(false);
            files.Add(path);
        }

        return files;
    }

    private static IEnumerable<string> Chunk(string word, int size)
    {
        for (var start = 0; start < word.Length; start += size)
        {
            yield return word.Substring(start, Math.Min(size, word.Length - start));
        }
    }

    private static int Even(int value) => Math.Max(16, value / 2 * 2);

    private static int LineHeight(int fontSize) => (int)Math.Round(fontSize * 1.3);

    /// <summary>How many shapes drift across each beat.</summary>
    private const int ShapeCount = 7;

    private static readonly GlyphLayout[] Layouts = [GlyphLayout.Above, GlyphLayout.Behind, GlyphLayout.Below];

    private static readonly CardEntrance[] Entrances = [CardEntrance.FromRight, CardEntrance.Rise, CardEntrance.FromLeft, CardEntrance.Drop];

    private static readonly ShapeDrift[] Drifts = [ShapeDrift.Rise, ShapeDrift.Across, ShapeDrift.Orbit, ShapeDrift.Fall, ShapeDrift.Across];

    /// <summary>Filled circle, diamond, triangle, square, star and four-pointed star: DejaVu Sans has them all.</summary>
    private static readonly string[] Shapes = ["\u25CF", "\u25C6", "\u25B2", "\u25A0", "\u2605", "\u2726"];
}

/// <summary>Where a beat's glyph sits relative to its card.</summary>
public enum GlyphLayout
{
    Above,
    Behind,
    Below,
}

/// <summary>How a beat's card lines come in.</summary>
public enum CardEntrance
{
    Fade,
    FromRight,
    FromLeft,
    Rise,
    Drop,
}

/// <summary>How a beat's shapes move.</summary>
public enum ShapeDrift
{
    Rise,
    Fall,
    Across,
    Orbit,
}

/// <summary>One beat's look: palette, glyph, layout, card entrance, shape motion and shape character.</summary>
public sealed record BeatLook(int Index, BackgroundPalette Palette, string Glyph, GlyphLayout Layout, CardEntrance Entrance, ShapeDrift Drift, string Shape);

/// <summary>Where <see cref="FfmpegVisualsProvider.Place"/> puts a beat's card (its top row, or null for centred in the zone) and glyph (font size, centre, opacity).</summary>
public sealed record GlyphPlacement(int? CardTop, int GlyphSize, int CentreX, int CentreY, double Opacity);
