using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.Teams;

/// <summary>
/// The review bot's Adaptive Cards (version 1.5, which Teams needs for Action.Execute; API_REFERENCE 7.5): the review
/// card, the approve confirmation, the decided card everyone sees, and the small answers to a click. Text from people
/// (titles, hooks, reasons, names) is trimmed, shortened and escaped so that it shows as written and cannot add links,
/// formatting or card functions.
/// </summary>
public static class TeamsCards
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Version = "1.5";

    /// <summary>The verbs of the cards' Action.Execute buttons.</summary>
    public static class Verbs
    {
        public const string Approve = ReviewVerdicts.Approve;
        public const string ApproveConfirmed = "approve-confirmed";
        public const string Show = "show";
        public const string Reject = ReviewVerdicts.Reject;
        public const string Regenerate = ReviewVerdicts.Regenerate;
    }

    /// <summary>The input ids, which Teams merges into the action's data.</summary>
    public static class Inputs
    {
        public const string Reason = "reason";
        public const string Stage = "stage";
        public const string Feedback = "feedback";
    }

    /// <summary>The stages a reviewer may regenerate from, as offered on the card.</summary>
    public static readonly IReadOnlyList<StageName> RegenerableStages = [StageName.Script, StageName.Visuals, StageName.Voice];

    public const int MaxReasonLength = 500;
    public const int MaxFeedbackLength = 500;

    /// <summary>The card posted for review: the video's facts, a link to the preview, Approve, Reject… and Regenerate….</summary>
    public static JsonObject Review(ReviewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var data = Data(request);
        var rejectCard = Card(
            [
                Input(Inputs.Reason, "Why reject it?", "What is wrong with this video", MaxReasonLength, required: true,
                    errorMessage: "Give a reason: the sheet shows it to the person who asked for the video."),
            ],
            [Execute("Reject", Verbs.Reject, data, style: "destructive")]);
        var regenerateCard = Card(
            [
                new JsonObject
                {
                    ["type"] = "Input.ChoiceSet",
                    ["id"] = Inputs.Stage,
                    ["label"] = "Make again from",
                    ["style"] = "expanded",
                    ["isRequired"] = true,
                    ["errorMessage"] = "Choose what to make again.",
                    ["value"] = StageName.Script.Wire(),
                    ["choices"] = new JsonArray([.. RegenerableStages.Select(s => (JsonNode)new JsonObject
                    {
                        ["title"] = StageTitle(s),
                        ["value"] = s.Wire(),
                    })]),
                },
                Input(Inputs.Feedback, "What should change? (optional)", "Shorter hook, calmer voice, …", MaxFeedbackLength, required: false),
            ],
            [Execute("Regenerate", Verbs.Regenerate, data)]);

        return Card(
            [.. Facts(request)],
            [
                Execute("Approve", Verbs.Approve, data, style: "positive"),
                new JsonObject { ["type"] = "Action.ShowCard", ["title"] = "Reject…", ["card"] = rejectCard },
                new JsonObject { ["type"] = "Action.ShowCard", ["title"] = "Regenerate…", ["card"] = regenerateCard },
                OpenUrl(request.VideoUrl),
            ]);
    }

    /// <summary>The answer to the first Approve click: are you sure? Yes approves, Cancel shows the review card again.</summary>
    public static JsonObject ConfirmApprove(ReviewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var data = Data(request);
        return Card(
            [
                Text("Approve and publish?", size: "Large", weight: "Bolder"),
                Text($"“{Escape(request.Title, 200)}” will be published{(request.PublishAt is { } at ? $" at {When(at)}" : " as soon as it is approved")}.", wrap: true),
            ],
            [
                Execute("Yes, approve", Verbs.ApproveConfirmed, data, style: "positive"),
                Execute("Cancel", Verbs.Show, data),
            ]);
    }

    /// <summary>The card once decided, for everyone: the facts, what was decided, by whom and when, and no buttons.</summary>
    public static JsonObject Decided(ReviewRequest request, RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(decision);
        var color = decision.Verdict switch
        {
            ReviewVerdict.Approve => "Good",
            ReviewVerdict.Reject => "Attention",
            _ => "Warning",
        };
        var body = Facts(request);
        body.Add(new JsonObject
        {
            ["type"] = "TextBlock",
            ["text"] = Escape(ReviewDesk.Describe(decision), 1200),
            ["wrap"] = true,
            ["weight"] = "Bolder",
            ["color"] = color,
            ["separator"] = true,
        });
        return Card(body, []);
    }

    /// <summary>A short answer to a click that changed nothing: already decided, not a reviewer, no longer waiting.</summary>
    public static JsonObject Notice(string message, ReviewRequest? request = null)
    {
        var body = new List<JsonNode> { Text(Escape(message, 1500), weight: "Bolder", wrap: true) };
        if (request is not null)
        {
            body.Add(Text(Escape(request.Title, 200), wrap: true, subtle: true));
        }
        return Card(body, []);
    }

    /// <summary>The message activity carrying a card.</summary>
    public static OutboundActivity Message(JsonObject card) => new("message", Attachments: [new Attachment(ContentType, card)]);

    /// <summary>
    /// Text shown in a TextBlock or FactSet exactly as written: control characters dropped, whitespace trimmed, cut to
    /// <paramref name="max"/> characters, the Markdown characters that would format or link backslash-escaped (a list
    /// or heading marker only at a line's start, so dates and hyphens stay readable), and "{{" broken up (Adaptive
    /// Cards would read it as a DATE or TIME function).
    /// </summary>
    public static string Escape(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var clean = new string([.. text.Where(c => c is '\n' || !char.IsControl(c))]).Trim();
        if (clean.Length > max)
        {
            clean = clean[..max].TrimEnd() + "…";
        }
        var escaped = new StringBuilder(clean.Length + 16);
        var lineStart = true;
        foreach (var c in clean)
        {
            // Emphasis, links, code and autolinks anywhere; headings, lists and quotes only where a line begins.
            if (c is '\\' or '*' or '_' or '[' or ']' or '`' or '~' or '<' || (lineStart && c is '#' or '-' or '+' or '>'))
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
            lineStart = c == '\n' || (lineStart && c == ' ');
        }
        return escaped.ToString().Replace("{{", "{\u200B{", StringComparison.Ordinal);
    }

    /// <summary>The data every action carries: which job and generation, and the facts to show again.</summary>
    public static JsonObject Data(ReviewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (JsonObject)JsonSerializer.SerializeToNode(new CardActionData(request.JobId, request.Generation, request), TeamsJson.Default.CardActionData)!;
    }

    private static List<JsonNode> Facts(ReviewRequest request)
    {
        var body = new List<JsonNode>
        {
            Text(Escape(request.Title, 200), size: "Large", weight: "Bolder", wrap: true),
        };
        if (!string.IsNullOrWhiteSpace(request.Hook))
        {
            body.Add(Text(Escape(request.Hook, 500), wrap: true, italic: true));
        }
        if (request.ThumbnailUrl is { IsAbsoluteUri: true } thumbnail && thumbnail.Scheme == Uri.UriSchemeHttps)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Image",
                ["url"] = thumbnail.AbsoluteUri,
                ["altText"] = $"Thumbnail of {Plain(request.Title, 100)}",
                ["size"] = "Medium",
            });
        }
        body.Add(new JsonObject
        {
            ["type"] = "FactSet",
            ["facts"] = new JsonArray(
                Fact("Topic", Escape(request.Topic, 200)),
                Fact("Duration", string.Create(CultureInfo.InvariantCulture, $"{request.DurationSeconds:0.#} s")),
                Fact("Platforms", PlatformNames(request.Platforms)),
                Fact("Scheduled", request.PublishAt is { } at ? When(at) : "when approved"),
                Fact("Cost so far", Core.Costs.JobCost.Display(request.CostSoFarUsd))),
        });
        return body;
    }

    private static JsonObject Card(IEnumerable<JsonNode> body, IEnumerable<JsonNode> actions)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = Version,
            ["body"] = new JsonArray([.. body]),
        };
        var list = actions.ToList();
        if (list.Count > 0)
        {
            card["actions"] = new JsonArray([.. list]);
        }
        return card;
    }

    private static JsonObject Execute(string title, string verb, JsonObject data, string? style = null)
    {
        var action = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = data.DeepClone(),
        };
        if (style is not null)
        {
            action["style"] = style;
        }
        return action;
    }

    private static JsonObject OpenUrl(Uri url) => new()
    {
        ["type"] = "Action.OpenUrl",
        ["title"] = "Watch the full preview",
        ["url"] = url.AbsoluteUri,
    };

    private static JsonObject Input(string id, string label, string placeholder, int maxLength, bool required, string? errorMessage = null)
    {
        var input = new JsonObject
        {
            ["type"] = "Input.Text",
            ["id"] = id,
            ["label"] = label,
            ["placeholder"] = placeholder,
            ["isMultiline"] = true,
            ["maxLength"] = maxLength,
        };
        if (required)
        {
            input["isRequired"] = true;
            input["errorMessage"] = errorMessage;
        }
        return input;
    }

    private static JsonObject Text(string text, string? size = null, string? weight = null, bool wrap = true, bool italic = false, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = wrap };
        if (size is not null)
        {
            block["size"] = size;
        }
        if (weight is not null)
        {
            block["weight"] = weight;
        }
        if (italic)
        {
            block["italic"] = true;
        }
        if (subtle)
        {
            block["isSubtle"] = true;
        }
        return block;
    }

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    private static string Plain(string? text, int max)
    {
        var clean = new string([.. (text ?? "").Where(c => !char.IsControl(c))]).Trim();
        return clean.Length > max ? clean[..max] + "…" : clean;
    }

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string PlatformNames(Platforms platforms) => platforms switch
    {
        Platforms.Both => "YouTube, TikTok",
        Platforms.YouTube => "YouTube",
        Platforms.TikTok => "TikTok",
        _ => "none",
    };

    private static string StageTitle(StageName stage) => stage switch
    {
        StageName.Script => "Script (and everything after it)",
        StageName.Visuals => "Visuals (keep the script)",
        StageName.Voice => "Voice (keep script and visuals)",
        _ => stage.Wire(),
    };
}
