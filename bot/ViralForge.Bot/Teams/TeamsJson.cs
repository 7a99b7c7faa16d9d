using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Teams;

/// <summary>An account in an activity: the Teams user id, their name and (for people) their Entra ID object id.</summary>
public sealed record ChannelAccount(string? Id, string? Name, string? AadObjectId);

/// <summary>The conversation an activity belongs to.</summary>
public sealed record ConversationAccount(string? Id, string? ConversationType, string? TenantId);

/// <summary>The parts of an inbound Bot Framework activity the bot reads (API_REFERENCE 7.1).</summary>
public sealed record Activity(
    string? Type,
    string? Id,
    string? ServiceUrl,
    string? ChannelId,
    ChannelAccount? From,
    ConversationAccount? Conversation,
    string? Name,
    JsonElement? Value,
    string? ReplyToId);

/// <summary>An attachment of an outbound activity; for cards, contentType application/vnd.microsoft.card.adaptive.</summary>
public sealed record Attachment(string ContentType, JsonObject Content);

/// <summary>An activity the bot sends: a card (attachments), a text reply, or a replacement (with the id it replaces).</summary>
public sealed record OutboundActivity(string Type, string? Id = null, string? Text = null, IReadOnlyList<Attachment>? Attachments = null, string? ReplyToId = null);

/// <summary>The Connector's answer to a send: the new activity's id.</summary>
public sealed record ResourceResponse(string? Id);

/// <summary>The Connector's error body: {"error":{"code","message"}}.</summary>
public sealed record ConnectorErrorBody(ConnectorError? Error);

/// <summary>The error inside <see cref="ConnectorErrorBody"/>.</summary>
public sealed record ConnectorError(string? Code, string? Message);

/// <summary>Microsoft identity platform's token answer (client credentials).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

/// <summary>The part of the OpenID metadata document the bot needs.</summary>
public sealed record OpenIdMetadata([property: JsonPropertyName("jwks_uri")] string? JwksUri);

/// <summary>Where a review card was posted in Teams: <see cref="PostedReviewMessage.Address"/> for the "teams" surface.</summary>
public sealed record TeamsAddress(string ServiceUrl, string ConversationId, string ActivityId);

/// <summary>
/// What every card action carries back: the job and generation it decides, and the facts the card shows (so that the
/// answer card can show them again without a database read inside Teams' short invoke deadline).
/// </summary>
public sealed record CardActionData(Guid JobId, int Generation, ReviewRequest? Request);

/// <summary>Source-generated JSON for the Bot Framework wire format the Teams side reads and writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(OutboundActivity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConnectorErrorBody))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OpenIdMetadata))]
[JsonSerializable(typeof(TeamsAddress))]
[JsonSerializable(typeof(CardActionData))]
[JsonSerializable(typeof(ReviewRequest))]
public sealed partial class TeamsJson : JsonSerializerContext;
