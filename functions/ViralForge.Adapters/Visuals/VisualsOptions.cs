using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Visuals;

/// <summary>
/// How the visuals stage chooses footage (section Visuals): which stock sites in which order, which video model, how
/// sharp and how fresh a clip must be, and how long search answers are kept.
/// </summary>
public sealed class VisualsOptions : IValidatableObject
{
    public const string SectionName = "Visuals";

    public const string Pexels = "pexels";
    public const string Pixabay = "pixabay";
    public const string Runway = "runway";
    public const string Veo = "veo";

    /// <summary>
    /// The stock sites tried for a beat, in order; a site whose key is not set is skipped. Empty means
    /// <see cref="DefaultStockSources"/> (a default list here would be appended to, not replaced, by the configuration binder).
    /// </summary>
    public List<string> StockSources { get; set; } = [];

    /// <summary>Pexels first: its portrait filter and sizes answer a 9:16 frame best; Pixabay after it.</summary>
    public static IReadOnlyList<string> DefaultStockSources { get; } = [Pexels, Pixabay];

    /// <summary>The sites in the order they are tried: <see cref="StockSources"/>, or the default order when it is empty.</summary>
    public IReadOnlyList<string> StockSourceOrder => StockSources.Count == 0 ? DefaultStockSources : [.. StockSources.Distinct(StringComparer.Ordinal)];

    /// <summary>runway or veo; empty asks the first video model whose settings are set.</summary>
    public string AiProvider { get; set; } = "";

    /// <summary>A stock clip shown in one of the sheet's last this many videos is used again only when no other fits.</summary>
    [Range(0, 1000)]
    public int HistoryVideos { get; set; } = 20;

    /// <summary>
    /// Pixels a rendition should have along the frame's long side (its height in a 9:16 frame, once cropped to fill):
    /// 1080 takes a 1080p clip of either orientation; a clip below it is used only when no sharper one matches.
    /// </summary>
    [Range(144, 4320)]
    public int MinLongSide { get; set; } = 1080;

    /// <summary>
    /// A rendition with a side this long or longer (4K) is downloaded only when the clip offers nothing between
    /// <see cref="MinLongSide"/> and it: a 4K file is several times the bytes of the 1080p one and looks the same in a 1080p frame.
    /// </summary>
    [Range(720, 8192)]
    public int FourKSide { get; set; } = 3000;

    /// <summary>How long a search answer is kept in the blob store; Pixabay asks for 24 h. 0 turns the cache off.</summary>
    [Range(0, 24 * 30)]
    public double CacheHours { get; set; } = 24;

    /// <summary>Videos asked for in one search; the picker chooses among them.</summary>
    [Range(3, 80)]
    public int PerPage { get; set; } = 40;

    /// <summary>The largest clip file downloaded; a bigger one is skipped for the next candidate.</summary>
    [Range(1, 4096)]
    public int MaxDownloadMegabytes { get; set; } = 200;

    /// <summary>How long one clip's download may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(3);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var source in StockSources.Where(s => s is not (Pexels or Pixabay)))
        {
            yield return new ValidationResult($"Visuals:StockSources has '{source}'; the stock sources are {Pexels} and {Pixabay}.", [nameof(StockSources)]);
        }
        if (AiProvider.Length > 0 && AiProvider is not (Runway or Veo))
        {
            yield return new ValidationResult($"Visuals:AiProvider is '{AiProvider}'; set it to {Runway} or {Veo}, or leave it empty for the first one configured.", [nameof(AiProvider)]);
        }
        if (FourKSide <= MinLongSide)
        {
            yield return new ValidationResult($"Visuals:FourKSide ({FourKSide}) must be above Visuals:MinLongSide ({MinLongSide}).", [nameof(FourKSide)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="VisualsOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class VisualsOptionsValidator : IValidateOptions<VisualsOptions>;
