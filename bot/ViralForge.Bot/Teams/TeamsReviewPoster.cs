using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Teams;

/// <summary>
/// Review cards in Microsoft Teams: posts the card to Teams:ConversationId, replaces it with the decided card once
/// someone decides (everyone sees it; the clicker saw it at once in the invoke answer), and replies under it as a
/// reminder. The address it records is {"serviceUrl","conversationId","activityId"}.
/// </summary>
public sealed class TeamsReviewPoster(BotConnectorClient connector, IOptions<TeamsOptions> options, TimeProvider time) : IReviewPoster
{
    public string Surface => TeamsInvokeHandler.Surface;

    public async Task<PostedReviewMessage> PostAsync(ReviewRequest card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var o = options.Value;
        var conversationId = o.ConversationId ?? throw new InvalidOperationException("Teams is not configured: Teams:ConversationId is not set.");
        var activityId = await connector.SendAsync(conversationId, TeamsCards.Message(TeamsCards.Review(card)), cancellationToken);
        var address = new TeamsAddress(o.ServiceUrl!.AbsoluteUri, conversationId, activityId);
        return new PostedReviewMessage(card.JobId, card.Generation, Surface, JsonSerializer.Serialize(address, TeamsJson.Default.TeamsAddress), time.GetUtcNow());
    }

    public async Task ShowDecisionAsync(PostedReviewMessage message, ReviewRequest card, RecordedDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(decision);
        var address = Address(message);
        await connector.UpdateAsync(address.ConversationId, address.ActivityId, TeamsCards.Message(TeamsCards.Decided(card, decision)), cancellationToken);
    }

    public async Task RemindAsync(PostedReviewMessage message, ReviewRequest card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var address = Address(message);
        var text = $"Reminder: “{TeamsCards.Escape(card.Title, 200)}” is still waiting for a review.";
        await connector.ReplyAsync(address.ConversationId, address.ActivityId, new OutboundActivity("message", Text: text, ReplyToId: address.ActivityId), cancellationToken);
    }

    /// <summary>
    /// The recorded address, refused when it names another Connector than Teams:ServiceUrl: the bot's token goes to
    /// that one only (a card posted before the setting changed cannot be updated from here).
    /// </summary>
    private TeamsAddress Address(PostedReviewMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Surface != Surface)
        {
            throw new ArgumentException($"The message was posted to {message.Surface}, not Teams.", nameof(message));
        }
        TeamsAddress? address;
        try
        {
            address = JsonSerializer.Deserialize(message.Address, TeamsJson.Default.TeamsAddress);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The Teams address of job {message.JobId} is not JSON: {e.Message}", nameof(message), e);
        }
        if (address is null || string.IsNullOrEmpty(address.ConversationId) || string.IsNullOrEmpty(address.ActivityId)
            || !Uri.TryCreate(address.ServiceUrl, UriKind.Absolute, out var serviceUrl))
        {
            throw new ArgumentException($"The Teams address of job {message.JobId} lacks serviceUrl, conversationId or activityId.", nameof(message));
        }
        if (!BotConnectorClient.IsUnder(BotConnectorClient.WithSlash(serviceUrl), options.Value.ServiceUrl))
        {
            throw new InvalidOperationException(
                $"The Teams card of job {message.JobId} was posted through {serviceUrl}, not Teams:ServiceUrl ({options.Value.ServiceUrl}); the bot's token is sent only to the latter.");
        }
        return address;
    }
}
