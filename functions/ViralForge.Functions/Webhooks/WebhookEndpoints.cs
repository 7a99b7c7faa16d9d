using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Webhooks;
using ViralForge.Core.Webhooks;

namespace ViralForge.Functions.Webhooks;

/// <summary>
/// Managing webhook subscriptions under the authenticated /v1 group: POST /webhooks (the answer shows the signing
/// secret, once), GET /webhooks, GET /webhooks/{id}, DELETE /webhooks/{id}, GET /webhooks/{id}/deliveries. Errors are
/// problem+json naming the field. The group's caller check is the group's own; this file adds none.
/// </summary>
public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/webhooks", CreateAsync).WithName("webhooks-create");
        v1.MapGet("/webhooks", ListAsync).WithName("webhooks-list");
        v1.MapGet("/webhooks/{id}", GetAsync).WithName("webhooks-get");
        v1.MapDelete("/webhooks/{id}", DeleteAsync).WithName("webhooks-delete");
        v1.MapGet("/webhooks/{id}/deliveries", DeliveriesAsync).WithName("webhooks-deliveries");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IWebhookStore store, WebhookAddressGuard guard, TimeProvider time, CancellationToken cancellationToken)
    {
        WebhookCreateBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, WebhookApiJson.Default.WebhookCreateBody, cancellationToken);
        }
        catch (JsonException e)
        {
            return Invalid("body", $"The request body is not the JSON expected ({{\"url\": \"https://...\", \"events\": [\"job.published\"]}}): {e.Message}");
        }
        if (body is null)
        {
            return Invalid("body", "The request body is JSON null; send {\"url\": \"https://...\", \"events\": [\"job.published\"]}.");
        }
        var events = body.Events ?? WebhookEventTypes.All;
        var unknown = events.FirstOrDefault(e => !WebhookEventTypes.IsKnown(e ?? ""));
        if (events.Count == 0 || events.Any(e => !WebhookEventTypes.IsKnown(e ?? "")))
        {
            var shown = events.Count == 0 ? "no event" : $"'{unknown}', which is not an event";
            return Invalid("events", $"events has {shown}; use one or more of {string.Join(", ", WebhookEventTypes.All)} (or leave it out for all).");
        }
        if (await guard.CheckAsync(body.Url, cancellationToken) is { } refused)
        {
            return Invalid("url", refused);
        }
        var subscription = new WebhookSubscription(Guid.NewGuid(), new Uri(body.Url!), [.. events.Distinct(StringComparer.Ordinal)], WebhookSigner.NewSecret(), time.GetUtcNow());
        await store.AddSubscriptionAsync(subscription, cancellationToken);
        var created = View(subscription) with { Secret = subscription.Secret };
        return new CreatedAt(Results.Json(created, WebhookApiJson.Default.WebhookView, statusCode: StatusCodes.Status201Created),
            $"{request.PathBase}{request.Path}/{subscription.Id}");
    }

    private static async Task<IResult> ListAsync(IWebhookStore store, CancellationToken cancellationToken)
    {
        var all = await store.ListSubscriptionsAsync(cancellationToken);
        return Results.Json(new WebhookList([.. all.Select(View)]), WebhookApiJson.Default.WebhookList);
    }

    private static async Task<IResult> GetAsync(string id, IWebhookStore store, CancellationToken cancellationToken)
    {
        var (subscription, problem) = await FindAsync(id, store, cancellationToken);
        return subscription is null ? problem! : Results.Json(View(subscription), WebhookApiJson.Default.WebhookView);
    }

    private static async Task<IResult> DeleteAsync(string id, IWebhookStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return BadId(id);
        }
        return await store.DeleteSubscriptionAsync(guid, cancellationToken) ? Results.NoContent() : NotFound(guid);
    }

    private static async Task<IResult> DeliveriesAsync(string id, IWebhookStore store, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var (subscription, problem) = await FindAsync(id, store, cancellationToken);
        if (subscription is null)
        {
            return problem!;
        }
        var log = await store.ListDeliveriesAsync(subscription.Id, options.Value.DeliveryLogPage, cancellationToken);
        var views = log.Select(a => new WebhookDeliveryView(a.EventId, a.EventType, a.Attempt, a.StatusCode, a.Error, a.Succeeded, a.At)).ToList();
        return Results.Json(new WebhookDeliveryList(subscription.Id, View(subscription), views), WebhookApiJson.Default.WebhookDeliveryList);
    }

    private static async Task<(WebhookSubscription? Subscription, IResult? Problem)> FindAsync(string id, IWebhookStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return (null, BadId(id));
        }
        return await store.GetSubscriptionAsync(guid, cancellationToken) is { } found ? (found, null) : (null, NotFound(guid));
    }

    /// <summary>A subscription as the API shows it: never its secret, except in the answer that created it.</summary>
    private static WebhookView View(WebhookSubscription s) =>
        new(s.Id, s.Url.AbsoluteUri, s.Events, s.CreatedAt, s.IsActive, s.DisabledAt, s.DisabledReason, s.FirstFailureAt);

    private static IResult Invalid(string field, string detail) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail, title: "Invalid webhook subscription");

    private static IResult BadId(string id) =>
        Invalid("id", $"'{(id.Length > 40 ? id[..40] + "…" : id)}' is not a subscription id; use the id POST /v1/webhooks answered.");

    private static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"There is no webhook subscription {id}.");

    /// <summary>A 201 with its Location header.</summary>
    private sealed class CreatedAt(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}

/// <summary>POST /v1/webhooks: where to deliver and which events (all four when left out).</summary>
public sealed record WebhookCreateBody(string? Url, IReadOnlyList<string>? Events);

/// <summary>A subscription as the API shows it; <see cref="Secret"/> only in the answer to its creation.</summary>
/// <param name="FailingSince">When the current run of failed deliveries began; null while deliveries succeed.</param>
public sealed record WebhookView(
    Guid Id,
    string Url,
    IReadOnlyList<string> Events,
    DateTimeOffset CreatedAt,
    bool Active,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? FailingSince)
{
    public string? Secret { get; init; }
}

public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);

public sealed record WebhookDeliveryView(string EventId, string EventType, int Attempt, int? StatusCode, string? Error, bool Succeeded, DateTimeOffset At);

public sealed record WebhookDeliveryList(Guid SubscriptionId, WebhookView Subscription, IReadOnlyList<WebhookDeliveryView> Deliveries);

/// <summary>Source-generated JSON for the webhook management API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookCreateBody))]
[JsonSerializable(typeof(WebhookView))]
[JsonSerializable(typeof(WebhookList))]
[JsonSerializable(typeof(WebhookDeliveryList))]
public sealed partial class WebhookApiJson : JsonSerializerContext;
