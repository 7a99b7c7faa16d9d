using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ViralForge.Core.Jobs;

namespace ViralForge.Core.Sheets;

/// <summary>The outcome of validating one sheet row: a request to make, or the reasons for the row's Error cell.</summary>
public sealed class RowValidation
{
    private RowValidation(VideoRequest? request, IReadOnlyList<string> errors, IReadOnlyList<string>? languages = null)
    {
        Request = request;
        Errors = errors;
        Languages = languages ?? (request is null ? [] : [request.Language]);
    }

    /// <summary>The request, when the row is valid.</summary>
    public VideoRequest? Request { get; }

    /// <summary>
    /// The languages the row asks for, canonical and without repeats, the first being <see cref="Request"/>'s: the
    /// Languages cell's codes when it is filled, else the Language cell's one; empty when the row is invalid.
    /// </summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>Every reason the row is invalid, in column order; empty when valid.</summary>
    public IReadOnlyList<string> Errors { get; }

    [MemberNotNullWhen(true, nameof(Request))]
    public bool IsValid => Request is not null;

    /// <summary>The text for the row's Error cell: all reasons joined with "; ", or "" when valid.</summary>
    public string Error => string.Join("; ", Errors);

    public static RowValidation Valid(VideoRequest request) => new(request, []);

    /// <summary>A valid row made in several languages; <paramref name="languages"/> starts with the request's own.</summary>
    public static RowValidation Valid(VideoRequest request, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(languages);
        if (languages.Count == 0 || languages[0] != request.Language)
        {
            throw new ArgumentException("The languages start with the request's own.", nameof(languages));
        }
        return new(request, [], languages);
    }

    public static RowValidation Invalid(IReadOnlyList<string> errors) =>
        errors.Count > 0
            ? new(null, errors)
            : throw new ArgumentException("An invalid row needs at least one reason.", nameof(errors));
}

/// <summary>
/// Turns a sheet row into a <see cref="VideoRequest"/>, or explains in words a person can act on why it
/// cannot. Pure: no clock, no I/O, so intake can validate every row of a sheet the same way each time.
/// </summary>
public static partial class RowValidator
{
    public const int MaxTopicLength = 300;
    public const int MinDurationSeconds = 10;
    public const int MaxDurationSeconds = 90;
    public const int DefaultDurationSeconds = 30;
    public const int MaxHashtags = 30;
    public const int MaxChannelLength = 100;
    public const string DefaultStyle = "clean";
    public const string DefaultVoice = VoiceChoice.Default;
    public const string DefaultLanguage = "en";
    public const int MaxLanguages = 10;

    private static readonly string[] PublishAtFormats =
    [
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Validates a row, filling empty choice cells with the built-in defaults.</summary>
    public static RowValidation Validate(SheetRow row) => Validate(row, RowDefaults.Builtin);

    /// <summary>Validates a row, filling empty choice cells (Voice, Music, Caption Style, Format, Watermark, Review Script, Visuals, Channel) from <paramref name="defaults"/>.</summary>
    public static RowValidation Validate(SheetRow row, RowDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(defaults);
        var errors = new List<string>();

        var topic = ParseTopic(row.Get(SheetContract.Topic), errors);
        var platforms = ParsePlatforms(row.Get(SheetContract.Platform), errors);
        var duration = ParseDuration(row.Get(SheetContract.Duration), errors);
        var style = OrDefault(row.Get(SheetContract.Style), DefaultStyle);
        var voice = ParseVoice(row.Get(SheetContract.Voice), defaults.Voice, errors);
        // Languages wins: when it is filled the row is made in exactly its languages and the Language cell is not read.
        var languages = ParseLanguages(row.Get(SheetContract.Languages), errors);
        var language = languages is null ? ParseLanguage(row.Get(SheetContract.Language), errors) : languages.FirstOrDefault() ?? DefaultLanguage;
        var publishAt = ParsePublishAt(row.Get(SheetContract.PublishAt), errors);
        var hashtags = ParseHashtags(row.Get(SheetContract.Hashtags), errors);
        var notes = row.Get(SheetContract.Notes).Trim();
        var music = ParseMusic(row.Get(SheetContract.Music), defaults.Music, errors);
        var captionStyle = ParseWord(row.Get(SheetContract.CaptionStyle), defaults.CaptionStyle, SheetContract.CaptionStyle, VideoChoices.CaptionStyles, errors);
        var format = ParseFormat(row.Get(SheetContract.Format), defaults.Format, errors);
        var watermark = ParseWatermark(row.Get(SheetContract.Watermark), defaults.Watermark, errors);
        var reviewScript = ParseYesNo(row.Get(SheetContract.ReviewScript), defaults.ReviewScript, SheetContract.ReviewScript, errors);
        var visuals = ParseWord(row.Get(SheetContract.Visuals), defaults.Visuals, SheetContract.Visuals, VideoChoices.VisualSources, errors);
        var channel = ParseChannel(row.Get(SheetContract.Channel), defaults.Channel, errors);

        if (errors.Count > 0)
        {
            return RowValidation.Invalid(errors);
        }
        var request = new VideoRequest(
            topic, platforms, duration, style, voice, language, publishAt, hashtags, notes,
            music, captionStyle, format, watermark, reviewScript, visuals, channel);
        return languages is null ? RowValidation.Valid(request) : RowValidation.Valid(request, languages);
    }

    /// <summary>
    /// Checks a default from settings the way a cell is checked, so a bad setting stops the host at start-up with the
    /// same words a bad cell gets; returns the reasons, empty when every default is a value a cell may hold.
    /// </summary>
    public static IReadOnlyList<string> CheckDefaults(RowDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var errors = new List<string>();
        ParseVoice(defaults.Voice, VoiceChoice.Default, errors);
        ParseMusic(defaults.Music, VideoChoices.DefaultMusic, errors);
        ParseWord(defaults.CaptionStyle, VideoChoices.DefaultCaptionStyle, SheetContract.CaptionStyle, VideoChoices.CaptionStyles, errors);
        ParseFormat(defaults.Format, VideoChoices.DefaultFormat, errors);
        ParseWatermark(defaults.Watermark, VideoChoices.WatermarkOn, errors);
        ParseWord(defaults.Visuals, VideoChoices.DefaultVisuals, SheetContract.Visuals, VideoChoices.VisualSources, errors);
        ParseChannel(defaults.Channel, "", errors);
        return errors;
    }

    /// <summary>
    /// A connected account's name, free text: which accounts exist is known only when publishing (`vf connect --list`),
    /// so the publish stage, not this check, says when no such account is connected.
    /// </summary>
    private static string ParseChannel(string cell, string fallback, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        if (text.Length > MaxChannelLength)
        {
            errors.Add($"Channel is {text.Length} characters long; write the channel's or account's name as vf connect --list shows it (at most {MaxChannelLength})");
        }
        return text;
    }

    private static string ParseVoice(string cell, string fallback, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        if (string.Equals(text, VoiceChoice.Default, StringComparison.OrdinalIgnoreCase))
        {
            return VoiceChoice.Default;
        }
        var choice = VoiceChoice.Parse(text);
        if (choice is null || !VoiceChoice.Providers.Contains(choice.Provider))
        {
            errors.Add($"Voice \"{text}\" is not provider:voice; write e.g. espeak:en+f3, openai:alloy or elevenlabs:Rachel, or leave it empty for the default voice");
            return text;
        }
        return choice.ToString();
    }

    private static string ParseMusic(string cell, string fallback, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        if (string.Equals(text, VideoChoices.MusicNone, StringComparison.OrdinalIgnoreCase))
        {
            return VideoChoices.MusicNone;
        }
        if (VideoChoices.MusicMoods.FirstOrDefault(m => string.Equals(m, text, StringComparison.OrdinalIgnoreCase)) is { } mood)
        {
            return mood;
        }
        if (VideoChoices.IsBlobReference(text) && VideoChoices.AudioExtensions.Contains(Path.GetExtension(text).ToLowerInvariant()))
        {
            return text;
        }
        errors.Add($"Music \"{text}\" is not none, a mood ({string.Join(", ", VideoChoices.MusicMoods)}) or an audio file in the blob store (e.g. music/theme.mp3)");
        return text;
    }

    private static string ParseFormat(string cell, string fallback, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        var format = text.Replace(" ", "", StringComparison.Ordinal).Replace('x', ':').Replace('/', ':').ToLowerInvariant() switch
        {
            "9:16" or "vertical" or "portrait" => VideoChoices.Vertical,
            "1:1" or "square" => VideoChoices.Square,
            "16:9" or "landscape" or "horizontal" => VideoChoices.Landscape,
            _ => null,
        };
        if (format is null)
        {
            errors.Add($"Format \"{text}\" is not allowed; use 9:16 (vertical), 1:1 (square) or 16:9 (landscape)");
            return text;
        }
        return format;
    }

    private static string ParseWatermark(string cell, string fallback, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        switch (text.ToLowerInvariant())
        {
            case "on" or "yes" or "true":
                return VideoChoices.WatermarkOn;
            case "off" or "no" or "false" or "none":
                return VideoChoices.WatermarkOff;
        }
        if (VideoChoices.IsBlobReference(text) && VideoChoices.ImageExtensions.Contains(Path.GetExtension(text).ToLowerInvariant()))
        {
            return text;
        }
        errors.Add($"Watermark \"{text}\" is not on, off or an image in the blob store (e.g. brand/logo.png)");
        return text;
    }

    private static string ParseWord(string cell, string fallback, string column, IReadOnlyList<string> allowed, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        if (allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase)) is { } word)
        {
            return word;
        }
        errors.Add($"{column} \"{text}\" is not allowed; use {string.Join(", ", allowed.SkipLast(1))} or {allowed[^1]}");
        return text;
    }

    private static bool ParseYesNo(string cell, bool fallback, string column, List<string> errors)
    {
        var text = cell.Trim();
        switch (text.ToLowerInvariant())
        {
            case "":
                return fallback;
            case "yes" or "y" or "true" or "on" or "x" or "\u2713" or "\u2714":
                return true;
            case "no" or "n" or "false" or "off":
                return false;
            default:
                errors.Add($"{column} \"{text}\" is not yes or no");
                return fallback;
        }
    }

    private static string OrDefault(string cell, string fallback) =>
        cell.Trim() is { Length: > 0 } value ? value : fallback;

    private static string ParseTopic(string cell, List<string> errors)
    {
        var topic = cell.Trim();
        if (topic.Length == 0)
        {
            errors.Add("Topic is required");
            return topic;
        }
        // Count what the person sees (an emoji family is one character to them, up to 11 UTF-16 units).
        var length = new StringInfo(topic).LengthInTextElements;
        if (length > MaxTopicLength)
        {
            errors.Add($"Topic is {length} characters long; the limit is {MaxTopicLength}");
        }
        return topic;
    }

    private static Platforms ParsePlatforms(string cell, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return Platforms.YouTube;
        }
        var platforms = Platforms.None;
        foreach (var word in ListSeparator().Split(text))
        {
            var platform = word.ToUpperInvariant() switch
            {
                "" => Platforms.None,
                "YOUTUBE" => Platforms.YouTube,
                "TIKTOK" => Platforms.TikTok,
                "BOTH" => Platforms.Both,
                _ => (Platforms?)null,
            };
            if (platform is null)
            {
                platforms = Platforms.None;
                break;
            }
            platforms |= platform.Value;
        }
        // None also when the cell holds only separators, e.g. ",": not blank, so the default would be a guess.
        if (platforms == Platforms.None)
        {
            errors.Add($"Platform \"{text}\" is not allowed; use youtube, tiktok or both");
        }
        return platforms;
    }

    private static int ParseDuration(string cell, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return DefaultDurationSeconds;
        }
        long seconds;
        if (SecondsPattern().Match(text) is { Success: true } plain)
        {
            seconds = long.Parse(plain.Groups["s"].ValueSpan, CultureInfo.InvariantCulture);
        }
        else if (ClockPattern().Match(text) is { Success: true } clock)
        {
            var hours = clock.Groups["h"].Success ? long.Parse(clock.Groups["h"].ValueSpan, CultureInfo.InvariantCulture) : 0;
            seconds = (hours * 3600)
                + (long.Parse(clock.Groups["m"].ValueSpan, CultureInfo.InvariantCulture) * 60)
                + long.Parse(clock.Groups["s"].ValueSpan, CultureInfo.InvariantCulture);
        }
        else
        {
            errors.Add($"Duration \"{text}\" is not a length in seconds; write e.g. 45, 45s or 0:45");
            return 0;
        }
        if (seconds is < MinDurationSeconds or > MaxDurationSeconds)
        {
            errors.Add($"Duration {seconds} s is outside {MinDurationSeconds}-{MaxDurationSeconds} s");
            return 0;
        }
        return (int)seconds;
    }

    private static string ParseLanguage(string cell, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return DefaultLanguage;
        }
        if (CanonicalLanguage(text) is not { } tag)
        {
            errors.Add($"Language \"{text}\" is not a language tag; write e.g. en, en-US, pt-BR or ar");
            return text;
        }
        return tag;
    }

    /// <summary>
    /// The Languages cell ("en, es, pt-BR"): null when it is empty (the Language cell decides), else its codes in
    /// canonical form, in the order written, each once. Every code that is not a language tag is named in one reason.
    /// </summary>
    private static List<string>? ParseLanguages(string cell, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return null;
        }
        var languages = new List<string>();
        var bad = new List<string>();
        foreach (var code in ListSeparator().Split(text).Where(c => c.Length > 0))
        {
            if (CanonicalLanguage(code) is not { } tag)
            {
                bad.Add($"\"{code}\"");
            }
            else if (!languages.Contains(tag, StringComparer.Ordinal))
            {
                languages.Add(tag);
            }
        }
        if (bad.Count > 0)
        {
            var what = bad.Count == 1 ? $"{bad[0]} is not a language tag" : $"{string.Join(", ", bad)} are not language tags";
            errors.Add($"Languages \"{text}\": {what}; write codes separated by commas, e.g. en, es, pt-BR");
        }
        else if (languages.Count == 0)
        {
            // Only separators, e.g. ",": not blank, so falling back to Language would be a guess.
            errors.Add($"Languages \"{text}\" has no language code; write codes separated by commas, e.g. en, es, pt-BR");
        }
        else if (languages.Count > MaxLanguages)
        {
            errors.Add($"Languages has {languages.Count} languages; the limit is {MaxLanguages} (one video each)");
        }
        return languages;
    }

    /// <summary>
    /// A language tag in canonical casing (en, en-US, zh-Hant-TW), so voice and caption lookups downstream can compare
    /// tags ordinally; null when <paramref name="text"/> is not the common shape of a BCP 47 tag.
    /// </summary>
    public static string? CanonicalLanguage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = LanguageTagPattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }
        var tag = new StringBuilder(match.Groups["lang"].Value.ToLowerInvariant());
        if (match.Groups["script"].Success)
        {
            var script = match.Groups["script"].Value;
            tag.Append('-').Append(char.ToUpperInvariant(script[0])).Append(script[1..].ToLowerInvariant());
        }
        if (match.Groups["region"].Success)
        {
            tag.Append('-').Append(match.Groups["region"].Value.ToUpperInvariant());
        }
        foreach (Capture variant in match.Groups["variant"].Captures)
        {
            tag.Append('-').Append(variant.Value.ToLowerInvariant());
        }
        return tag.ToString();
    }

    private static DateTimeOffset? ParsePublishAt(string cell, List<string> errors)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return null;
        }
        // A time without an offset is taken as UTC: the sheet has no time zone we could trust, and UTC is
        // the one reading that does not depend on where the function happens to run.
        if (DateTimeOffset.TryParseExact(
                text, PublishAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }
        errors.Add($"Publish At \"{text}\" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00");
        return null;
    }

    private static List<string> ParseHashtags(string cell, List<string> errors)
    {
        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in ListSeparator().Split(cell))
        {
            var tag = KeepTagCharacters(word.TrimStart('#'));
            if (tag.Length > 0 && seen.Add(tag))
            {
                tags.Add(tag);
            }
        }
        if (tags.Count > MaxHashtags)
        {
            errors.Add($"Hashtags has {tags.Count} tags; the limit is {MaxHashtags}");
        }
        return tags;
    }

    // Letters, digits and '_' as platforms allow, plus combining marks: without them Hindi, Thai or
    // vowelled Arabic words fall apart. Runes, not chars, so letters outside the BMP survive too.
    private static string KeepTagCharacters(string word)
    {
        var kept = new StringBuilder(word.Length);
        foreach (var rune in word.EnumerateRunes())
        {
            var keep = rune.Value == '_' || Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
                UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.EnclosingMark => true,
                UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
                _ => false,
            };
            if (keep)
            {
                kept.Append(rune.ToString());
            }
        }
        return kept.ToString();
    }

    [GeneratedRegex(@"[\s,]+")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"^(?<s>[0-9]{1,9})\s*(?:s|sec|secs|second|seconds)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecondsPattern();

    // m:ss, or h:mm:ss because spreadsheet apps like to show durations that way.
    [GeneratedRegex(@"^(?:(?<h>[0-9]{1,3}):)?(?<m>[0-9]{1,4}):(?<s>[0-5][0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();

    // The common shape of a BCP 47 tag: language, optional script, optional region, optional variants.
    [GeneratedRegex(
        @"^(?<lang>[A-Za-z]{2,3})(?:-(?<script>[A-Za-z]{4}))?(?:-(?<region>[A-Za-z]{2}|[0-9]{3}))?(?:-(?<variant>[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTagPattern();
}
