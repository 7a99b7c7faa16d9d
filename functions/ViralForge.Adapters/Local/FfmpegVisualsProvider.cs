using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Render;

namespace ViralForge.Adapters.Local;

/// <summary>The two colours, seed and drift speed of one beat's moving gradient; hex colours as ffmpeg reads them (0xRRGGBB).</summary>
public sealed record BackgroundPalette(string From, string To, long Seed, double Speed);

/// <summary>
/// Offline visuals: for each beat, a moving gradient made by ffmpeg's lavfi sources with the beat's card text on it,
/// encoded as a fast intermediate H.264 clip (beat-01.mp4, ...) that the renderer re-encodes anyway. The clips have the
/// row's frame shape (9:16, 1:1 or 16:9), and a regenerate's feedback changes them: "darker"/"brighter" the backgrounds'
/// lightness, and what the reviewer asked to see ("show the ocean") their colours and a line on every card.
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

    public async Task<IReadOnlyList<VisualClip>> CreateAsync(VisualsRequest request, CancellationToken cancellationToken)
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
                    var palette = ChoosePalette(request.JobId, i, request.Style, feedback?.Brightness ?? 0, terms);
                    await runner.RunAsync(BuildArguments(palette, seconds, lineFiles, partial, request.Format), cancellationToken).ConfigureAwait(false);
                    // Renamed into place only when whole, so a retried job never picks up a half-written clip.
                    File.Move(partial, outputPath, overwrite: true);
                }
                finally
                {
                    AtomicFile.TryDelete(partial);
                }

                clips.Add(new VisualClip(i, outputPath, seconds, "background"));
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
    /// Colours for one beat, from a hash of the job id, the beat and the style word: the same job always gets the same
    /// look (a regenerated video matches the first one), and neighbouring beats differ. The style word sets the mood:
    /// calm styles are muted, bold ones saturated, dark ones deep. A reviewer's feedback changes it: <paramref name="brightness"/>
    /// -1 halves the lightness and +1 lifts it well up; <paramref name="visualTerms"/> ("the ocean") take the place of the
    /// job id in the hash, and a term naming a known scene or colour (<see cref="TermHues"/>) sets the hue family.
    /// </summary>
    public static BackgroundPalette ChoosePalette(Guid jobId, int beatIndex, string style, int brightness = 0, IReadOnlyList<string>? visualTerms = null)
    {
        var styleWord = (style ?? string.Empty).Trim().ToLowerInvariant();
        var terms = (visualTerms ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).ToList();
        var subject = terms.Count == 0 ? jobId.ToString("N") : string.Join('|', terms);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{subject}|{beatIndex}|{styleWord}")));
        var (saturation, lightness) = styleWord switch
        {
            "calm" or "minimal" or "soft" or "pastel" or "clean" => (0.35, 0.42),
            "bold" or "energetic" or "hype" or "vibrant" or "fun" or "playful" => (0.85, 0.45),
            "dark" or "moody" or "cinematic" or "dramatic" => (0.55, 0.22),
            _ => (0.65, 0.36),
        };
        lightness = Math.Sign(brightness) switch
        {
            < 0 => lightness * 0.5,
            > 0 => Math.Min(0.72, lightness + 0.25),
            _ => lightness,
        };

        var termHue = terms.Count == 0 ? null : HueOf(terms[beatIndex % terms.Count]);
        int hue, spread;
        if (termHue is { } family)
        {
            // Keep to the family: a little drift between beats, the second colour a close neighbour.
            hue = (family + 350 + (hash[0] % 21)) % 360;
            spread = 15 + (hash[2] % 20);
        }
        else
        {
            hue = BitConverter.ToUInt16(hash, 0) % 360;
            spread = 35 + (hash[2] % 60);
        }

        var seed = BitConverter.ToUInt32(hash, 4);
        var speed = 0.008 + (hash[8] / 255.0 * 0.012);
        return new BackgroundPalette(Hex(hue, saturation, lightness), Hex((hue + spread) % 360, saturation, lightness * 0.8), seed, Math.Round(speed, 4));
    }

    /// <summary>Words a reviewer may ask to see and the hue (degrees) whose colours suggest them.</summary>
    public static IReadOnlyDictionary<string, int> TermHues { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["beach"] = 45, ["sand"] = 45, ["desert"] = 35, ["sun"] = 50, ["summer"] = 50, ["gold"] = 48, ["yellow"] = 55,
        ["sunset"] = 20, ["fire"] = 12, ["autumn"] = 25, ["orange"] = 28, ["coffee"] = 25, ["red"] = 0, ["love"] = 345,
        ["flowers"] = 320, ["pink"] = 330, ["purple"] = 275, ["space"] = 255, ["night"] = 235, ["stars"] = 245, ["galaxy"] = 265,
        ["ocean"] = 205, ["sea"] = 205, ["water"] = 200, ["lake"] = 200, ["sky"] = 210, ["rain"] = 215, ["blue"] = 220,
        ["snow"] = 190, ["ice"] = 188, ["winter"] = 195, ["mountains"] = 160,
        ["forest"] = 125, ["trees"] = 120, ["nature"] = 110, ["garden"] = 100, ["plants"] = 105, ["grass"] = 95, ["green"] = 120,
    };

    private static int? HueOf(string term)
    {
        foreach (var word in term.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var bare = word.Trim('\'', '"', '.', ',', '!', '?');
            if (TermHues.TryGetValue(bare, out var hue) || (bare.EndsWith('s') && TermHues.TryGetValue(bare[..^1], out hue)))
            {
                return hue;
            }
        }

        return null;
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
    /// The ffmpeg arguments for one clip. The gradient is drawn at a quarter of the size and scaled up, which looks
    /// the same (it is smooth) and is several times faster. Each card line is its own drawtext reading its own text
    /// file, because ffmpeg 5.1's drawtext cannot centre lines of a multi-line text.
    /// </summary>
    public IReadOnlyList<string> BuildArguments(BackgroundPalette palette, double seconds, IReadOnlyList<string> lineTextFiles, string outputPath, string format = VideoChoices.DefaultFormat)
    {
        var (width, height) = FrameSize(format);
        var d = FilterGraph.Number(seconds);
        var smallWidth = Even(width / 4);
        var smallHeight = Even(height / 4);
        var source = string.Create(
            CultureInfo.InvariantCulture,
            $"gradients=s={smallWidth}x{smallHeight}:r={media.FramesPerSecond}:c0={palette.From}:c1={palette.To}:speed={FilterGraph.Number(palette.Speed)}:seed={palette.Seed}:d={d}");

        var filters = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=bicubic"));
        var fontSize = CardFontSize(width, height);
        var lineHeight = LineHeight(fontSize);
        // The card is centred in its zone: inside the safe area and above the captions' band, in every frame shape.
        var safe = SafeArea.For(width, height);
        var (zoneTop, zoneBottom) = CardZone(width, height);
        var top = Math.Max(zoneTop, (int)Math.Round(((zoneTop + zoneBottom) / 2.0) - (lineTextFiles.Count * lineHeight / 2.0)));
        for (var i = 0; i < lineTextFiles.Count; i++)
        {
            // Lines fade in one after another; the expression's commas are escaped by FilterGraph.Value.
            var delay = FilterGraph.Number(i * 0.12);
            var fade = FilterGraph.Value($"if(lt(t,{delay}),0,if(lt(t,{delay}+{FilterGraph.Number(FadeInSeconds)}),(t-{delay})/{FilterGraph.Number(FadeInSeconds)},1))");
            filters.Append(CultureInfo.InvariantCulture, $",drawtext=fontfile={FilterGraph.Value(Path.GetFullPath(media.FontFile))}:textfile={FilterGraph.Value(Path.GetFullPath(lineTextFiles[i]))}")
                .Append(CultureInfo.InvariantCulture, $":expansion=none:fontsize={fontSize}:fontcolor=white:borderw={Math.Max(2, fontSize / 14)}:bordercolor=black@0.6")
                .Append(CultureInfo.InvariantCulture, $":x={safe.Left}+({safe.Width}-tw)/2:y={top + (i * lineHeight)}:alpha={fade}");
        }

        filters.Append(",format=yuv420p");

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
            "-an",
            "-t", d,
            "-movflags", "+faststart",
            "-f", "mp4",
            "-y", Path.GetFullPath(outputPath),
        ];
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

    private static string Hex(double hue, double saturation, double lightness)
    {
        // HSL to RGB: keeps every palette at the chosen mood's lightness, so white text always stands out.
        var c = (1 - Math.Abs((2 * lightness) - 1)) * saturation;
        var x = c * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = lightness - (c / 2);
        var (r, g, b) = (hue / 60) switch
        {
            < 1 => (c, x, 0.0),
            < 2 => (x, c, 0.0),
            < 3 => (0.0, c, x),
            < 4 => (0.0, x, c),
            < 5 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return string.Create(CultureInfo.InvariantCulture, $"0x{ToByte(r + m):X2}{ToByte(g + m):X2}{ToByte(b + m):X2}");
    }

    private static int ToByte(double value) => (int)Math.Round(Math.Clamp(value, 0, 1) * 255);
}
