using ViralForge.Core.Jobs;

namespace ViralForge.Core.Ports;

/// <summary>
/// Who made a clip that is not ours, as the stock site or video model gives it: kept per clip in the visuals output and
/// written into the video's description and manifest (Pexels asks for "Video by X on Pexels"; Pixabay for its source).
/// </summary>
/// <param name="Provider">pexels, pixabay, runway or veo.</param>
/// <param name="ClipId">The provider's id of the clip (a stock video id, a generation task id).</param>
/// <param name="Author">The creator's name ("Runway" or "Google Veo" for a generated clip).</param>
/// <param name="PageUrl">The clip's page on the provider's site; empty for a generated clip.</param>
/// <param name="Licence">The licence's name and where it is read ("Pexels License, https://www.pexels.com/license/").</param>
public sealed record ClipCredit(string Provider, string ClipId, string Author, string? AuthorUrl, string PageUrl, string Licence)
{
    /// <summary>One line of the description's credits, e.g. "Video by Jane Doe on Pexels: https://www.pexels.com/video/…".</summary>
    public string Line() => PageUrl.Length == 0 ? $"Generated with {Author}" : $"Video by {Author} on {ProviderTitle}: {PageUrl}";

    private string ProviderTitle => Provider.Length == 0 ? Provider : char.ToUpperInvariant(Provider[0]) + Provider[1..];
}

/// <summary>What a stock search asks for: the beat's visual query in the row's language, shaped for the row's frame.</summary>
/// <param name="Query">The beat's visual search query (the script's, or the reviewer's words on a regenerate).</param>
/// <param name="Orientation">portrait, landscape or square: the row's Format; a source without that filter filters locally.</param>
/// <param name="MinSeconds">The beat's length: a shorter clip is looped or combined with another.</param>
/// <param name="Language">The row's BCP 47 language, for sources that search in it (Pexels locale, Pixabay lang).</param>
/// <param name="PerPage">How many answers to ask for in one request.</param>
public sealed record StockSearch(string Query, string Orientation, double MinSeconds, string Language, int PerPage = 40);

/// <summary>One rendition of a stock video: a downloadable file of a size.</summary>
public sealed record StockRendition(Uri Url, int Width, int Height, double? FramesPerSecond, long? SizeBytes);

/// <summary>A stock video as a search answered it, with every rendition it offers (never hotlinked: downloaded first).</summary>
public sealed record StockClip(string Provider, string Id, double DurationSeconds, int Width, int Height, IReadOnlyList<StockRendition> Renditions, ClipCredit Credit)
{
    /// <summary>provider:id, the key distinctness is judged by (no clip twice in a video, nor in the sheet's last videos).</summary>
    public string Key => $"{Provider}:{Id}";
}

/// <summary>A stock footage site: Pexels or Pixabay. Answers are cached and the site's rate limit is held by the adapter.</summary>
public interface IStockFootageSource
{
    /// <summary>pexels or pixabay.</summary>
    string Name { get; }

    /// <summary>Videos matching the search, best first as the site ranks them; empty when nothing matches.</summary>
    Task<IReadOnlyList<StockClip>> SearchAsync(StockSearch search, CancellationToken cancellationToken);

    /// <summary>Downloads one rendition to <paramref name="path"/> (atomically: a partial file never stays under that name).</summary>
    Task DownloadAsync(StockRendition rendition, string path, CancellationToken cancellationToken);
}

/// <summary>What to generate for one beat.</summary>
/// <param name="Prompt">The beat's scene, from the script (its visual query and narration).</param>
/// <param name="Format">The row's frame shape (<see cref="VideoChoices.Formats"/>): the model's nearest ratio is asked for.</param>
/// <param name="Seconds">The beat's length: the model's nearest allowed duration is asked for, and the renderer loops or cuts.</param>
/// <param name="Work">The paid work this generation is: the vendor's task or operation id is stored under it before polling.</param>
public sealed record VideoPrompt(string Prompt, string Format, double Seconds, PaidWork Work);

/// <summary>A generated clip downloaded to a local file.</summary>
public sealed record GeneratedVideo(string LocalPath, double DurationSeconds, ClipCredit Credit);

/// <summary>An AI video model: Runway or Veo. Every paid generation is recorded in the cost ledger and never made twice.</summary>
public interface IVideoGenerator
{
    /// <summary>runway or veo.</summary>
    string Name { get; }

    /// <summary>
    /// Generates the clip into <paramref name="outputPath"/>. The vendor's task or operation id is recorded under
    /// <see cref="VideoPrompt.Work"/> before the first poll, so a redelivery resumes that generation instead of paying
    /// for another. Still running at the deadline: <see cref="Stages.WorkStillRunningException"/>. Failed or refused by the
    /// vendor's moderation: <see cref="VideoGenerationFailedException"/>, which the visuals fall back from to stock.
    /// </summary>
    Task<GeneratedVideo> GenerateAsync(VideoPrompt prompt, string outputPath, CancellationToken cancellationToken);
}

/// <summary>A generation the vendor failed or refused (moderation, a bad output); the reason is safe to show the row.</summary>
public sealed class VideoGenerationFailedException(string provider, string reason) : Exception($"{provider} did not make the clip: {reason}")
{
    public string Provider { get; } = provider;

    public string Reason { get; } = reason;
}
