using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ViralForge.Bot.Slack;

/// <summary>
/// A click on a button of the review card (<see cref="SlackCards.Review"/>) as Slack reports it: a block_actions payload
/// in Slack's shape, the card's title in its header block. For whatever plays Slack: the review benchmark and the tests.
/// </summary>
public sealed record SlackButtonClick(
    string ActionId, Guid JobId, int Generation,
    string UserId, string UserName, string TeamId, string AppId, string Channel,
    string CardTitle, string TriggerId, string ActionTs, string ResponseUrl)
{
    /// <summary>The payload's JSON, the value of the form field "payload".</summary>
    public string ToPayloadJson() => new JsonObject
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = UserId, ["username"] = UserName.ToLowerInvariant(), ["name"] = UserName, ["team_id"] = TeamId },
        ["api_app_id"] = AppId,
        ["token"] = "deprecated-verification-token",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000100", ["channel_id"] = Channel, ["is_ephemeral"] = false },
        ["trigger_id"] = TriggerId,
        ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = "viralforge" },
        ["channel"] = new JsonObject { ["id"] = Channel, ["name"] = "video-review" },
        ["message"] = new JsonObject
        {
            ["type"] = "message",
            ["ts"] = "1700000000.000100",
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "header",
                ["block_id"] = "vf-review-title",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = CardTitle, ["emoji"] = true },
            }),
        },
        ["response_url"] = ResponseUrl,
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = ActionId,
            ["block_id"] = $"vf-review-actions-{JobId:N}-{Generation}",
            ["value"] = $"{JobId:D}:{Generation}",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Approve" },
            ["action_ts"] = ActionTs,
        }),
    }.ToJsonString();
}

/// <summary>
/// An interaction request as Slack sends it to <see cref="SlackInteractionHandler.Path"/>: the payload form-encoded,
/// signed with <see cref="SlackRequestSigner"/> in the headers <see cref="SlackSignatureVerifier"/> reads.
/// </summary>
public static class SlackInteractionRequest
{
    /// <summary>The form body: the field "payload" holding the JSON.</summary>
    public static string FormBody(string payloadJson) => "payload=" + Uri.EscapeDataString(payloadJson);

    /// <summary>The request for the payload, signed with the secret at <paramref name="unixSeconds"/>.</summary>
    public static HttpRequestMessage Signed(string payloadJson, string signingSecret, long unixSeconds)
    {
        var body = Encoding.UTF8.GetBytes(FormBody(payloadJson));
        var timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return Create(body, timestamp, SlackRequestSigner.Sign(signingSecret, timestamp, body));
    }

    /// <summary>The request with this raw body and these header values; a null one is left out (to play a forger).</summary>
    public static HttpRequestMessage Create(byte[] body, string? timestamp, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SlackInteractionHandler.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        if (timestamp is not null)
        {
            request.Headers.TryAddWithoutValidation(SlackSignatureVerifier.TimestampHeader, timestamp);
        }
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(SlackSignatureVerifier.SignatureHeader, signature);
        }
        return request;
    }
}
