using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>
/// The list page's look at /review/waiting: what waits now as JSON, refused to other host names like the rest of the
/// page, and in Chromium a notice with a link when a video arrives after the page was opened (the page never reloads
/// by itself).
/// </summary>
public sealed class ReviewPageWaitingTests
{
    [Fact]
    public async Task Waiting_lists_the_videos_and_scripts_waiting_for_a_person_and_is_never_cached()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var video = await host.SeedAwaitingAsync();
        var script = await host.SeedScriptReviewAsync("Five minute breakfast ideas");

        using var response = await host.Client.GetAsync("/review/waiting");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([video.Id], body.RootElement.GetProperty("awaiting").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal([script.Id], body.RootElement.GetProperty("scripts").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("making").ValueKind);
        // The list page names what it showed, so its script can tell what is new.
        var (html, _) = await host.OpenAsync("/review");
        Assert.Contains($"data-shown=\"{video.Id} {script.Id}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_answers_no_host_name_but_loopback_ones()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var video = await host.SeedAwaitingAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/review/waiting");
        request.Headers.Host = "rebind.evil.example";
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(video.Id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_list_says_when_a_new_video_waits_and_its_link_shows_it_in_chromium()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var first = await host.SeedAwaitingAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var errors = DebianChromium.ConsoleErrors(page);
        await page.GotoAsync(new Uri(host.BaseAddress, "/review").ToString());
        await Assertions.Expect(page.Locator($"#job-{first.Id}")).ToBeVisibleAsync();
        var notice = page.Locator("#waiting-notice");
        // Nothing new: after a look or two the notice stays hidden.
        await page.WaitForTimeoutAsync(2 * Bot.LocalPage.ReviewHtml.WaitingPollMilliseconds + 500);
        await Assertions.Expect(notice).ToBeHiddenAsync();

        var second = await host.SeedAwaitingAsync(topic: "Two minute desk yoga", hook: "Stiff neck? Two minutes.");

        await Assertions.Expect(notice).ToHaveTextAsync("1 more video or script waits for you. Show it", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator($"#job-{second.Id}")).ToHaveCountAsync(0); // told, not reloaded
        await notice.GetByRole(AriaRole.Link, new() { Name = "Show it" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#job-{second.Id}")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#job-{first.Id}")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#waiting-notice")).ToBeHiddenAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
