using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.Slack;

/// <summary>
/// POST /slack/interactions: verifies Slack's signature on the raw bytes, then handles a button click (Approve decides;
/// Reject and Regenerate open their modal at once, while the trigger_id lives) or a modal submission (decides with the
/// reason, or the stage and feedback). It answers within Slack's 3 s: the desk only records the decision and queues
/// its application, and the clicker hears the outcome through <see cref="SlackResponder"/>, off this request.
/// </summary>
public sealed class SlackInteractionHandler(
    SlackSignatureVerifier verifier,
    ReviewDesk desk,
    IReviewLedger ledger,
    SlackWebApiClient slack,
    SlackResponder responder,
    SlackUserNames names,
    TimeProvider clock,
    ILogger<SlackInteractionHandler> log)
{
    public const string Path = "/slack/interactions";

    /// <summary>Far above any real interaction payload (which carries the message's blocks), far below harm.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// How long after the click's arrival views.open may still be waited on: a trigger_id is good for 3 s after the click,
    /// and the click must be answered in 3 s. Counted from the request's arrival, not from the call, because checking the
    /// signature and the ledger comes first and takes longer on a loaded machine; the rest of the 3 s is for Slack's
    /// network and our answer.
    /// </summary>
    public static readonly TimeSpan TriggerLifetime = TimeSpan.FromSeconds(2.2);

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arrived = clock.GetTimestamp();
        if (request.ContentLength > MaxBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"a body of {request.ContentLength} bytes");
        }
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"a body over {MaxBodyBytes} bytes");
        }

        // Nothing of the body is read before the signature over its exact bytes is checked.
        var check = verifier.Verify(
            request.Headers[SlackSignatureVerifier.TimestampHeader].ToString(),
            request.Headers[SlackSignatureVerifier.SignatureHeader].ToString(),
            body);
        if (!check.Valid)
        {
            return Refuse(StatusCodes.Status401Unauthorized, check.Reason ?? "bad signature");
        }

        SlackInteraction? interaction;
        try
        {
            var form = new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
            if (!form.TryGetValue("payload", out var payload) || string.IsNullOrEmpty(payload.ToString()))
            {
                return Refuse(StatusCodes.Status400BadRequest, "no payload form field");
            }
            interaction = JsonSerializer.Deserialize(payload.ToString(), SlackJson.Default.SlackInteraction);
        }
        catch (JsonException ex)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"the payload is not JSON: {ex.Message}");
        }
        if (interaction is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "the payload is JSON null");
        }

        return interaction.Type switch
        {
            "block_actions" => await OnBlockActionAsync(interaction, arrived, cancellationToken),
            "view_submission" => await OnViewSubmissionAsync(interaction, cancellationToken),
            _ => Ignore(interaction.Type ?? "(none)", ""),
        };
    }

    private async Task<IResult> OnBlockActionAsync(SlackInteraction interaction, long arrived, CancellationToken cancellationToken)
    {
        var action = interaction.Actions is { Count: > 0 } actions ? actions[0] : null;
        if (action?.ActionId is not (SlackCards.ApproveAction or SlackCards.RejectAction or SlackCards.RegenerateAction))
        {
            return Ignore("block_actions", action?.ActionId ?? "(no action)");
        }
        if (!SlackCards.TryParseButtonValue(action.Value, out var jobId, out var generation))
        {
            return Refuse(StatusCodes.Status400BadRequest, $"button value '{action.Value}' is not jobId:generation");
        }
        var (userId, handle) = Who(interaction.User);
        var responseUrl = AbsoluteUrl(interaction.ResponseUrl);

        if (action.ActionId == SlackCards.ApproveAction)
        {
            var userName = await NameAsync(userId, handle, cancellationToken);
            var result = await desk.DecideAsync(
                new RecordedDecision(jobId, generation, ReviewVerdict.Approve, userId, userName, "slack", null, null, null, clock.GetUtcNow()),
                cancellationToken);
            log.Decided("approve", userId, jobId, generation, result.Outcome.ToString());
            responder.Tell(responseUrl, result.Message);
            return Results.Ok();
        }

        // Before asking for a reason, say at once what the modal's submission would only say later.
        if (!desk.IsReviewer(userId))
        {
            responder.Tell(responseUrl, "You are not on the reviewers list for these videos, so your click changed nothing.");
            return Results.Ok();
        }
        if (await ledger.GetDecisionAsync(jobId, generation, cancellationToken) is { } first)
        {
            responder.Tell(responseUrl, $"Already decided: {ReviewDesk.Describe(first)}.");
            return Results.Ok();
        }
        if (string.IsNullOrEmpty(interaction.TriggerId))
        {
            return Refuse(StatusCodes.Status400BadRequest, "a button click without trigger_id");
        }

        var metadata = new SlackModalMetadata(
            jobId, generation, interaction.Container?.ChannelId ?? interaction.Channel?.Id,
            interaction.Container?.MessageTs ?? interaction.Message?.Ts, responseUrl?.AbsoluteUri);
        var title = CardTitle(interaction) ?? "this video";
        var view = action.ActionId == SlackCards.RejectAction ? SlackCards.RejectView(metadata, title) : SlackCards.RegenerateView(metadata, title);
        // Directly, not queued: the trigger_id expires 3 s after the click, and Slack wants our answer within 3 s too, so
        // retries stop at that deadline whatever Slack:MaxRetryAttempts allows.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var left = TriggerLifetime - clock.GetElapsedTime(arrived);
        deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        try
        {
            await slack.OpenViewAsync(new SlackOpenView(interaction.TriggerId, view), deadline.Token);
        }
        catch (Exception ex) when (ex is SlackApiException or TimeoutException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            log.ModalFailed(action.ActionId, jobId, ex.Message);
            responder.Tell(responseUrl, "Slack could not open the form just now; please click the button again.");
        }
        return Results.Ok();
    }

    private async Task<IResult> OnViewSubmissionAsync(SlackInteraction interaction, CancellationToken cancellationToken)
    {
        var view = interaction.View;
        if (view?.CallbackId is not (SlackCards.RejectModal or SlackCards.RegenerateModal))
        {
            return Ignore("view_submission", view?.CallbackId ?? "(no callback_id)");
        }
        SlackModalMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(view.PrivateMetadata ?? "", SlackJson.Default.SlackModalMetadata);
        }
        catch (JsonException)
        {
            metadata = null;
        }
        if (metadata is null || metadata.JobId == Guid.Empty || metadata.Generation < 1)
        {
            return Refuse(StatusCodes.Status400BadRequest, "a modal submission whose private_metadata is not ours");
        }

        var values = view.State?.Values;
        RecordedDecision decision;
        var (userId, handle) = Who(interaction.User);
        var userName = await NameAsync(userId, handle, cancellationToken);
        var now = clock.GetUtcNow();
        if (view.CallbackId == SlackCards.RejectModal)
        {
            var reason = Input(values, SlackCards.ReasonBlock, SlackCards.ReasonInput)?.Value?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                return Errors(SlackCards.ReasonBlock, "Say why the video is rejected; the reason is written to the sheet.");
            }
            if (reason.Length > SlackCards.MaxReasonLength)
            {
                return Errors(SlackCards.ReasonBlock, $"Keep the reason to {SlackCards.MaxReasonLength} characters.");
            }
            decision = new RecordedDecision(metadata.JobId, metadata.Generation, ReviewVerdict.Reject, userId, userName, "slack", reason, null, null, now);
        }
        else
        {
            var chosen = Input(values, SlackCards.StageBlock, SlackCards.StageInput)?.SelectedOption?.Value;
            if (chosen is null || !StageOrder.TryParse(chosen, out var stage) || !SlackCards.RegenerableStages.Contains(stage))
            {
                return Errors(SlackCards.StageBlock, "Choose script, visuals or voice.");
            }
            var feedback = Input(values, SlackCards.FeedbackBlock, SlackCards.FeedbackInput)?.Value?.Trim();
            if (feedback?.Length > SlackCards.MaxReasonLength)
            {
                return Errors(SlackCards.FeedbackBlock, $"Keep the feedback to {SlackCards.MaxReasonLength} characters.");
            }
            decision = new RecordedDecision(metadata.JobId, metadata.Generation, ReviewVerdict.Regenerate, userId, userName, "slack",
                null, stage, string.IsNullOrEmpty(feedback) ? null : feedback, now);
        }

        var result = await desk.DecideAsync(decision, cancellationToken);
        log.Decided(view.CallbackId, userId, metadata.JobId, metadata.Generation, result.Outcome.ToString());
        if (result.Outcome != DeskOutcome.Decided)
        {
            // Keep the modal open with the reason nothing changed; closing it silently would look like success.
            return Errors(view.CallbackId == SlackCards.RejectModal ? SlackCards.ReasonBlock : SlackCards.StageBlock, result.Message);
        }
        responder.Tell(AbsoluteUrl(metadata.ResponseUrl), result.Message);
        return Results.Ok();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static SlackStateValue? Input(Dictionary<string, Dictionary<string, SlackStateValue>>? values, string block, string action) =>
        values is not null && values.TryGetValue(block, out var inputs) && inputs.TryGetValue(action, out var value) ? value : null;

    /// <summary>
    /// The name recorded with a decision: a reviewer's real name from users.info; the payload's handle for anyone else
    /// (whose click the desk refuses anyway) and whenever the lookup fails.
    /// </summary>
    private Task<string> NameAsync(string userId, string handle, CancellationToken cancellationToken) =>
        desk.IsReviewer(userId) ? names.NameAsync(userId, handle, cancellationToken) : Task.FromResult(handle);

    private static (string Id, string Name) Who(SlackUser? user)
    {
        var id = user?.Id ?? "";
        var name = !string.IsNullOrWhiteSpace(user?.Name) ? user.Name : !string.IsNullOrWhiteSpace(user?.Username) ? user.Username : id;
        return (id, name);
    }

    /// <summary>The clicked card's title, from its header block, for the modal's first line.</summary>
    private static string? CardTitle(SlackInteraction interaction)
    {
        foreach (var block in interaction.Message?.Blocks ?? [])
        {
            if (block is JsonObject b && b["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "header"
                && b["text"] is JsonObject { } header && header["text"] is JsonValue text
                && text.TryGetValue<string>(out var title))
            {
                return title;
            }
        }
        return null;
    }

    private static Uri? AbsoluteUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp) ? parsed : null;

    private static IResult Errors(string block, string message) =>
        Results.Json(new SlackViewErrors(new Dictionary<string, string> { [block] = SlackText.Plain(message, 2000) }), SlackJson.Default.SlackViewErrors);

    private IResult Ignore(string type, string what)
    {
        log.Ignored(type, what);
        return Results.Ok();
    }

    private IResult Refuse(int status, string reason)
    {
        log.InteractionRefused(status, reason);
        return Results.StatusCode(status);
    }
}
