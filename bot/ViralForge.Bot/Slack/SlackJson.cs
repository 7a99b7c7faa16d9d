using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ViralForge.Bot.Slack;

/// <summary>chat.postMessage: a card (blocks and its fallback text), or a reply under one (thread_ts).</summary>
public sealed record SlackPostMessage(string Channel, string Text, JsonArray? Blocks = null, string? ThreadTs = null, bool? UnfurlLinks = null);

/// <summary>chat.update: the message's new text and blocks (an empty array would clear them; null would keep the old ones).</summary>
public sealed record SlackUpdateMessage(string Channel, string Ts, string Text, JsonArray Blocks);

/// <summary>views.open: a modal for the click whose trigger_id it carries.</summary>
public sealed record SlackOpenView(string TriggerId, JsonObject View);

/// <summary>A message sent to an interaction's response_url; ephemeral shows it to the clicker only.</summary>
public sealed record SlackResponseMessage(string Text, string ResponseType = "ephemeral", bool ReplaceOriginal = false);

/// <summary>What every Web API method answers: ok, or the error code; postMessage adds where the message went.</summary>
public sealed record SlackApiResponse(bool Ok, string? Error = null, string? Channel = null, string? Ts = null, string? Warning = null, SlackResponseMetadata? ResponseMetadata = null);

/// <summary>Slack's detail of an error or warning (e.g. which block was invalid).</summary>
public sealed record SlackResponseMetadata(IReadOnlyList<string>? Messages = null);

/// <summary>Where a Slack card lives: <see cref="Core.Ports.PostedReviewMessage.Address"/> for the slack surface.</summary>
public sealed record SlackMessageAddress(string Channel, string Ts);

/// <summary>
/// An interaction payload (the form field payload): block_actions for a button, view_submission for a modal. Only the
/// fields this bot reads are here; Slack sends many more.
/// </summary>
public sealed record SlackInteraction(
    string? Type,
    SlackUser? User,
    string? TriggerId,
    string? ResponseUrl,
    SlackContainer? Container,
    SlackChannelRef? Channel,
    SlackMessageRef? Message,
    IReadOnlyList<SlackAction>? Actions,
    SlackView? View);

public sealed record SlackUser(string? Id, string? Name, string? Username);

public sealed record SlackContainer(string? ChannelId, string? MessageTs);

public sealed record SlackChannelRef(string? Id);

public sealed record SlackMessageRef(string? Ts, JsonArray? Blocks);

public sealed record SlackAction(string? ActionId, string? BlockId, string? Value, string? Type);

public sealed record SlackView(string? Id, string? CallbackId, string? PrivateMetadata, SlackViewState? State);

/// <summary>The modal's inputs: block_id, then action_id, then the value.</summary>
public sealed record SlackViewState(Dictionary<string, Dictionary<string, SlackStateValue>>? Values);

public sealed record SlackStateValue(string? Type, string? Value, SlackSelectedOption? SelectedOption);

public sealed record SlackSelectedOption(string? Value);

/// <summary>A modal's private_metadata: the card it came from, and where to tell the clicker the outcome.</summary>
public sealed record SlackModalMetadata(Guid JobId, int Generation, string? Channel, string? Ts, string? ResponseUrl);

/// <summary>The answer to a view_submission that keeps the modal open and shows an error under each named input block.</summary>
public sealed record SlackViewErrors(Dictionary<string, string> Errors, string ResponseAction = "errors");

/// <summary>users.info's answer: the user, or ok false with the error (and, for missing_scope, the scope needed).</summary>
public sealed record SlackUserInfoResponse(bool Ok, string? Error = null, string? Needed = null, SlackUserInfo? User = null);

/// <summary>The parts of a users.info user the bot reads: the person's name, and the name they chose to show.</summary>
public sealed record SlackUserInfo(string? Id, string? Name, string? RealName, SlackUserProfile? Profile);

public sealed record SlackUserProfile(string? RealName, string? DisplayName);

/// <summary>Slack's wire format: snake_case names, absent instead of null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SlackPostMessage))]
[JsonSerializable(typeof(SlackUpdateMessage))]
[JsonSerializable(typeof(SlackOpenView))]
[JsonSerializable(typeof(SlackResponseMessage))]
[JsonSerializable(typeof(SlackApiResponse))]
[JsonSerializable(typeof(SlackMessageAddress))]
[JsonSerializable(typeof(SlackInteraction))]
[JsonSerializable(typeof(SlackModalMetadata))]
[JsonSerializable(typeof(SlackViewErrors))]
[JsonSerializable(typeof(SlackUserInfoResponse))]
public sealed partial class SlackJson : JsonSerializerContext;
