using Microsoft.AspNetCore.Antiforgery;
using ViralForge.Adapters.Webhooks;
using ViralForge.Core.Webhooks;

namespace ViralForge.Functions.Dashboard;

/// <summary>A subscription with its newest deliveries, as the webhooks page shows it.</summary>
public sealed record WebhookRow(WebhookSubscription Subscription, IReadOnlyList<WebhookAttempt> Deliveries);

/// <summary>
/// The dashboard's webhooks page: GET /hooks lists every subscription with its state and newest deliveries; POST
/// /hooks/add makes one through the API's checks (known events, <see cref="WebhookAddressGuard"/>) and shows its secret
/// once; POST /hooks/{id}/delete removes one. /hooks, not /webhooks: POST /webhooks/deliver is the queue's endpoint.
/// </summary>
public static class DashboardWebhooks
{
    /// <summary>How many deliveries each subscription shows; the API's /deliveries has the full log.</summary>
    public const int DeliveriesShown = 5;

    private const string PageName = "the webhooks page";

    public static void Map(RouteGroupBuilder pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        pages.MapGet("/hooks", PageAsync);
        pages.MapPost("/hooks/add", AddAsync);
        pages.MapPost("/hooks/{id:guid}/delete", DeleteAsync);
    }

    private static async Task<IResult> PageAsync(HttpContext http, IAntiforgery antiforgery, IWebhookStore store, CancellationToken ct)
    {
        var notice = http.Request.Query["done"].ToString() == "delete" ? "Deleted; its delivery log went with it." : null;
        return await RenderAsync(http, antiforgery, store, notice, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> RenderAsync(
        HttpContext http, IAntiforgery antiforgery, IWebhookStore store, string? notice, WebhookSubscription? created, int status, CancellationToken ct)
    {
        var rows = new List<WebhookRow>();
        foreach (var subscription in await store.ListSubscriptionsAsync(ct))
        {
            rows.Add(new WebhookRow(subscription, await store.ListDeliveriesAsync(subscription.Id, DeliveriesShown, ct)));
        }
        var since = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var token = DashboardEndpoints.Token(http, antiforgery);
        return DashboardEndpoints.Html(http, DashboardHtml.WebhooksPage(rows, DashboardEndpoints.Viewer(http), token, notice, status >= 400, created, since), status);
    }

    private static async Task<IResult> AddAsync(
        HttpContext http, IAntiforgery antiforgery, IWebhookStore store, WebhookAddressGuard guard, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(DashboardWebhooks).FullName!);
        if (await DashboardEndpoints.RefuseFormAsync(http, antiforgery, log, PageName) is { } refused)
        {
            return refused;
        }
        var form = await http.Request.ReadFormAsync(ct);
        var url = form["url"].ToString().Trim();
        var events = form["events"].Where(e => !string.IsNullOrEmpty(e)).Select(e => e!).Distinct(StringComparer.Ordinal).ToList();
        string? problem = null;
        if (events.Count == 0)
        {
            problem = "Pick at least one event; nothing was added.";
        }
        else if (events.FirstOrDefault(e => !WebhookEventTypes.IsKnown(e)) is { } unknown)
        {
            problem = $"'{unknown}' is not an event; use {string.Join(", ", WebhookEventTypes.All)}. Nothing was added.";
        }
        else if (await guard.CheckAsync(url, ct) is { } refusal)
        {
            problem = refusal;
        }
        if (problem is not null)
        {
            return await RenderAsync(http, antiforgery, store, problem, null, StatusCodes.Status400BadRequest, ct);
        }
        var subscription = new WebhookSubscription(Guid.NewGuid(), new Uri(url), events, WebhookSigner.NewSecret(), time.GetUtcNow());
        await store.AddSubscriptionAsync(subscription, ct);
        var viewer = DashboardEndpoints.Viewer(http);
        log.WebhookChanged(viewer.Name, "added", subscription.Id, subscription.Url.AbsoluteUri);
        // The secret is shown in this answer only (no redirect: a GET could not show it again, as the store never gives it out).
        return await RenderAsync(http, antiforgery, store, "Added. Copy the signing secret now: it is not shown again.", subscription, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, IAntiforgery antiforgery, IWebhookStore store, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(DashboardWebhooks).FullName!);
        if (await DashboardEndpoints.RefuseFormAsync(http, antiforgery, log, PageName) is { } refused)
        {
            return refused;
        }
        var existing = await store.GetSubscriptionAsync(id, ct);
        if (!await store.DeleteSubscriptionAsync(id, ct))
        {
            return await RenderAsync(http, antiforgery, store, "That subscription was already deleted.", null, StatusCodes.Status409Conflict, ct);
        }
        log.WebhookChanged(DashboardEndpoints.Viewer(http).Name, "deleted", id, existing?.Url.AbsoluteUri ?? "");
        http.Response.Headers.Location = "/hooks?done=delete";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
