using System.Text;
using ViralForge.Adapters.YouTube;

namespace ViralForge.Adapters.Tests.YouTube;

/// <summary>YouTube's limits on what an upload declares, the quota day, and the settings checked at start-up.</summary>
public sealed class YouTubeRulesTests
{
    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    [Theory]
    // An ordinary day in winter (PST, UTC-8) and in summer (PDT, UTC-7).
    [InlineData("2026-12-07T12:00:00Z", "2026-12-07T08:00:00Z", "2026-12-08T08:00:00Z")]
    [InlineData("2026-07-01T03:00:00Z", "2026-06-30T07:00:00Z", "2026-07-01T07:00:00Z")]
    // 8 March 2026, clocks forward at 02:00 PST: a 23-hour day from midnight PST to midnight PDT.
    [InlineData("2026-03-08T12:00:00Z", "2026-03-08T08:00:00Z", "2026-03-09T07:00:00Z")]
    // 1 November 2026, clocks back at 02:00 PDT: a 25-hour day from midnight PDT to midnight PST.
    [InlineData("2026-11-01T10:00:00Z", "2026-11-01T07:00:00Z", "2026-11-02T08:00:00Z")]
    // A minute before midnight PST is still the old day.
    [InlineData("2026-12-08T07:59:00Z", "2026-12-07T08:00:00Z", "2026-12-08T08:00:00Z")]
    public void The_quota_day_runs_from_midnight_to_midnight_Pacific_time_whatever_its_length(string now, string start, string next)
    {
        var day = QuotaDay.Of(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Pacific);

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), day.Start);
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), day.Next);
    }

    [Fact]
    public void A_title_is_cut_to_100_characters_without_splitting_an_emoji_and_loses_the_angle_brackets_YouTube_refuses()
    {
        var title = new string('a', 99) + "😺 and more";

        Assert.Equal(new string('a', 99), YouTubePublisher.Title(title));
        Assert.Equal("Cats ‹3 boxes", YouTubePublisher.Title("Cats <3 boxes"));
        Assert.Equal("Video", YouTubePublisher.Title("  "));
    }

    [Fact]
    public void A_description_is_cut_to_5000_bytes_of_UTF8()
    {
        var description = new string('é', 3000); // two bytes each

        var cut = YouTubePublisher.Description(description);

        Assert.Equal(2500, cut.Length);
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= 5000);
    }

    [Fact]
    public void Tags_keep_within_500_characters_as_YouTube_counts_them_quotes_and_commas_included()
    {
        // 20 tags of "tag word NN" (11 characters, a space: 13 counted) plus the commas between them.
        var tags = Enumerable.Range(10, 40).Select(i => $"tag word {i}").ToList();

        var kept = YouTubePublisher.Tags(tags);

        var counted = kept.Sum(t => t.Length + 2) + (kept.Count - 1);
        Assert.True(counted <= 500, $"{counted} characters");
        Assert.True(counted > 500 - 14, "as many as fit are kept");
        Assert.Equal(tags.Take(kept.Count), kept);
        Assert.Equal(["cats", "cat facts"], YouTubePublisher.Tags(["#cats", "Cats", "cat facts", " ", "a<b", "x,y"]));
    }

    [Fact]
    public void Settings_YouTube_cannot_take_are_refused_at_start_up_naming_the_setting_and_the_fix()
    {
        var validator = new YouTubeOptionsValidator();

        var chunk = validator.Validate(null, new YouTubeOptions { ChunkBytes = 300_000 });
        var privacy = validator.Validate(null, new YouTubeOptions { PrivacyStatus = "friends" });
        var zone = validator.Validate(null, new YouTubeOptions { QuotaTimeZone = "Pacific/Nowhere" });

        Assert.Contains("YouTube:ChunkBytes is 300000; YouTube takes chunks in multiples of 262144 bytes (256 KiB), such as 262144.", chunk.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("YouTube:PrivacyStatus must be public, unlisted or private.", privacy.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("YouTube:QuotaTimeZone 'Pacific/Nowhere'", zone.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new YouTubeOptions()).Succeeded);
    }
}
