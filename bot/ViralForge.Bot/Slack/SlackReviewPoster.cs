using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralForge.Core.Ports;

namespace ViralForge.Bot.Slack;

/// <summary>
/// Review cards in the Slack channel Slack:Channel: posts the card, replaces it with the decision once someone decides
/// (for everyone, buttons gone), and reminds in a thread under it.
/// </summary>
/// <remarks>
/// The review channel and the review tasks hold their posters for the life of the process, so the poster asks for a
/// typed client per call instead of keeping one: IHttpClientFactory then rotates the handler behind it as it should.
/// </remarks>
public sealed class SlackReviewPoster(IServiceProvider services, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackReviewPoster> log) : IReviewPoster
{
    public const string SurfaceName = "slack";

    public string Surface => SurfaceName;

    public async Task<PostedReviewMessage> PostAsync(ReviewRequest card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var channel = options.Value.Channel ?? throw new InvalidOperationException("Slack:Channel is not set, so Slack is off.");
        var content = SlackCards.Review(card);
        var posted = await Slack.PostMessageAsync(new SlackPostMessage(channel, content.Text, content.Blocks, UnfurlLinks: false), cancellationToken);
        // The answer's channel is the id (C…) even when Slack:Channel is a name, and chat.update wants the id.
        if (string.IsNullOrEmpty(posted.Channel) || string.IsNullOrEmpty(posted.Ts))
        {
            throw new SlackApiException("chat.postMessage", "malformed_response", System.Net.HttpStatusCode.OK,
                "Slack answered chat.postMessage with ok:true but without the channel and ts that identify the message.");
        }
        log.CardPosted(card.JobId, card.Generation, posted.Channel, posted.Ts);
        var address = JsonSerializer.Serialize(new SlackMessageAddress(posted.Channel, posted.Ts), SlackJson.Default.SlackMessageAddress);
        return new PostedReviewMessage(card.JobId, card.Generation, Surface, address, clock.GetUtcNow());
    }

    public async Task ShowDecisionAsync(PostedReviewMessage message, ReviewRequest card, RecordedDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(decision);
        var address = AddressOf(message);
        var content = SlackCards.Decided(card, decision);
        try
        {
            await Slack.UpdateMessageAsync(new SlackUpdateMessage(address.Channel, address.Ts, content.Text, content.Blocks), cancellationToken);
            log.CardUpdated(address.Channel, address.Ts, card.JobId);
        }
        catch (SlackApiException ex) when (ex.Error is "message_not_found" or "channel_not_found" or "is_archived")
        {
            // Someone deleted the card or archived the channel: there is nothing left to update, and repeating cannot help.
            log.CardGone(address.Channel, address.Ts, card.JobId, ex.Error);
        }
    }

    public async Task RemindAsync(PostedReviewMessage message, ReviewRequest card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var address = AddressOf(message);
        await Slack.PostMessageAsync(new SlackPostMessage(address.Channel, SlackCards.Reminder(card), ThreadTs: address.Ts), cancellationToken);
    }

    private SlackWebApiClient Slack => services.GetRequiredService<SlackWebApiClient>();

    private SlackMessageAddress AddressOf(PostedReviewMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Surface != Surface)
        {
            throw new ArgumentException($"A {message.Surface} message is not Slack's to update.", nameof(message));
        }
        SlackMessageAddress? address = null;
        try
        {
            address = JsonSerializer.Deserialize(message.Address, SlackJson.Default.SlackMessageAddress);
        }
        catch (JsonException)
        {
        }
        return address is { Channel.Length: > 0, Ts.Length: > 0 }
            ? address
            : throw new ArgumentException($"'{message.Address}' is not a Slack message address {{\"channel\",\"ts\"}}.", nameof(message));
    }
}
