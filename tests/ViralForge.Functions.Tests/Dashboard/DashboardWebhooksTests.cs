using System.Net;
using System.Text.RegularExpressions;
using ViralForge.Core.Webhooks;

namespace ViralForge.Functions.Tests.Dashboard;

/// <summary>The dashboard's webhooks page (/hooks) and the list page's disabled notice, through the real host.</summary>
public sealed partial class DashboardWebhooksTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_page_lists_an_active_and_a_disabled_subscription_with_its_reason_and_deliveries()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        var store = host.Get<IWebhookStore>();
        var (active, disabled) = await SeedAsync(store);
        var job = await DashboardSeed.SubmitAsync(host, "Bread one");
        var webhookEvent = new WebhookEvent($"msg_{Guid.NewGuid():N}", job, WebhookEventTypes.Failed, "{}", Created);
        await store.RecordEventAsync(webhookEvent, CancellationToken.None);
        await store.RecordAttemptAsync(new WebhookAttempt(disabled.Id, webhookEvent.Id, webhookEvent.Type, 1, 502, "the receiver answered 502", false, Created.AddDays(1)),
            TimeSpan.FromDays(365), CancellationToken.None);

        await store.AddSubscriptionAsync(new WebhookSubscription(Guid.NewGuid(), new Uri("https://93.184.215.14/flaky"), [WebhookEventTypes.Published],
            WebhookSigner.NewSecret(), Created, FirstFailureAt: Created.AddHours(3)), CancellationToken.None);

        var page = WebUtility.HtmlDecode(await host.Client.GetStringAsync("/hooks"));

        Assert.Contains(active.Url.AbsoluteUri, page, StringComparison.Ordinal);
        Assert.Contains(disabled.Url.AbsoluteUri, page, StringComparison.Ordinal);
        Assert.Contains("deliveries failed for 24 hours", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Disabled</strong> at", page, StringComparison.Ordinal);
        Assert.Contains(">active</span>", page, StringComparison.Ordinal);
        Assert.Contains(">failing</span> since <time datetime=\"2026-12-05T12:00:00.0000000Z\">", page, StringComparison.Ordinal);
        Assert.Contains("the receiver answered 502", page, StringComparison.Ordinal);
        Assert.Contains(">502</span>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(active.Secret, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_page_says_when_a_webhook_is_disabled()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        Assert.DoesNotContain("webhooks-disabled", await host.Client.GetStringAsync("/"), StringComparison.Ordinal);
        await SeedAsync(host.Get<IWebhookStore>());

        var list = await host.Client.GetStringAsync("/");

        Assert.Contains("<a href=\"/hooks\">1 webhook disabled after a day of failed deliveries</a>", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_through_the_form_stores_it_and_shows_its_secret_once()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        using var client = Browser(host);
        var token = await TokenAsync(client);

        using var response = await PostAsync(host, client, "/hooks/add", token,
            ("url", "https://93.184.215.14/viralforge"), ("events", WebhookEventTypes.Published), ("events", WebhookEventTypes.Failed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await host.Get<IWebhookStore>().ListSubscriptionsAsync(CancellationToken.None));
        Assert.Equal("https://93.184.215.14/viralforge", stored.Url.AbsoluteUri);
        Assert.Equal([WebhookEventTypes.Published, WebhookEventTypes.Failed], stored.Events);
        Assert.Contains(stored.Secret, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.DoesNotContain(stored.Secret, WebUtility.HtmlDecode(await client.GetStringAsync("/hooks")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_url_shows_the_guards_message_and_stores_nothing()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        using var client = Browser(host);
        var token = await TokenAsync(client);

        using var response = await PostAsync(host, client, "/hooks/add", token, ("url", "http://169.254.169.254/"), ("events", WebhookEventTypes.Published));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var expected = await host.Get<ViralForge.Adapters.Webhooks.WebhookAddressGuard>().CheckAsync("http://169.254.169.254/", CancellationToken.None);
        Assert.NotNull(expected);
        Assert.Contains(expected, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(await host.Get<IWebhookStore>().ListSubscriptionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_the_subscription()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        var (active, _) = await SeedAsync(host.Get<IWebhookStore>());
        using var client = Browser(host);
        var token = await TokenAsync(client);

        using var response = await PostAsync(host, client, $"/hooks/{active.Id}/delete", token);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null(await host.Get<IWebhookStore>().GetSubscriptionAsync(active.Id, CancellationToken.None));
        Assert.Single(await host.Get<IWebhookStore>().ListSubscriptionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_cross_site_post_changes_nothing()
    {
        await using var host = await TestHost.StartAsync(dispatch: false);
        var (active, _) = await SeedAsync(host.Get<IWebhookStore>());
        using var client = Browser(host);
        var token = await TokenAsync(client);

        using var delete = await PostAsync(host, client, $"/hooks/{active.Id}/delete", token, origin: "http://attacker.example");
        using var add = await PostAsync(host, client, "/hooks/add", token, origin: "http://attacker.example",
            ("url", "https://93.184.215.14/viralforge"), ("events", WebhookEventTypes.Published));

        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(2, (await host.Get<IWebhookStore>().ListSubscriptionsAsync(CancellationToken.None)).Count);
    }

    private static async Task<(WebhookSubscription Active, WebhookSubscription Disabled)> SeedAsync(IWebhookStore store)
    {
        var active = new WebhookSubscription(Guid.NewGuid(), new Uri("https://93.184.215.14/active"), [WebhookEventTypes.Published], WebhookSigner.NewSecret(), Created);
        var disabled = new WebhookSubscription(Guid.NewGuid(), new Uri("https://93.184.215.14/broken"), [WebhookEventTypes.Failed], WebhookSigner.NewSecret(), Created,
            Created.AddDays(1), "deliveries failed for 24 hours (last: the receiver answered 502)", Created);
        await store.AddSubscriptionAsync(active, CancellationToken.None);
        await store.AddSubscriptionAsync(disabled, CancellationToken.None);
        return (active, disabled);
    }

    private static HttpClient Browser(TestHost host) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };

    private static async Task<string> TokenAsync(HttpClient client) =>
        WebUtility.HtmlDecode(FormToken().Match(await client.GetStringAsync("/hooks")).Groups[1].Value);

    private static Task<HttpResponseMessage> PostAsync(TestHost host, HttpClient client, string path, string token, params (string Name, string Value)[] fields) =>
        PostAsync(host, client, path, token, null, fields);

    private static async Task<HttpResponseMessage> PostAsync(
        TestHost host, HttpClient client, string path, string token, string? origin, params (string Name, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(all) };
        request.Headers.TryAddWithoutValidation("Origin", origin ?? host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
