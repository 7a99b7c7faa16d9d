namespace ViralForge.Core.Sheets;

/// <summary>
/// The column names of the sheet contract (ARCHITECTURE.md). Columns are matched by header text,
/// case-insensitively and ignoring surrounding spaces, in any order.
/// </summary>
public static class SheetContract
{
    public const string Topic = "Topic";
    public const string Platform = "Platform";
    public const string Duration = "Duration";
    public const string Style = "Style";
    public const string Voice = "Voice";
    public const string Language = "Language";
    public const string PublishAt = "Publish At";
    public const string Hashtags = "Hashtags";
    public const string Notes = "Notes";
    public const string Music = "Music";
    public const string CaptionStyle = "Caption Style";
    public const string Format = "Format";
    public const string Watermark = "Watermark";
    public const string ReviewScript = "Review Script";
    public const string Visuals = "Visuals";
    public const string Channel = "Channel";
    public const string Languages = "Languages";

    public const string JobId = "Job ID";
    public const string Status = "Status";
    public const string Stage = "Stage";
    public const string Video = "Video";
    public const string Preview = "Preview";
    public const string PublishedUrl = "Published URL";
    public const string Error = "Error";
    public const string Cost = "Cost";
    public const string Updated = "Updated";
    public const string Views = "Views";
    public const string Likes = "Likes";
    public const string AvgViewPercent = "Avg View %";
    public const string MetricsUpdated = "Metrics Updated";

    /// <summary>Each platform's link when a row publishes to more than one (Published URL keeps the first platform's).</summary>
    public const string PublishedUrlYouTube = "Published URL (YouTube)";
    public const string PublishedUrlTikTok = "Published URL (TikTok)";

    /// <summary>Columns the person writes; the product never writes into them.</summary>
    public static IReadOnlyList<string> InputColumns { get; } =
        [Topic, Platform, Duration, Style, Voice, Language, PublishAt, Hashtags, Notes, Music, CaptionStyle, Format, Watermark, ReviewScript, Visuals, Channel, Languages];

    /// <summary>
    /// The input columns added after the first release (the per-row choices). <see cref="RowHasher"/> hashes them only
    /// when filled, so a row that leaves them empty keeps the hash its job was stored under.
    /// </summary>
    public static IReadOnlyList<string> ChoiceColumns { get; } = [Music, CaptionStyle, Format, Watermark, ReviewScript, Visuals, Channel, Languages];

    /// <summary>Columns the product writes, created at the right of the sheet when missing, in this order.</summary>
    public static IReadOnlyList<string> OutputColumns { get; } =
        [JobId, Status, Stage, Video, Preview, PublishedUrl, Error, Cost, Updated, Views, Likes, AvgViewPercent, MetricsUpdated];

    /// <summary>
    /// Output columns made only when a write first puts a value in one (a row published to both platforms), at the right
    /// of the sheet, so a sheet that never needs them never gets them.
    /// </summary>
    public static IReadOnlyList<string> OnDemandOutputColumns { get; } = [PublishedUrlYouTube, PublishedUrlTikTok];

    /// <summary>
    /// The output columns each further language of a Languages row gets, named "Job ID (es)", "Status (es)", ...
    /// (<see cref="ForLanguage"/>): the first language's job writes the row's own output columns.
    /// </summary>
    public static IReadOnlyList<string> LanguageOutputColumns { get; } = [JobId, Status, Video, Error];

    /// <summary>The per-language output column <paramref name="column"/> for <paramref name="language"/> (a canonical tag): "Status (es)".</summary>
    public static string ForLanguage(string column, string language) => $"{column} ({language})";

    /// <summary>
    /// The canonical name of a header cell, or null when the column is not part of the contract. A per-language output
    /// column ("status (PT-br)") comes back as <see cref="ForLanguage"/> names it ("Status (pt-BR)").
    /// </summary>
    public static string? Canonical(string header)
    {
        var trimmed = header.Trim();
        foreach (var name in InputColumns.Concat(OutputColumns).Concat(OnDemandOutputColumns))
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }
        return LanguageColumn(trimmed) is { } perLanguage ? ForLanguage(perLanguage.Column, perLanguage.Language) : null;
    }

    public static bool IsOutput(string canonicalName) =>
        OutputColumns.Contains(canonicalName) || OnDemandOutputColumns.Contains(canonicalName) || LanguageColumn(canonicalName) is not null;

    /// <summary>The column and language of a per-language output column's name ("Video (es)"), or null when it is not one.</summary>
    public static (string Column, string Language)? LanguageColumn(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var open = name.LastIndexOf('(');
        if (open <= 0 || !name.EndsWith(')'))
        {
            return null;
        }
        var column = name[..open].Trim();
        var language = RowValidator.CanonicalLanguage(name[(open + 1)..^1]);
        var known = LanguageOutputColumns.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
        return known is null || language is null ? null : (known, language);
    }
}
