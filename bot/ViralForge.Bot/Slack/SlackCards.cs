using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.Slack;

/// <summary>A card's blocks and the plain text Slack shows in notifications and where blocks cannot be shown.</summary>
public sealed record SlackCard(JsonArray Blocks, string Text);

/// <summary>
/// The Block Kit the review bot sends: the review card with Approve / Reject / Regenerate, the decided card that replaces
/// it, and the two modals. Every user-supplied string is escaped and cut to Block Kit's documented limits, so a long or
/// hostile hook can neither break the message (invalid_blocks) nor ping a channel.
/// </summary>
public static class SlackCards
{
    // Block Kit's documented limits.
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxHeaderText = 150;
    public const int MaxButtonText = 75;
    public const int MaxButtonValue = 2000;
    public const int MaxUrl = 3000;
    public const int MaxBlockId = 255;
    public const int MaxAltText = 2000;
    public const int MaxModalTitle = 24;
    public const int MaxPrivateMetadata = 3000;
    public const int MaxConfirmTitle = 100;
    public const int MaxConfirmText = 300;

    /// <summary>The longest reason or feedback a modal accepts (its inputs' max_length, checked again on submission).</summary>
    public const int MaxReasonLength = 1000;

    // The fallback text Slack shows in notifications; chat.postMessage truncates long text, we keep it short.
    private const int MaxFallbackText = 3000;

    public const string ApproveAction = "vf_approve";
    public const string RejectAction = "vf_reject";
    public const string RegenerateAction = "vf_regenerate";
    public const string RejectModal = "vf_reject_modal";
    public const string RegenerateModal = "vf_regenerate_modal";
    public const string ReasonBlock = "vf_reason";
    public const string ReasonInput = "reason";
    public const string StageBlock = "vf_stage";
    public const string StageInput = "stage";
    public const string FeedbackBlock = "vf_feedback";
    public const string FeedbackInput = "feedback";

    /// <summary>The stages a reviewer may send back for another try, in pipeline order.</summary>
    public static IReadOnlyList<StageName> RegenerableStages { get; } = [StageName.Script, StageName.Visuals, StageName.Voice];

    /// <summary>The card posted for review: the facts and the three buttons.</summary>
    public static SlackCard Review(ReviewRequest card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var blocks = Facts(card, "review");
        var value = ButtonValue(card.JobId, card.Generation);
        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = BlockId("review", "actions", card),
            ["elements"] = new JsonArray(
                Button("Approve", ApproveAction, value, "primary", new JsonObject
                {
                    ["title"] = PlainText("Approve this video?"),
                    ["text"] = PlainText(SlackText.Plain(
                        $"\"{SlackText.Plain(card.Title, 120)}\" will be published to {Platforms(card.Platforms)} {Schedule(card.PublishAt)}.", MaxConfirmText)),
                    ["confirm"] = PlainText("Approve"),
                    ["deny"] = PlainText("Not yet"),
                }),
                Button("Reject", RejectAction, value, "danger"),
                Button("Regenerate…", RegenerateAction, value, null)),
        });
        var text = SlackText.Join(MaxFallbackText,
            "Review needed: ", SlackText.Mrkdwn(card.Title, 500), " (", Duration(card.DurationSeconds), "). ",
            SlackText.Mrkdwn(card.Hook, MaxFallbackText));
        return Checked(blocks, text);
    }

    /// <summary>The card after a decision: the same facts, what was decided, by whom and when, and no buttons.</summary>
    public static SlackCard Decided(ReviewRequest card, RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(decision);
        // New block ids: Slack keeps a block's state by id, and the decided card is a different card.
        var blocks = Facts(card, "decided");
        var described = ReviewDesk.Describe(decision);
        var mark = decision.Verdict switch
        {
            ReviewVerdict.Approve => ":white_check_mark:",
            ReviewVerdict.Reject => ":no_entry_sign:",
            _ => ":arrows_counterclockwise:",
        };
        blocks.Add(new JsonObject
        {
            ["type"] = "section",
            ["block_id"] = BlockId("decided", "decision", card),
            ["text"] = Mrkdwn(SlackText.Join(MaxSectionText, mark, " *", SlackText.Mrkdwn(described, MaxSectionText - 40), "*")),
        });
        var text = SlackText.Join(MaxFallbackText, SlackText.Mrkdwn(card.Title, 500), ": ", SlackText.Mrkdwn(described, MaxFallbackText));
        return Checked(blocks, text);
    }

    /// <summary>The reply under a card that still waits.</summary>
    public static string Reminder(ReviewRequest card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return SlackText.Join(MaxFallbackText,
            ":hourglass: Still waiting for a decision: *", SlackText.Mrkdwn(card.Title, 500), "*. Approve, Reject or Regenerate it above.");
    }

    /// <summary>The modal that asks why a video is rejected.</summary>
    public static JsonObject RejectView(SlackModalMetadata metadata, string title)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Modal(RejectModal, "Reject video", "Reject", metadata,
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = Mrkdwn(SlackText.Join(MaxSectionText, "Rejecting *", SlackText.Mrkdwn(title, 1000), "*. The job's uploads and files are removed.")),
            },
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = ReasonBlock,
                ["label"] = PlainText("Why is it rejected?"),
                ["element"] = new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = ReasonInput,
                    ["multiline"] = true,
                    ["min_length"] = 1,
                    ["max_length"] = MaxReasonLength,
                },
            });
    }

    /// <summary>The modal that asks which stage to redo, and what to change.</summary>
    public static JsonObject RegenerateView(SlackModalMetadata metadata, string title)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var options = new JsonArray();
        foreach (var stage in RegenerableStages)
        {
            options.Add(Option(stage));
        }
        return Modal(RegenerateModal, "Regenerate", "Regenerate", metadata,
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = Mrkdwn(SlackText.Join(MaxSectionText, "Make a new version of *", SlackText.Mrkdwn(title, 1000), "*. The stages after the one you choose run again.")),
            },
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = StageBlock,
                ["label"] = PlainText("What should be made again?"),
                ["element"] = new JsonObject
                {
                    ["type"] = "radio_buttons",
                    ["action_id"] = StageInput,
                    ["options"] = options,
                    ["initial_option"] = Option(StageName.Script),
                },
            },
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = FeedbackBlock,
                ["optional"] = true,
                ["label"] = PlainText("What should change? (optional)"),
                ["element"] = new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = FeedbackInput,
                    ["multiline"] = true,
                    ["max_length"] = MaxReasonLength,
                },
            });
    }

    /// <summary>"jobId:generation", the value every button carries.</summary>
    public static string ButtonValue(Guid jobId, int generation) => string.Create(CultureInfo.InvariantCulture, $"{jobId:D}:{generation}");

    /// <summary>Reads a button's value back; false for anything that is not exactly "jobId:generation".</summary>
    public static bool TryParseButtonValue(string? value, out Guid jobId, out int generation)
    {
        jobId = Guid.Empty;
        generation = 0;
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0
            && Guid.TryParseExact(value.AsSpan(0, colon), "D", out jobId)
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out generation)
            && generation >= 1;
    }

    private static JsonArray Facts(ReviewRequest card, string kind)
    {
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["block_id"] = BlockId(kind, "title", card),
                ["text"] = PlainText(SlackText.Plain(card.Title, MaxHeaderText)),
            },
            new JsonObject
            {
                ["type"] = "section",
                ["block_id"] = BlockId(kind, "hook", card),
                ["text"] = Mrkdwn(SlackText.Join(MaxSectionText, "*Hook*\n", SlackText.Mrkdwn(card.Hook, MaxSectionText - 20))),
            },
        };
        if (card.ThumbnailUrl is { } thumbnail && SafeUrl(thumbnail) is { } imageUrl)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "image",
                ["block_id"] = BlockId(kind, "thumbnail", card),
                ["image_url"] = imageUrl,
                ["alt_text"] = SlackText.Plain("Thumbnail: " + card.Title, MaxAltText),
            });
        }
        blocks.Add(new JsonObject
        {
            ["type"] = "section",
            ["block_id"] = BlockId(kind, "facts", card),
            ["fields"] = new JsonArray(
                Mrkdwn("*Duration*\n" + Duration(card.DurationSeconds)),
                Mrkdwn("*Platforms*\n" + Platforms(card.Platforms)),
                Mrkdwn("*Scheduled*\n" + (card.PublishAt is { } at ? When(at) : "As soon as approved")),
                Mrkdwn("*Cost so far*\n" + Core.Costs.JobCost.Display(card.CostSoFarUsd))),
        });
        blocks.Add(new JsonObject
        {
            ["type"] = "section",
            ["block_id"] = BlockId(kind, "preview", card),
            ["text"] = Mrkdwn(SafeUrl(card.VideoUrl) is { } videoUrl
                ? $":arrow_forward: <{videoUrl}|Watch the full preview>"
                : "The preview's address is too long to link here; open it from the sheet's Preview column."),
        });
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["block_id"] = BlockId(kind, "context", card),
            ["elements"] = new JsonArray(Mrkdwn(SlackText.Join(MaxSectionText,
                "Topic: ", SlackText.Mrkdwn(card.Topic, 1000), string.Create(CultureInfo.InvariantCulture, $" · job {card.JobId:D} · version {card.Generation}")))),
        });
        return blocks;
    }

    private static JsonObject Modal(string callbackId, string title, string submit, SlackModalMetadata metadata, params JsonObject[] blocks)
    {
        var json = JsonSerializer.Serialize(metadata, SlackJson.Default.SlackModalMetadata);
        if (json.Length > MaxPrivateMetadata)
        {
            // Only the response_url can be long; without it the outcome still shows on the updated card.
            json = JsonSerializer.Serialize(metadata with { ResponseUrl = null }, SlackJson.Default.SlackModalMetadata);
        }
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = callbackId,
            ["title"] = PlainText(SlackText.Plain(title, MaxModalTitle)),
            ["submit"] = PlainText(SlackText.Plain(submit, MaxModalTitle)),
            ["close"] = PlainText("Cancel"),
            ["private_metadata"] = json,
            ["blocks"] = new JsonArray([.. blocks]),
        };
    }

    private static JsonObject Button(string text, string actionId, string value, string? style, JsonObject? confirm = null)
    {
        if (value.Length > MaxButtonValue)
        {
            throw new InvalidOperationException($"A button value of {value.Length} characters exceeds Block Kit's {MaxButtonValue}.");
        }
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(SlackText.Plain(text, MaxButtonText)),
            ["action_id"] = actionId,
            ["value"] = value,
        };
        if (style is not null)
        {
            button["style"] = style;
        }
        if (confirm is not null)
        {
            button["confirm"] = confirm;
        }
        return button;
    }

    private static JsonObject Option(StageName stage) => new()
    {
        ["text"] = PlainText(stage switch
        {
            StageName.Script => "Script (a new hook, beats and captions)",
            StageName.Visuals => "Visuals (new footage for the same script)",
            _ => "Voice (new narration for the same script)",
        }),
        ["value"] = stage.Wire(),
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string BlockId(string kind, string part, ReviewRequest card)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"vf-{kind}-{part}-{card.JobId:N}-{card.Generation}");
        return id.Length <= MaxBlockId ? id : throw new InvalidOperationException($"block_id '{id}' exceeds Block Kit's {MaxBlockId} characters.");
    }

    /// <summary>An http(s) URL as Slack expects it inside &lt;…|…&gt; and in image_url, or null when it is too long.</summary>
    private static string? SafeUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }
        // AbsoluteUri percent-encodes spaces and angle brackets; '|' would end the link and '&' must be escaped.
        var safe = url.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal).Replace("&", "&amp;", StringComparison.Ordinal);
        return safe.Length <= MaxUrl ? safe : null;
    }

    private static string Duration(double seconds)
    {
        var whole = (int)Math.Round(seconds, MidpointRounding.AwayFromZero);
        return whole < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{whole} s")
            : string.Create(CultureInfo.InvariantCulture, $"{whole / 60} min {whole % 60:00} s");
    }

    private static string Platforms(Platforms platforms) => platforms switch
    {
        Core.Jobs.Platforms.Both => "YouTube and TikTok",
        Core.Jobs.Platforms.YouTube => "YouTube",
        Core.Jobs.Platforms.TikTok => "TikTok",
        _ => "no platform",
    };

    private static string Schedule(DateTimeOffset? publishAt) => publishAt is { } at ? "at " + When(at) : "as soon as approved";

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static SlackCard Checked(JsonArray blocks, string text)
    {
        if (blocks.Count > MaxBlocks)
        {
            throw new InvalidOperationException($"A card of {blocks.Count} blocks exceeds Block Kit's {MaxBlocks}.");
        }
        return new SlackCard(blocks, text);
    }
}
