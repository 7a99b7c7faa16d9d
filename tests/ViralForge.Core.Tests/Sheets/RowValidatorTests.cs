using ViralForge.Core.Jobs;
using ViralForge.Core.Sheets;

namespace ViralForge.Core.Tests.Sheets;

public class RowValidatorTests
{
    private static SheetRow Row(params (string Column, string Value)[] cells)
    {
        var all = new Dictionary<string, string> { [SheetContract.Topic] = "Why cats knock things over" };
        foreach (var (column, value) in cells)
        {
            all[column] = value;
        }
        return new SheetRow(1, all);
    }

    private static VideoRequest ValidRequest(params (string Column, string Value)[] cells)
    {
        var result = RowValidator.Validate(Row(cells));
        Assert.True(result.IsValid, result.Error);
        Assert.Empty(result.Errors);
        Assert.Equal("", result.Error);
        return result.Request;
    }

    private static string InvalidError(params (string Column, string Value)[] cells)
    {
        var result = RowValidator.Validate(Row(cells));
        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        return result.Error;
    }

    [Fact]
    public void Topic_only_row_gets_every_default()
    {
        var request = ValidRequest();

        Assert.Equal("Why cats knock things over", request.Topic);
        Assert.Equal(Platforms.YouTube, request.Platforms);
        Assert.Equal(30, request.DurationSeconds);
        Assert.Equal("clean", request.Style);
        Assert.Equal("default", request.Voice);
        Assert.Equal("en", request.Language);
        Assert.Null(request.PublishAt);
        Assert.Empty(request.Hashtags);
        Assert.Equal("", request.Notes);
    }

    [Fact]
    public void Full_row_is_read_and_trimmed()
    {
        var request = ValidRequest(
            (SheetContract.Topic, "  Space facts  "),
            (SheetContract.Platform, " Both "),
            (SheetContract.Duration, " 0:45 "),
            (SheetContract.Style, " bold "),
            (SheetContract.Voice, " openai:alloy "),
            (SheetContract.Language, " pt-br "),
            (SheetContract.PublishAt, "2026-12-01 15:00+02:00"),
            (SheetContract.Hashtags, "#space, #NASA"),
            (SheetContract.Notes, "  keep it light, no music  "));

        Assert.Equal("Space facts", request.Topic);
        Assert.Equal(Platforms.Both, request.Platforms);
        Assert.Equal(45, request.DurationSeconds);
        Assert.Equal("bold", request.Style);
        Assert.Equal("openai:alloy", request.Voice);
        Assert.Equal("pt-BR", request.Language);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.FromHours(2)), request.PublishAt);
        Assert.Equal(new[] { "space", "NASA" }, request.Hashtags);
        Assert.Equal("keep it light, no music", request.Notes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Blank_topic_is_required(string topic)
    {
        Assert.Equal("Topic is required", InvalidError((SheetContract.Topic, topic)));
    }

    [Fact]
    public void Topic_of_300_characters_is_accepted_and_301_is_not()
    {
        Assert.Equal(300, ValidRequest((SheetContract.Topic, new string('a', 300))).Topic.Length);
        Assert.Equal(
            "Topic is 301 characters long; the limit is 300",
            InvalidError((SheetContract.Topic, new string('a', 301))));
    }

    [Fact]
    public void Topic_length_counts_what_the_person_sees_not_utf16_units()
    {
        // 300 family emoji are 300 characters on screen but 3,300 UTF-16 units.
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
        var topic = string.Concat(Enumerable.Repeat(family, 300));

        Assert.Equal(topic, ValidRequest((SheetContract.Topic, topic)).Topic);
    }

    [Theory]
    [InlineData("", Platforms.YouTube)]
    [InlineData("youtube", Platforms.YouTube)]
    [InlineData("YouTube", Platforms.YouTube)]
    [InlineData("tiktok", Platforms.TikTok)]
    [InlineData("TIKTOK", Platforms.TikTok)]
    [InlineData("both", Platforms.Both)]
    [InlineData("Both", Platforms.Both)]
    [InlineData("youtube, tiktok", Platforms.Both)]
    [InlineData("TikTok,YouTube", Platforms.Both)]
    [InlineData("youtube, youtube", Platforms.YouTube)]
    public void Platform_words_are_accepted(string cell, Platforms expected)
    {
        Assert.Equal(expected, ValidRequest((SheetContract.Platform, cell)).Platforms);
    }

    [Theory]
    [InlineData("facebook", "Platform \"facebook\" is not allowed; use youtube, tiktok or both")]
    [InlineData("youtube, instagram", "Platform \"youtube, instagram\" is not allowed; use youtube, tiktok or both")]
    [InlineData("yt", "Platform \"yt\" is not allowed; use youtube, tiktok or both")]
    [InlineData(" , ", "Platform \",\" is not allowed; use youtube, tiktok or both")]
    public void Unknown_platform_is_named_with_the_allowed_words(string cell, string expected)
    {
        Assert.Equal(expected, InvalidError((SheetContract.Platform, cell)));
    }

    [Theory]
    [InlineData("", 30)]
    [InlineData("45", 45)]
    [InlineData("45s", 45)]
    [InlineData("45 s", 45)]
    [InlineData("45 S", 45)]
    [InlineData("45 seconds", 45)]
    [InlineData("0:45", 45)]
    [InlineData("1:30", 90)]
    [InlineData("0:00:20", 20)]
    [InlineData("10", 10)]
    [InlineData("90", 90)]
    public void Duration_forms_are_accepted(string cell, int expected)
    {
        Assert.Equal(expected, ValidRequest((SheetContract.Duration, cell)).DurationSeconds);
    }

    [Theory]
    [InlineData("120", "Duration 120 s is outside 10-90 s")]
    [InlineData("9", "Duration 9 s is outside 10-90 s")]
    [InlineData("91s", "Duration 91 s is outside 10-90 s")]
    [InlineData("0", "Duration 0 s is outside 10-90 s")]
    [InlineData("2:00", "Duration 120 s is outside 10-90 s")]
    [InlineData("0:45:00", "Duration 2700 s is outside 10-90 s")]
    [InlineData("abc", "Duration \"abc\" is not a length in seconds; write e.g. 45, 45s or 0:45")]
    [InlineData("-30", "Duration \"-30\" is not a length in seconds; write e.g. 45, 45s or 0:45")]
    [InlineData("45.5", "Duration \"45.5\" is not a length in seconds; write e.g. 45, 45s or 0:45")]
    [InlineData("0:75", "Duration \"0:75\" is not a length in seconds; write e.g. 45, 45s or 0:45")]
    [InlineData("45 min", "Duration \"45 min\" is not a length in seconds; write e.g. 45, 45s or 0:45")]
    public void Bad_duration_says_why(string cell, string expected)
    {
        Assert.Equal(expected, InvalidError((SheetContract.Duration, cell)));
    }

    [Theory]
    [InlineData("", "clean")]
    [InlineData("  ", "clean")]
    [InlineData(" retro ", "retro")]
    public void Style_defaults_to_clean_when_blank(string cell, string expected)
    {
        Assert.Equal(expected, ValidRequest((SheetContract.Style, cell)).Style);
    }

    [Theory]
    [InlineData("", "default")]
    [InlineData("  ", "default")]
    [InlineData(" openai:nova ", "openai:nova")]
    public void Voice_defaults_to_default_when_blank(string cell, string expected)
    {
        Assert.Equal(expected, ValidRequest((SheetContract.Voice, cell)).Voice);
    }

    [Theory]
    [InlineData("", "en")]
    [InlineData("en", "en")]
    [InlineData("EN", "en")]
    [InlineData("en-US", "en-US")]
    [InlineData("en-us", "en-US")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("ar", "ar")]
    [InlineData("es-419", "es-419")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("fil", "fil")]
    public void Language_tags_are_accepted_in_canonical_case(string cell, string expected)
    {
        Assert.Equal(expected, ValidRequest((SheetContract.Language, cell)).Language);
    }

    [Theory]
    [InlineData("English")]
    [InlineData("en_US")]
    [InlineData("e")]
    [InlineData("en-")]
    [InlineData("12")]
    [InlineData("en US")]
    public void Language_that_is_not_a_tag_is_rejected(string cell)
    {
        Assert.Equal(
            $"Language \"{cell}\" is not a language tag; write e.g. en, en-US, pt-BR or ar",
            InvalidError((SheetContract.Language, cell)));
    }

    [Theory]
    [InlineData("2026-12-01T15:00:00Z", "2026-12-01T15:00:00+00:00")]
    [InlineData("2026-12-01 15:00+02:00", "2026-12-01T15:00:00+02:00")]
    [InlineData("2026-12-01T15:00:30.5-05:30", "2026-12-01T15:00:30.5000000-05:30")]
    [InlineData("2026-12-01 15:00", "2026-12-01T15:00:00+00:00")]
    [InlineData("2026-12-01T15:00", "2026-12-01T15:00:00+00:00")]
    public void Publish_at_accepts_iso_8601_and_takes_a_missing_offset_as_utc(string cell, string expected)
    {
        var publishAt = ValidRequest((SheetContract.PublishAt, cell)).PublishAt;

        Assert.NotNull(publishAt);
        var want = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(want, publishAt.Value);
        Assert.Equal(want.Offset, publishAt.Value.Offset);
    }

    [Theory]
    [InlineData("next friday")]
    [InlineData("12/01/2026 15:00")]
    [InlineData("2026-12-01")]
    [InlineData("2026-13-01 15:00")]
    public void Unparseable_publish_at_quotes_the_value_and_an_example(string cell)
    {
        Assert.Equal(
            $"Publish At \"{cell}\" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00",
            InvalidError((SheetContract.PublishAt, cell)));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("#cats #dogs", "cats|dogs")]
    [InlineData("cats,dogs , birds", "cats|dogs|birds")]
    [InlineData("#Cats #cats CATS #dogs", "Cats|dogs")]
    [InlineData("##double #with-dash #emoji🔥 #a.b", "double|withdash|emoji|ab")]
    [InlineData("# #!! #_ok_", "_ok_")]
    [InlineData("#مرحبا #日本 #café #2026", "مرحبا|日本|café|2026")]
    [InlineData("#हिंदी", "हिंदी")]
    [InlineData("line1\nline2\ttab", "line1|line2|tab")]
    public void Hashtags_are_split_cleaned_and_deduplicated(string cell, string expected)
    {
        var hashtags = ValidRequest((SheetContract.Hashtags, cell)).Hashtags;

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), hashtags);
    }

    [Fact]
    public void Thirty_hashtags_are_accepted_and_thirty_one_are_not()
    {
        var thirty = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"#tag{i}"));
        Assert.Equal(30, ValidRequest((SheetContract.Hashtags, thirty)).Hashtags.Count);

        // Duplicates do not count towards the limit.
        Assert.Equal(30, ValidRequest((SheetContract.Hashtags, thirty + " #TAG1 #tag2")).Hashtags.Count);

        Assert.Equal(
            "Hashtags has 31 tags; the limit is 30",
            InvalidError((SheetContract.Hashtags, thirty + " #tag31")));
    }

    [Fact]
    public void Notes_are_free_text()
    {
        var notes = "=SUM(A1) \"quoted\", emoji 🎬, عربي\nsecond line";

        Assert.Equal(notes, ValidRequest((SheetContract.Notes, notes)).Notes);
    }

    [Fact]
    public void Every_problem_of_a_row_is_listed_together_in_column_order()
    {
        var error = InvalidError(
            (SheetContract.Topic, " "),
            (SheetContract.Platform, "myspace"),
            (SheetContract.Duration, "120"),
            (SheetContract.Language, "English"),
            (SheetContract.PublishAt, "soon"),
            (SheetContract.Hashtags, string.Join(' ', Enumerable.Range(1, 31).Select(i => $"t{i}"))));

        Assert.Equal(
            "Topic is required; "
            + "Platform \"myspace\" is not allowed; use youtube, tiktok or both; "
            + "Duration 120 s is outside 10-90 s; "
            + "Language \"English\" is not a language tag; write e.g. en, en-US, pt-BR or ar; "
            + "Publish At \"soon\" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00; "
            + "Hashtags has 31 tags; the limit is 30",
            error);
        Assert.Equal(6, RowValidator.Validate(new SheetRow(1, new Dictionary<string, string>
        {
            [SheetContract.Platform] = "myspace",
            [SheetContract.Duration] = "120",
            [SheetContract.Language] = "English",
            [SheetContract.PublishAt] = "soon",
            [SheetContract.Hashtags] = string.Join(' ', Enumerable.Range(1, 31).Select(i => $"t{i}")),
        })).Errors.Count);
    }

    [Fact]
    public void Output_cells_do_not_affect_validation()
    {
        var request = ValidRequest(
            (SheetContract.Status, "failed"),
            (SheetContract.Error, "old reason"),
            (SheetContract.JobId, Guid.NewGuid().ToString()));

        Assert.Equal("Why cats knock things over", request.Topic);
    }
}
