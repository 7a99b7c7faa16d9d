using System.Text.Json;
using System.Text.Json.Nodes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Bot.Teams;

/// <summary>
/// Answers a card click (an "adaptiveCard/action" invoke) with the card the clicker sees next: the confirmation, the
/// decided card, or a notice. Every decision goes through <see cref="ReviewDesk"/>, which checks the reviewer and
/// records exactly one decision per (job, generation); applying it and updating the card for everyone follow on the
/// task queue (POST /review/apply and the poster's ShowDecisionAsync).
/// </summary>
/// <remarks>
/// The facts shown on the answer card come from the action's data, which the bot itself put on the card. A tampered
/// client could change what it shows to itself, never what is decided (the job and generation are checked by the
/// desk) nor who decides (the AAD object id comes from the Connector's signed activity).
/// </remarks>
public sealed class TeamsInvokeHandler(ReviewDesk desk, IReviewLedger ledger, TimeProvider time, ILogger<TeamsInvokeHandler> log)
{
    public const string InvokeName = "adaptiveCard/action";
    public const string Surface = "teams";

    /// <summary>The invoke response body: 200 with a card, or a 400 error Teams shows the clicker.</summary>
    public async Task<JsonObject> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return Error("The click carried no card action.");
        }
        var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (!action.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return Error("The card action carried no data.");
        }
        CardActionData? card;
        try
        {
            card = data.Deserialize(TeamsJson.Default.CardActionData);
        }
        catch (JsonException)
        {
            card = null;
        }
        if (card is null || card.JobId == Guid.Empty || card.Generation < 0)
        {
            return Error("The card action does not say which video it is for.");
        }
        var request = card.Request;
        var reviewerId = activity.From?.AadObjectId ?? "";
        var reviewerName = string.IsNullOrWhiteSpace(activity.From?.Name) ? reviewerId : activity.From!.Name!.Trim();

        switch (verb)
        {
            case TeamsCards.Verbs.Approve:
                // The confirmation decides nothing, but it should not ask a stranger or ask about a settled card.
                if (!desk.IsReviewer(reviewerId))
                {
                    return Card(TeamsCards.Notice(NotAReviewer, request));
                }
                if (await ledger.GetDecisionAsync(card.JobId, card.Generation, cancellationToken) is { } first)
                {
                    return Card(TeamsCards.Notice($"Already decided: {ReviewDesk.Describe(first)}.", request));
                }
                return request is null ? Error("The card action does not carry the video's details.") : Card(TeamsCards.ConfirmApprove(request));
            case TeamsCards.Verbs.Show:
                return request is null ? Error("The card action does not carry the video's details.") : Card(TeamsCards.Review(request));
            case TeamsCards.Verbs.ApproveConfirmed:
                return await DecideAsync(card, request, ReviewVerdict.Approve, null, null, null, reviewerId, reviewerName, cancellationToken);
            case TeamsCards.Verbs.Reject:
                var reason = InputText(data, TeamsCards.Inputs.Reason);
                if (reason is null)
                {
                    return Error("Give a reason to reject the video.");
                }
                if (reason.Length > TeamsCards.MaxReasonLength)
                {
                    return Error($"Keep the reason under {TeamsCards.MaxReasonLength} characters.");
                }
                return await DecideAsync(card, request, ReviewVerdict.Reject, reason, null, null, reviewerId, reviewerName, cancellationToken);
            case TeamsCards.Verbs.Regenerate:
                var stageText = InputText(data, TeamsCards.Inputs.Stage);
                if (!StageOrder.TryParse(stageText, out var stage) || !TeamsCards.RegenerableStages.Contains(stage))
                {
                    return Error($"Choose what to make again: {string.Join(", ", TeamsCards.RegenerableStages.Select(s => s.Wire()))}.");
                }
                var feedback = InputText(data, TeamsCards.Inputs.Feedback);
                if (feedback is { Length: > TeamsCards.MaxFeedbackLength })
                {
                    return Error($"Keep the feedback under {TeamsCards.MaxFeedbackLength} characters.");
                }
                return await DecideAsync(card, request, ReviewVerdict.Regenerate, null, stage, feedback, reviewerId, reviewerName, cancellationToken);
            default:
                return Error($"Unknown card action '{verb}'.");
        }
    }

    private const string NotAReviewer = "You are not on the reviewers list for these videos, so your click changed nothing.";

    private async Task<JsonObject> DecideAsync(
        CardActionData card, ReviewRequest? request, ReviewVerdict verdict, string? reason, StageName? stage, string? feedback,
        string reviewerId, string reviewerName, CancellationToken cancellationToken)
    {
        var result = await desk.DecideAsync(
            new RecordedDecision(card.JobId, card.Generation, verdict, reviewerId, reviewerName, Surface, reason, stage, feedback, time.GetUtcNow()),
            cancellationToken);
        log.TeamsClick(card.JobId, card.Generation, verdict.ToString(), reviewerId, result.Outcome.ToString());
        return result.Outcome switch
        {
            DeskOutcome.Decided when request is not null => Card(TeamsCards.Decided(request, result.Decision!)),
            DeskOutcome.NotAReviewer => Card(TeamsCards.Notice(NotAReviewer, request)),
            _ => Card(TeamsCards.Notice(result.Message, request)),
        };
    }

    /// <summary>An input's value, trimmed; null when missing or blank.</summary>
    private static string? InputText(JsonElement data, string id) =>
        data.TryGetProperty(id, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text)
            ? text.Trim()
            : null;

    /// <summary>{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":card}: the card replaces the clicker's view.</summary>
    public static JsonObject Card(JsonObject card) => new()
    {
        ["statusCode"] = 200,
        ["type"] = TeamsCards.ContentType,
        ["value"] = card,
    };

    /// <summary>{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code","message"}}: Teams shows the message.</summary>
    public static JsonObject Error(string message) => new()
    {
        ["statusCode"] = 400,
        ["type"] = "application/vnd.microsoft.error",
        ["value"] = new JsonObject { ["code"] = "BadRequest", ["message"] = message },
    };
}
