using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Bot.Slack;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Tests.Slack;

/// <summary>The Block Kit the bot sends stays within Slack's documented limits and shows user text, never obeys it.</summary>
public sealed class SlackCardsTests
{
    private const string Hostile = "<!channel> Tom & Jerry <https://evil.example|click me> > <@U0ANA> ";

    public static ReviewRequest Card(string? hook = null, string? title = null, Uri? thumbnail = null, DateTimeOffset? publishAt = null) => new(
        Guid.Parse("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"),
        2,
        "Octopus facts",
        title ?? "Three hearts & one brain",
        hook ?? "Did you know an octopus has three hearts?",
        new Uri("https://storage.googleapis.com/vf-previews/jobs/6f1c/render/g2/preview.mp4?X-Goog-Signature=abc&X-Goog-Date=20261129"),
        42.4,
        Platforms.Both,
        publishAt,
        thumbnail,
        0.37m);

    [Fact]
    public void A_5000_character_hostile_hook_stays_within_every_limit_and_is_escaped()
    {
        var hook = string.Concat(Enumerable.Repeat(Hostile, 5000 / Hostile.Length + 1))[..5000];
        var card = SlackCards.Review(Card(hook, title: new string('T', 400) + Hostile, thumbnail: new Uri("https://example.com/thumb.jpg?a=1&b=2")));

        AssertWithinLimits(card.Blocks);
        var json = string.Concat(AllTexts(card.Blocks));
        Assert.DoesNotContain("<!channel>", string.Concat(MrkdwnTexts(card.Blocks)), StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", json, StringComparison.Ordinal);
        Assert.Contains("Tom &amp; Jerry", json, StringComparison.Ordinal);
        foreach (var text in MrkdwnTexts(card.Blocks))
        {
            AssertEscaped(text);
        }
        AssertEscaped(card.Text);
        Assert.True(card.Text.Length <= 3000);
        Assert.EndsWith("…", (string?)card.Blocks[1]!["text"]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_review_card_shows_a_sub_cent_cost_so_far_to_hundredths_of_a_cent()
    {
        // A short costs about a cent: whole cents would show $0.00 or $0.01 for most jobs.
        var card = SlackCards.Review(Card() with { CostSoFarUsd = 0.00847m });

        var facts = string.Join("\n", card.Blocks.Where(b => b!["fields"] is not null).SelectMany(b => b!["fields"]!.AsArray()).Select(f => (string)f!["text"]!));

        Assert.Contains("*Cost so far*\n$0.0085", facts, StringComparison.Ordinal);
    }

    [Fact]
    public void The_review_card_shows_the_facts_and_three_buttons_carrying_job_and_generation()
    {
        var request = Card(thumbnail: new Uri("https://example.com/thumb.jpg"), publishAt: new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero));
        var card = SlackCards.Review(request);

        var types = card.Blocks.Select(b => (string)b!["type"]!).ToList();
        Assert.Equal(["header", "section", "image", "section", "section", "context", "actions"], types);
        Assert.Equal("https://example.com/thumb.jpg", (string?)card.Blocks[2]!["image_url"]);
        var facts = string.Join("\n", card.Blocks[3]!["fields"]!.AsArray().Select(f => (string)f!["text"]!));
        Assert.Contains("42 s", facts, StringComparison.Ordinal);
        Assert.Contains("YouTube and TikTok", facts, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 18:00 UTC", facts, StringComparison.Ordinal);
        Assert.Contains("$0.37", facts, StringComparison.Ordinal);
        Assert.Contains("X-Goog-Signature=abc&amp;X-Goog-Date", (string?)card.Blocks[4]!["text"]!["text"], StringComparison.Ordinal);
        var buttons = card.Blocks[6]!["elements"]!.AsArray();
        Assert.Equal([SlackCards.ApproveAction, SlackCards.RejectAction, SlackCards.RegenerateAction], buttons.Select(b => (string)b!["action_id"]!));
        Assert.All(buttons, b => Assert.Equal($"{request.JobId:D}:2", (string?)b!["value"]));
        Assert.Equal("primary", (string?)buttons[0]!["style"]);
        Assert.NotNull(buttons[0]!["confirm"]);
        Assert.Equal("danger", (string?)buttons[1]!["style"]);
        Assert.True(SlackCards.TryParseButtonValue((string?)buttons[0]!["value"], out var jobId, out var generation));
        Assert.Equal((request.JobId, 2), (jobId, generation));
    }

    [Fact]
    public void Without_a_thumbnail_or_a_schedule_the_card_has_no_image_and_says_as_soon_as_approved()
    {
        var card = SlackCards.Review(Card());

        Assert.DoesNotContain(card.Blocks, b => (string?)b!["type"] == "image");
        Assert.Contains("As soon as approved", string.Concat(AllTexts(card.Blocks)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_decided_card_has_the_decision_who_and_when_new_block_ids_and_no_buttons()
    {
        var request = Card(hook: Hostile);
        var review = SlackCards.Review(request);
        var decision = new RecordedDecision(request.JobId, 2, ReviewVerdict.Reject, "U0BEN", "Ben <script>", "slack", "Too loud & <!here>", null, null,
            new DateTimeOffset(2026, 11, 29, 10, 2, 0, TimeSpan.Zero));

        var decided = SlackCards.Decided(request, decision);

        AssertWithinLimits(decided.Blocks);
        Assert.DoesNotContain(decided.Blocks, b => (string?)b!["type"] == "actions");
        var json = string.Concat(AllTexts(decided.Blocks));
        Assert.Contains("Rejected by Ben &lt;script&gt; at 2026-11-29 10:02 UTC: Too loud &amp; &lt;!here&gt;", json, StringComparison.Ordinal);
        var oldIds = review.Blocks.Select(b => (string?)b!["block_id"]).ToHashSet();
        Assert.All(decided.Blocks, b => Assert.DoesNotContain((string?)b!["block_id"], oldIds));
        Assert.Contains("Rejected by Ben", decided.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f")]
    [InlineData("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f:")]
    [InlineData("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f:0")]
    [InlineData("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f:-1")]
    [InlineData("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f:1:2")]
    [InlineData("not-a-guid:1")]
    public void A_button_value_that_is_not_exactly_job_and_generation_is_refused(string value)
    {
        Assert.False(SlackCards.TryParseButtonValue(value, out _, out _));
    }

    [Fact]
    public void The_modals_carry_the_card_in_private_metadata_and_fit_Slacks_limits()
    {
        var metadata = new SlackModalMetadata(Guid.NewGuid(), 3, "C0REVIEW", "1.2", "https://hooks.slack.com/actions/T0/1/abc");
        var reject = SlackCards.RejectView(metadata, new string('x', 5000) + Hostile);
        var regenerate = SlackCards.RegenerateView(metadata with { ResponseUrl = "https://hooks.slack.com/" + new string('a', 3000) }, "t");

        foreach (var view in new[] { reject, regenerate })
        {
            Assert.True(((string)view["title"]!["text"]!).Length <= 24);
            Assert.True(((string)view["private_metadata"]!).Length <= 3000);
            AssertWithinLimits(view["blocks"]!.AsArray());
        }
        var back = JsonSerializer.Deserialize((string)reject["private_metadata"]!, SlackJson.Default.SlackModalMetadata);
        Assert.Equal(metadata, back);
        Assert.Null(JsonSerializer.Deserialize((string)regenerate["private_metadata"]!, SlackJson.Default.SlackModalMetadata)!.ResponseUrl);
        Assert.Equal(["script", "visuals", "voice"], regenerate["blocks"]![1]!["element"]!["options"]!.AsArray().Select(o => (string)o!["value"]!));
    }

    [Fact]
    public async Task The_poster_posts_to_the_channel_and_remembers_Slacks_channel_and_ts()
    {
        using var slack = SlackWire.Start();
        using var services = SlackWebApiClientTests.Services(slack);
        var poster = services.GetRequiredService<IReviewPoster>();
        var request = Card();

        var posted = await poster.PostAsync(request, CancellationToken.None);

        Assert.Equal("slack", posted.Surface);
        Assert.Equal((request.JobId, 2), (posted.JobId, posted.Generation));
        var address = JsonNode.Parse(posted.Address)!;
        Assert.Equal(SlackTestHost.Channel, (string?)address["channel"]);
        Assert.Equal(SlackWire.PostedTs, (string?)address["ts"]);
        var body = Assert.Single(SlackWire.Bodies(slack, "/api/chat.postMessage"));
        Assert.Equal(SlackTestHost.Channel, (string?)body["channel"]);
        Assert.Contains("Three hearts &amp; one brain", (string?)body["text"], StringComparison.Ordinal);
        Assert.Equal("actions", (string?)body["blocks"]!.AsArray().Last()!["type"]);
        Assert.Null(body["thread_ts"]);
    }

    [Fact]
    public async Task The_poster_replaces_the_card_with_the_decision_and_reminds_in_its_thread()
    {
        using var slack = SlackWire.Start();
        using var services = SlackWebApiClientTests.Services(slack);
        var poster = services.GetRequiredService<IReviewPoster>();
        var request = Card();
        var message = new PostedReviewMessage(request.JobId, 2, "slack", """{"channel":"C0OTHER","ts":"1699999999.000200"}""", DateTimeOffset.UnixEpoch);
        var decision = new RecordedDecision(request.JobId, 2, ReviewVerdict.Approve, "U0ANA", "Ana", "slack", null, null, null,
            new DateTimeOffset(2026, 11, 29, 10, 2, 0, TimeSpan.Zero));

        await poster.ShowDecisionAsync(message, request, decision, CancellationToken.None);
        await poster.ShowDecisionAsync(message, request, decision, CancellationToken.None);
        await poster.RemindAsync(message, request, CancellationToken.None);

        var updates = SlackWire.Bodies(slack, "/api/chat.update");
        Assert.Equal(2, updates.Count);
        Assert.Equal(updates[0].ToJsonString(), updates[1].ToJsonString());
        Assert.Equal("C0OTHER", (string?)updates[0]["channel"]);
        Assert.Equal("1699999999.000200", (string?)updates[0]["ts"]);
        Assert.DoesNotContain(updates[0]["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Contains("Approved by Ana at 2026-11-29 10:02 UTC", string.Concat(AllTexts(updates[0]["blocks"])), StringComparison.Ordinal);
        var reminder = Assert.Single(SlackWire.Bodies(slack, "/api/chat.postMessage"));
        Assert.Equal("C0OTHER", (string?)reminder["channel"]);
        Assert.Equal("1699999999.000200", (string?)reminder["thread_ts"]);
        Assert.Null(reminder["blocks"]);
    }

    [Fact]
    public async Task Showing_a_decision_on_a_deleted_card_is_done_not_retried_for_ever()
    {
        using var slack = WireMock.Server.WireMockServer.Start();
        SlackWire.Ok(slack, "chat.update", """{"ok":false,"error":"message_not_found"}""");

        await ShowApprovalAsync(slack);

        Assert.Single(SlackWire.Calls(slack, "/api/chat.update"));
    }

    [Fact]
    public async Task A_refused_update_is_an_error_the_review_task_retries()
    {
        using var slack = WireMock.Server.WireMockServer.Start();
        SlackWire.Ok(slack, "chat.update", """{"ok":false,"error":"cant_update_message"}""");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => ShowApprovalAsync(slack));

        Assert.Equal("cant_update_message", error.Error);
    }

    /// <summary>Shows Ana's approval on the card Slack keeps at C0REVIEW 1.2, through the poster pointed at <paramref name="slack"/>.</summary>
    private static async Task ShowApprovalAsync(WireMock.Server.WireMockServer slack)
    {
        using var services = SlackWebApiClientTests.Services(slack);
        var request = Card();
        var message = new PostedReviewMessage(request.JobId, 2, "slack", """{"channel":"C0REVIEW","ts":"1.2"}""", DateTimeOffset.UnixEpoch);
        var decision = new RecordedDecision(request.JobId, 2, ReviewVerdict.Approve, "U0ANA", "Ana", "slack", null, null, null, DateTimeOffset.UnixEpoch);
        await services.GetRequiredService<IReviewPoster>().ShowDecisionAsync(message, request, decision, CancellationToken.None);
    }

    [Theory]
    [InlineData("teams", """{"channel":"C0REVIEW","ts":"1.2"}""")]
    [InlineData("slack", """{"serviceUrl":"https://smba.trafficmanager.net/"}""")]
    [InlineData("slack", "not json")]
    public async Task A_message_address_that_is_not_a_Slack_one_is_refused_before_calling_Slack(string surface, string address)
    {
        using var slack = SlackWire.Start();
        using var services = SlackWebApiClientTests.Services(slack);
        var request = Card();

        await Assert.ThrowsAsync<ArgumentException>(() => services.GetRequiredService<IReviewPoster>().RemindAsync(
            new PostedReviewMessage(request.JobId, 2, surface, address, DateTimeOffset.UnixEpoch), request, CancellationToken.None));

        Assert.Empty(slack.LogEntries);
    }

    [Fact]
    public async Task A_post_answer_without_channel_and_ts_is_a_clear_error()
    {
        using var slack = WireMock.Server.WireMockServer.Start();
        SlackWire.Ok(slack, "chat.postMessage", """{"ok":true}""");
        using var services = SlackWebApiClientTests.Services(slack);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<IReviewPoster>().PostAsync(Card(), CancellationToken.None));

        Assert.Equal("malformed_response", error.Error);
        Assert.Contains("channel and ts", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every text, button, value, url and block id against Block Kit's documented limits.</summary>
    private static void AssertWithinLimits(JsonArray blocks)
    {
        Assert.True(blocks.Count <= SlackCards.MaxBlocks);
        foreach (var block in blocks)
        {
            var id = (string?)block!["block_id"];
            Assert.True(id is null || id.Length <= SlackCards.MaxBlockId, $"block_id {id}");
            if ((string?)block["type"] == "header")
            {
                Assert.True(((string)block["text"]!["text"]!).Length <= SlackCards.MaxHeaderText);
            }
            if (block["image_url"] is { } image)
            {
                Assert.True(((string)image!).Length <= SlackCards.MaxUrl);
                Assert.True(((string)block["alt_text"]!).Length <= SlackCards.MaxAltText);
            }
            foreach (var field in block["fields"]?.AsArray() ?? [])
            {
                Assert.True(((string)field!["text"]!).Length <= SlackCards.MaxFieldText);
            }
            foreach (var button in block["elements"]?.AsArray().Where(e => (string?)e!["type"] == "button") ?? [])
            {
                Assert.True(((string)button!["text"]!["text"]!).Length <= SlackCards.MaxButtonText);
                Assert.True(((string)button["value"]!).Length <= SlackCards.MaxButtonValue);
                Assert.True(((string)button["action_id"]!).Length <= 255);
                if (button["confirm"] is { } confirm)
                {
                    Assert.True(((string)confirm["title"]!["text"]!).Length <= SlackCards.MaxConfirmTitle);
                    Assert.True(((string)confirm["text"]!["text"]!).Length <= SlackCards.MaxConfirmText);
                    Assert.True(((string)confirm["confirm"]!["text"]!).Length <= 30);
                    Assert.True(((string)confirm["deny"]!["text"]!).Length <= 30);
                }
            }
        }
        foreach (var text in AllTexts(blocks))
        {
            Assert.True(text.Length <= SlackCards.MaxSectionText, $"a text of {text.Length} characters");
        }
    }

    private static IEnumerable<string> AllTexts(JsonNode? node) => node switch
    {
        JsonObject o when o["type"] is JsonValue t && (string?)t is "mrkdwn" or "plain_text" => [(string)o["text"]!],
        JsonObject o => o.SelectMany(p => AllTexts(p.Value)),
        JsonArray a => a.SelectMany(AllTexts),
        _ => [],
    };

    private static IEnumerable<string> MrkdwnTexts(JsonNode? node) => node switch
    {
        JsonObject o when o["type"] is JsonValue t && (string?)t == "mrkdwn" => [(string)o["text"]!],
        JsonObject o => o.SelectMany(p => MrkdwnTexts(p.Value)),
        JsonArray a => a.SelectMany(MrkdwnTexts),
        _ => [],
    };

    /// <summary>No raw '&lt;' but our own links, no '&gt;' but theirs, and every '&amp;' starts an escape.</summary>
    private static void AssertEscaped(string text)
    {
        var withoutOurLinks = System.Text.RegularExpressions.Regex.Replace(text, @"<https://[^<>|\s]+\|Watch the full preview>", "");
        Assert.DoesNotContain('<', withoutOurLinks);
        Assert.DoesNotContain('>', withoutOurLinks);
        Assert.Matches(@"^([^&]|&amp;|&lt;|&gt;)*$", text);
    }
}
