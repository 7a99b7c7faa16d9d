using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Ports;
using ViralForge.Render;

namespace ViralForge.Adapters.Local;

/// <summary>The two colours, seed and drift speed of one beat's moving gradient; hex colours as ffmpeg reads them (0xRRGGBB).</summary>
public sealed record BackgroundPalette(string From, string To, long Seed, double Speed);

/// <summary>
/// Offline visuals: for each beat, a moving gradient made by ffmpeg's lavfi sources with the beat's card text on it,
/// encoded as a fast intermediate H.264 clip (beat-01.mp4, ...) that the renderer re-encodes anyway.
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

    /// <summary>Card font size: large, about 11-12 characters of bold text per line at any width.</summary>
    public int CardFontSize => (int)Math.Round(media.Width * 0.085);

    /// <summary>Characters per card line that fit 86% of the width (bold DejaVu capitals are about 0.68 em wide).</summary>
    public int CardCharsPerLine => Math.Max(6, (int)(media.Width * 0.86 / (CardFontSize * 0.68)));

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
                var lineFiles = await WriteCardLinesAsync(workFolder, i, beats[i].CardText, cancellationToken).ConfigureAwait(false);
                var partial = AtomicFile.TemporaryPathFor(outputPath, ".partial.mp4");
                try
                {
                    var palette = ChoosePalette(request.JobId, i, request.Style);
                    await runner.RunAsync(BuildArguments(palette, seconds, lineFiles, partial), cancellationToken).ConfigureAwait(false);
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
    /// calm styles are muted, bold ones saturated, dark ones deep.
    /// </summary>
    public static BackgroundPalette ChoosePalette(Guid jobId, int beatIndex, string style)
    {
        var styleWord = (style ?? string.Empty).Trim().ToLowerInvariant();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{jobId:N}|{beatIndex}|{styleWord}")));
        var (saturation, lightness) = styleWord switch
        {
            "calm" or "minimal" or "soft" or "pastel" or "clean" => (0.35, 0.42),
            "bold" or "energetic" or "hype" or "vibrant" or "fun" or "playful" => (0.85, 0.45),
            "dark" or "moody" or "cinematic" or "dramatic" => (0.55, 0.22),
            _ => (0.65, 0.36),
        };

        var hue = BitConverter.ToUInt16(hash, 0) % 360;
        var spread = 35 + (hash[2] % 60);
        var seed = BitConverter.ToUInt32(hash, 4);
        var speed = 0.008 + (hash[8] / 255.0 * 0.012);
        return new BackgroundPalette(Hex(hue, saturation, lightness), Hex((hue + spread) % 360, saturation, lightness * 0.8), seed, Math.Round(speed, 4));
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
    public IReadOnlyList<string> BuildArguments(BackgroundPalette palette, double seconds, IReadOnlyList<string> lineTextFiles, string outputPath)
    {
        var d = FilterGraph.Number(seconds);
        var smallWidth = Even(media.Width / 4);
        var smallHeight = Even(media.Height / 4);
        var source = string.Create(
            CultureInfo.InvariantCulture,
            $"gradients=s={smallWidth}x{smallHeight}:r={media.FramesPerSecond}:c0={palette.From}:c1={palette.To}:speed={FilterGraph.Number(palette.Speed)}:seed={palette.Seed}:d={d}");

        var filters = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"scale={media.Width}:{media.Height}:flags=bicubic"));
        var fontSize = CardFontSize;
        var lineHeight = (int)Math.Round(fontSize * 1.3);
        // The card sits above the middle, clear of the captions in the lower part of the frame.
        var top = (int)Math.Round((media.Height * 0.40) - (lineTextFiles.Count * lineHeight / 2.0));
        for (var i = 0; i < lineTextFiles.Count; i++)
        {
            // Lines fade in one after another; the expression's commas are escaped by FilterGraph.Value.
            var delay = FilterGraph.Number(i * 0.12);
            var fade = FilterGraph.Value($"if(lt(t,{delay}),0,if(lt(t,{delay}+{FilterGraph.Number(FadeInSeconds)}),(t-{delay})/{FilterGraph.Number(FadeInSeconds)},1))");
            filters.Append(CultureInfo.InvariantCulture, $",drawtext=fontfile={FilterGraph.Value(Path.GetFullPath(media.FontFile))}:textfile={FilterGraph.Value(Path.GetFullPath(lineTextFiles[i]))}")
                .Append(CultureInfo.InvariantCulture, $":expansion=none:fontsize={fontSize}:fontcolor=white:borderw={Math.Max(2, fontSize / 14)}:bordercolor=black@0.6")
                .Append(CultureInfo.InvariantCulture, $":x=(w-tw)/2:y={top + (i * lineHeight)}:alpha={fade}");
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

    private async Task<IReadOnlyList<string>> WriteCardLinesAsync(string workFolder, int beatIndex, string cardText, CancellationToken cancellationToken)
    {
        var lines = WrapCardText(cardText, CardCharsPerLine, MaxCardLines);
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
