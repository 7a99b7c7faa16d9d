using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Visuals;

/// <summary>A stock clip chosen for a beat, the rendition to download, and how well it fits.</summary>
/// <param name="Sharp">The rendition has <see cref="VisualsOptions.MinLongSide"/> pixels on the frame's long side once cropped to fill.</param>
/// <param name="LongEnough">The clip lasts the beat; a shorter one is looped by the renderer.</param>
/// <param name="Fresh">The clip was not in the sheet's recent videos.</param>
public sealed record StockChoice(StockClip Clip, StockRendition Rendition, bool Sharp, bool LongEnough, bool Fresh);

/// <summary>
/// Chooses among a search's clips for one beat, and the file to download of the chosen clip. Pure, so each rule is
/// tested on its own: no clip twice in one video (a hard rule), then clips not in the sheet's recent videos, then sharp
/// ones, then ones that last the beat, and in the site's own order (its relevance) among equals.
/// </summary>
public static class StockClipPicker
{
    /// <summary>The candidates for a beat, best first; clips already in this video are left out.</summary>
    public static IReadOnlyList<StockChoice> Rank(
        IEnumerable<StockClip> clips, double beatSeconds, int frameWidth, int frameHeight, VisualsOptions options,
        IReadOnlySet<string> usedInVideo, IReadOnlySet<string> recentlyUsed)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(usedInVideo);
        ArgumentNullException.ThrowIfNull(recentlyUsed);
        var needed = Math.Min(options.MinLongSide, Math.Max(frameWidth, frameHeight));
        return [.. clips
            .Where(c => !usedInVideo.Contains(c.Key))
            .Select(c => (Clip: c, Rendition: ChooseRendition(c, frameWidth, frameHeight, options)))
            .Where(c => c.Rendition is not null)
            .Select(c => new StockChoice(
                c.Clip, c.Rendition!,
                Sharp: PixelsOnLongSide(c.Rendition!, frameWidth, frameHeight) >= needed,
                // Pexels and Pixabay give whole seconds: a clip of the beat's length rounded down still loops a moment.
                LongEnough: c.Clip.DurationSeconds >= beatSeconds,
                Fresh: !recentlyUsed.Contains(c.Clip.Key)))
            // OrderBy is stable: among equals the site's order stays.
            .OrderByDescending(c => c.Fresh)
            .ThenByDescending(c => c.Sharp)
            .ThenByDescending(c => c.LongEnough)];
    }

    /// <summary>
    /// The rendition to download: the smallest that fills the frame without scaling up; else the sharpest below it. A 4K
    /// file (<see cref="VisualsOptions.FourKSide"/>) only when nothing under 4K reaches <see cref="VisualsOptions.MinLongSide"/>:
    /// it looks no better in a 1080p frame and is several times the bytes. Null when the clip offers no rendition.
    /// </summary>
    public static StockRendition? ChooseRendition(StockClip clip, int frameWidth, int frameHeight, VisualsOptions options)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(options);
        var sized = clip.Renditions.Where(r => r.Width > 0 && r.Height > 0).ToList();
        if (sized.Count == 0)
        {
            return null;
        }
        var needed = Math.Min(options.MinLongSide, Math.Max(frameWidth, frameHeight));
        var underFourK = sized.Where(r => Math.Max(r.Width, r.Height) < options.FourKSide).ToList();
        var pool = underFourK.Any(r => PixelsOnLongSide(r, frameWidth, frameHeight) >= needed) ? underFourK : sized;
        var frameLong = Math.Max(frameWidth, frameHeight);
        var filling = pool.Where(r => PixelsOnLongSide(r, frameWidth, frameHeight) >= frameLong).ToList();
        return filling.Count > 0
            ? filling.MinBy(r => (long)r.Width * r.Height)
            : pool.MaxBy(r => (PixelsOnLongSide(r, frameWidth, frameHeight), (long)r.Width * r.Height));
    }

    /// <summary>
    /// The rendition's pixels that land on the frame's long side once scaled and cropped to fill it: a 1920x1080 file in
    /// a 1080x1920 frame gives its 1080 rows, a 1080x1920 file all its 1920.
    /// </summary>
    public static int PixelsOnLongSide(StockRendition rendition, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return frameHeight >= frameWidth
            ? (int)Math.Min(rendition.Height, (double)rendition.Width * frameHeight / frameWidth)
            : (int)Math.Min(rendition.Width, (double)rendition.Height * frameWidth / frameHeight);
    }
}
