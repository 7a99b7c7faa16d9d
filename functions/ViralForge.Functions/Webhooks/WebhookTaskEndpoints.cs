using System.Text.Json;
using ViralForge.Core.Webhooks;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Webhooks;

/// <summary>
/// POST /webhooks/deliver, called by the vf-webhooks queue with the same caller check as the stage endpoints; the
/// outcome maps to HTTP in the one place (<see cref="StageOutcomeHttp"/>): 2xx ends the task, 503 makes the queue retry.
/// </summary>
public static class WebhookTaskEndpoints
{
    public static IEndpointRouteBuilder MapWebhookDeliveryEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(WebhookQueue.DeliverPath, async (HttpRequest request, WebhookDeliverer deliverer, CancellationToken cancellationToken) =>
            {
                WebhookDeliveryMessage? message;
                try
                {
                    message = await JsonSerializer.DeserializeAsync(request.Body, WebhookJson.Default.WebhookDeliveryMessage, cancellationToken);
                }
                catch (JsonException ex)
                {
                    return Malformed(ex.Message);
                }
                if (message is null || string.IsNullOrEmpty(message.EventId) || message.SubscriptionId == Guid.Empty)
                {
                    return Malformed("expected {\"eventId\": \"msg_...\", \"subscriptionId\": \"<uuid>\"}");
                }
                var outcome = await deliverer.DeliverAsync(message, StageEndpoints.ReadDelivery(request), cancellationToken);
                return StageOutcomeHttp.ToResult(outcome);
            })
            .AddEndpointFilter<AuthenticateCaller>()
            .WithName("webhooks-deliver");
        return app;
    }

    private static IResult Malformed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed webhook task", detail: detail);
}
