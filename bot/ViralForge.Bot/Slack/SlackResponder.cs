using System.Threading.Channels;

namespace ViralForge.Bot.Slack;

/// <summary>A message for the person who clicked, to send through the interaction's response_url.</summary>
public sealed record SlackEphemeral(Uri ResponseUrl, string Text);

/// <summary>
/// Tells clickers the outcome ("Already decided: …") off the request path: the interaction endpoint only queues the
/// message, so its acknowledgement is never held up by a second call to Slack. The queue is bounded; when it is full
/// (Slack unreachable for a long time) a message is dropped and logged rather than memory growing without end, because
/// the updated card tells everyone the outcome anyway. Several senders drain it at once: a response_url call takes a
/// round trip to Slack, and one sender alone let a burst of clicks fill the queue (vf bench review showed it).
/// </summary>
public sealed class SlackResponder(IServiceProvider services, ILogger<SlackResponder> log) : BackgroundService
{
    /// <summary>How many messages may wait.</summary>
    public const int Capacity = 1024;

    /// <summary>How many messages are sent at once.</summary>
    public const int Senders = 8;

    private readonly Channel<SlackEphemeral> queue = Channel.CreateBounded<SlackEphemeral>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues the message; never waits.</summary>
    public void Tell(Uri? responseUrl, string text)
    {
        if (responseUrl is null)
        {
            return;
        }
        if (!queue.Writer.TryWrite(new SlackEphemeral(responseUrl, text)))
        {
            log.ResponseDropped(text);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => SendAsync(stoppingToken)));

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                // A typed client per message, so the handler behind it is rotated as IHttpClientFactory intends.
                var client = services.GetRequiredService<SlackWebApiClient>();
                await client.RespondAsync(message.ResponseUrl, new SlackResponseMessage(message.Text), stoppingToken);
            }
            catch (Exception ex) when (ex is SlackApiException or TimeoutException or HttpRequestException or ArgumentException)
            {
                // Nobody can retry this for us and the card shows the outcome to everyone: log and go on.
                log.ResponseFailed(ex.Message);
            }
        }
    }
}
