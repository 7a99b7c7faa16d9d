using System.Text.Json.Nodes;
using ViralForge.Bot.Teams;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>Every card the Teams side produces passes the Adaptive Cards reference parser; its content says what it should.</summary>
public sealed class TeamsCardsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 2, 0, TimeSpan.Zero);

    private static ReviewRequest Request(Uri? thumbnail = null, string title = "Five facts about octopuses", string hook = "Octopuses have three hearts.") =>
        new(Guid.Parse("0190f3c2-8a1b-7c3d-9e4f-112233445566"), 2, "octopus facts", title, hook,
            new Uri("https://storage.example.com/preview.mp4"), 29.5, Platforms.Both, At.AddDays(1), thumbnail, 0.42m);

    private static RecordedDecision Decision(ReviewVerdict verdict, string? reason = null, StageName? stage = null, string? feedback = null) =>
        new(Guid.Parse("0190f3c2-8a1b-7c3d-9e4f-112233445566"), 2, verdict, "aad-ana", "Ana <b>Silva</b>", "teams", reason, stage, feedback, At);

    private static Dictionary<string, JsonObject> Cards()
    {
        var nasty = Request(new Uri("https://storage.example.com/thumb.jpg"),
            title: "[click me](https://evil.example) **bold** {{DATE(2017-02-14T06:08:39Z, SHORT)}} \u0007 " + new string('x', 400),
            hook: "# heading\n- list <script>alert(1)</script>");
        return new Dictionary<string, JsonObject>
        {
            ["review"] = TeamsCards.Review(Request()),
            ["review-with-thumbnail"] = TeamsCards.Review(Request(new Uri("https://storage.example.com/thumb.jpg"))),
            ["review-nasty-text"] = TeamsCards.Review(nasty),
            ["review-local-file-preview"] = TeamsCards.Review(Request() with { VideoUrl = new Uri("file:///tmp/vf/preview.mp4"), PublishAt = null }),
            ["confirm-approve"] = TeamsCards.ConfirmApprove(Request()),
            ["decided-approve"] = TeamsCards.Decided(Request(), Decision(ReviewVerdict.Approve)),
            ["decided-reject"] = TeamsCards.Decided(nasty, Decision(ReviewVerdict.Reject, reason: "[off-brand](https://x) music")),
            ["decided-regenerate"] = TeamsCards.Decided(Request(), Decision(ReviewVerdict.Regenerate, stage: StageName.Voice, feedback: "calmer")),
            ["already-decided"] = TeamsCards.Notice("Already decided: Approved by Ana at 2026-11-29 10:02 UTC.", Request()),
            ["not-a-reviewer"] = TeamsCards.Notice("You are not on the reviewers list for these videos, so your click changed nothing.", Request()),
            ["notice-without-request"] = TeamsCards.Notice("This video is not waiting for review: the job is published."),
        };
    }

    [Fact]
    public async Task Every_card_passes_the_Adaptive_Cards_parser()
    {
        using var folder = new TempFolder();
        var files = new List<string>();
        foreach (var (name, card) in Cards())
        {
            var file = folder.File($"{name}.json");
            await File.WriteAllTextAsync(file, card.ToJsonString());
            files.Add(file);
        }

        var (exitCode, output) = await AdaptiveCardValidator.ValidateAsync([.. files]);

        Assert.True(exitCode == 0, $"validate-adaptive-cards exited {exitCode}:\n{output}");
        Assert.Contains($"{files.Count} card(s) checked, 0 problem(s)", output);
    }

    [Fact]
    public async Task The_validator_reports_a_broken_card()
    {
        using var folder = new TempFolder();
        var broken = folder.File("broken.json");
        await File.WriteAllTextAsync(broken, """
            {"type":"AdaptiveCard","version":"1.5",
             "body":[{"type":"TextBlok","text":"typo in the type"},{"type":"Input.Text","id":"reason","isRequired":true}],
             "actions":[{"type":"Action.OpenUrl","title":"no url"},{"type":"Action.ShowCard","title":"no card"}]}
            """);
        var oldVersion = folder.File("old.json");
        await File.WriteAllTextAsync(oldVersion, """{"type":"AdaptiveCard","version":"1.2","body":[]}""");
        var notJson = folder.File("not-json.json");
        await File.WriteAllTextAsync(notJson, """{"type":"AdaptiveCard",""");

        var (exitCode, output) = await AdaptiveCardValidator.ValidateAsync(broken, oldVersion, notJson);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{broken}: parse UnknownElementType: Unknown element type \"TextBlok\"", output);
        Assert.Contains($"{broken}: validation PropertyCantBeNull: Property \"url\" must be set.", output);
        Assert.Contains($"{broken}: validation RequiredInputsShouldHaveLabel", output);
        Assert.Contains($"{broken}: validation RequiredInputsShouldHaveErrorMessage", output);
        Assert.Contains("must have its \"card\" property set", output);
        Assert.Contains($"{oldVersion}: error: \"version\" is \"1.2\"", output);
        Assert.Contains($"{notJson}: error:", output);
        Assert.Contains("3 card(s) checked", output);
    }

    [Fact]
    public void The_review_card_carries_the_facts_and_the_three_decisions()
    {
        var request = Request(new Uri("https://storage.example.com/thumb.jpg"));

        var card = TeamsCards.Review(request);
        var json = card.ToJsonString();

        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Contains("Five facts about octopuses", json);
        Assert.Contains("Octopuses have three hearts.", json);
        Assert.Contains("https://storage.example.com/thumb.jpg", json);
        Assert.Contains("29.5 s", json);
        Assert.Contains("YouTube, TikTok", json);
        Assert.Contains("2026-11-30 10:02 UTC", json);
        Assert.Contains("$0.42", json);
        var actions = card["actions"]!.AsArray();
        Assert.Equal(["Action.Execute", "Action.ShowCard", "Action.ShowCard", "Action.OpenUrl"], actions.Select(a => a!["type"]!.GetValue<string>()));
        Assert.Equal("approve", actions[0]!["verb"]!.GetValue<string>());
        Assert.Equal(request.VideoUrl.AbsoluteUri, actions[3]!["url"]!.GetValue<string>());
        var reject = actions[1]!["card"]!;
        Assert.Equal("reason", reject["body"]![0]!["id"]!.GetValue<string>());
        Assert.True(reject["body"]![0]!["isRequired"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(reject["body"]![0]!["errorMessage"]!.GetValue<string>()));
        Assert.Equal("reject", reject["actions"]![0]!["verb"]!.GetValue<string>());
        var regenerate = actions[2]!["card"]!;
        Assert.Equal(["script", "visuals", "voice"], regenerate["body"]![0]!["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        Assert.Equal("feedback", regenerate["body"]![1]!["id"]!.GetValue<string>());
        Assert.Equal("regenerate", regenerate["actions"]![0]!["verb"]!.GetValue<string>());
        foreach (var data in new[] { actions[0]!["data"]!, reject["actions"]![0]!["data"]!, regenerate["actions"]![0]!["data"]! })
        {
            Assert.Equal(request.JobId.ToString(), data["jobId"]!.GetValue<string>());
            Assert.Equal(2, data["generation"]!.GetValue<int>());
        }
    }

    [Fact]
    public void No_thumbnail_no_image()
    {
        Assert.DoesNotContain("\"Image\"", TeamsCards.Review(Request()).ToJsonString());
    }

    [Fact]
    public void The_decided_card_has_no_actions_and_says_who_and_when()
    {
        var card = TeamsCards.Decided(Request(), Decision(ReviewVerdict.Reject, reason: "too loud"));

        Assert.Null(card["actions"]);
        Assert.DoesNotContain("Action.", card.ToJsonString(), StringComparison.Ordinal);
        var said = card["body"]!.AsArray().Last()!;
        Assert.Equal(@"Rejected by Ana \<b>Silva\</b> at 2026-11-29 10:02 UTC: too loud", said["text"]!.GetValue<string>());
        Assert.Equal("Attention", said["color"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[click](https://evil.example)", @"\[click\](https://evil.example)")]
    [InlineData("**bold** _it_ `code` ~~gone~~ <https://evil.example>", @"\*\*bold\*\* \_it\_ \`code\` \~\~gone\~\~ \<https://evil.example>")]
    [InlineData("# heading\n - item\n> quote\n+ more", "\\# heading\n \\- item\n\\> quote\n\\+ more")]
    [InlineData("2026-11-29: a - b + c > d # e", "2026-11-29: a - b + c > d # e")]
    [InlineData("{{DATE(2017-02-14T06:08:39Z, SHORT)}}", "{\u200B{DATE(2017-02-14T06:08:39Z, SHORT)}}")]
    [InlineData("  spaced \u0007out  ", "spaced out")]
    [InlineData("", "")]
    public void User_text_is_shown_as_written(string text, string expected)
    {
        Assert.Equal(expected, TeamsCards.Escape(text, 500));
    }

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis()
    {
        Assert.Equal(new string('a', 10) + "…", TeamsCards.Escape(new string('a', 50), 10));
    }
}
