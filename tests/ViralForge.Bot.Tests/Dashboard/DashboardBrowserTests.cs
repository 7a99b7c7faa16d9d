using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ViralForge.Adapters.Local;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Functions.Dashboard;
using ViralForge.Testing;

namespace ViralForge.Bot.Tests.Dashboard;

/// <summary>
/// The admin dashboard in a real browser (Debian's Chromium, headless, driven by Playwright) against a host on a loopback
/// port running the whole local pipeline (offline providers, the PostgreSQL queue, review mode bot, so videos wait at
/// review). Screenshots at 1280 and 390 px go to /tmp/vf-dashboard and the layout is checked in the page itself.
/// </summary>
public sealed class DashboardBrowserTests
{
    // A form's redirect is checked by its address alone: WaitForURLAsync also waits for the page's load event, and on
    // the loaded CI machine Playwright missed that event once (90 s timeout after "NetworkIdle event fired").
    private static readonly PageAssertionsToHaveURLOptions UrlWait = new() { Timeout = 90_000 };
    private const string Shots = "/tmp/vf-dashboard";

    [Fact]
    public async Task The_dashboard_lists_filters_opens_a_job_updates_live_and_cancels_in_chromium_at_1280_and_390_px()
    {
        Directory.CreateDirectory(Shots);
        await using var host = await BotHost.StartAsync();
        var potatoes = await host.SubmitAsync("Crispy roast potatoes <b>fast</b>", durationSeconds: 10);
        var otherSheet = host.Folder.File("other.csv");
        var intake = await host.Get<IntakeService>().SubmitAsync(
            host.Get<ISheetRegistry>().Open(TestSheets.WriteOneRow(otherSheet, "Kettlebell swings for beginners", 10, "")), CancellationToken.None);
        var kettlebell = Assert.Single(intake).JobId!.Value;
        await host.WaitForReviewAsync(potatoes);
        await host.WaitForReviewAsync(kettlebell);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(90_000); // two cores shared by several test runs
        var errors = DebianChromium.ConsoleErrors(page);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // The list: both jobs, each with its row, status, stage, timeline, attempts, cost and video links.
        await page.GotoAsync(Url(host, "/"));
        var potatoRow = page.Locator($"#job-{potatoes}");
        var kettlebellRow = page.Locator($"#job-{kettlebell}");
        await Assertions.Expect(potatoRow).ToBeVisibleAsync();
        await Assertions.Expect(kettlebellRow).ToBeVisibleAsync();
        await Assertions.Expect(potatoRow.Locator("td.row a")).ToHaveTextAsync("Crispy roast potatoes <b>fast</b>"); // the topic, as text
        await Assertions.Expect(potatoRow.Locator(".status")).ToHaveTextAsync("review");
        await Assertions.Expect(potatoRow.Locator("ol.timeline li")).ToHaveCountAsync(7); // trends .. review
        await Assertions.Expect(potatoRow.GetByRole(AriaRole.Link, new() { Name = "video" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Queue health" })).ToContainTextAsync("Cost today (UTC): $0.00");
        await AssertFitsAsync(page, 1280);
        await page.ScreenshotAsync(new() { Path = $"{Shots}/list-1280.png", FullPage = true });

        // Filters go to the server in the query string.
        await page.GetByLabel("Sheet").SelectOptionAsync(otherSheet);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/\?sheet="), UrlWait);
        await Assertions.Expect(kettlebellRow).ToBeVisibleAsync();
        await Assertions.Expect(potatoRow).ToHaveCountAsync(0);
        await page.GetByLabel("Sheet").SelectOptionAsync("");
        await page.GetByLabel("Status").SelectOptionAsync("cancelled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No jobs match.")).ToBeVisibleAsync();

        // Live: a change made elsewhere shows in the open list without a reload.
        await page.GotoAsync(Url(host, "/"));
        await Assertions.Expect(page.Locator("#live.on")).ToHaveCountAsync(1);
        var result = await host.Get<DashboardActions>().CancelAsync(kettlebell, new DashboardViewer("someone-else", false), CancellationToken.None);
        Assert.True(result.Done, result.Message);
        await Assertions.Expect(kettlebellRow.Locator(".status")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(kettlebellRow.Locator(".error")).ToHaveTextAsync("cancelled by someone-else from the dashboard");

        // The job's page: event log, script, voice, visuals with their sources and licences, the video.
        await potatoRow.Locator("td.row a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/job/{potatoes}$"), UrlWait);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Crispy roast potatoes <b>fast</b>");
        await Assertions.Expect(page.Locator("table.events")).ToContainTextAsync("posted for review");
        await Assertions.Expect(page.Locator("section.output.script")).ToContainTextAsync("Hook");
        await Assertions.Expect(page.Locator("section.output.voice")).ToContainTextAsync("espeak");
        await Assertions.Expect(page.Locator("table.clips")).ToContainTextAsync("own work");
        var duration = await page.Locator("video").EvaluateAsync<double>("""
            video => new Promise(resolve => {
              if (video.readyState >= 1) { resolve(video.duration); return; }
              video.addEventListener("loadedmetadata", () => resolve(video.duration));
              video.addEventListener("error", () => resolve(-1));
              video.load();
            })
            """);
        Assert.InRange(duration, 5, 30);
        await AssertFitsAsync(page, 1280);
        await page.ScreenshotAsync(new() { Path = $"{Shots}/job-1280.png", FullPage = true });

        // 390 px: the tables become cards and nothing runs off the side.
        await page.SetViewportSizeAsync(390, 844);
        await AssertFitsAsync(page, 390);
        await Assertions.Expect(page.Locator("table.events thead")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel job" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = $"{Shots}/job-390.png", FullPage = true });
        await page.GotoAsync(Url(host, "/"));
        await Assertions.Expect(potatoRow).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.jobs thead")).ToBeHiddenAsync();
        await AssertFitsAsync(page, 390);
        var card = await potatoRow.BoundingBoxAsync();
        Assert.True(card is { Width: <= 390 and > 300 }, $"the job's card is {card?.Width} px wide");
        await page.ScreenshotAsync(new() { Path = $"{Shots}/list-390.png", FullPage = true });

        // Cancel from the job's page, through the confirmation.
        await page.GotoAsync(Url(host, $"/job/{potatoes}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel job" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/job/{potatoes}\?done=cancel$"), UrlWait);
        await Assertions.Expect(page.Locator("#action-notice")).ToHaveTextAsync("Cancelled; the finished stages were undone.");
        await Assertions.Expect(page.Locator("section.job .status")).ToHaveTextAsync("cancelled");
        Assert.Equal(JobStatus.Cancelled, (await host.GetJobAsync(potatoes)).Status);
        Assert.Contains(await host.EventsAsync(potatoes), e => e.Kind == "compensated" && e.Stage == StageName.Render);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task A_failed_stage_is_retried_from_the_job_page_in_chromium_and_the_job_goes_on_live()
    {
        var voice = new FlakyVoice();
        await using var host = await BotHost.StartAsync(services: s => s.AddSingleton<IVoiceProvider>(sp =>
        {
            voice.Real = ActivatorUtilities.CreateInstance<EspeakVoiceProvider>(sp);
            return voice;
        }));
        var job = await host.SubmitAsync("Three stretches for desk workers", durationSeconds: 10);
        var failed = await host.WaitForJobAsync(job, j => j.IsTerminal);
        Assert.Equal(JobStatus.Failed, failed.Status);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(90_000);
        var errors = DebianChromium.ConsoleErrors(page);
        await page.GotoAsync(Url(host, $"/job/{job}"));
        await Assertions.Expect(page.Locator("section.job .status")).ToHaveTextAsync("failed");
        await Assertions.Expect(page.Locator("section.job .error")).ToContainTextAsync("the voice service is down");
        // The compensation deleted the visuals' files, so the retry starts there, not at the voice that failed.
        var retry = page.GetByRole(AriaRole.Button, new() { Name = "Retry from visuals" });
        await Assertions.Expect(retry).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = $"{Shots}/failed-1280.png", FullPage = true });

        voice.Down = false;
        await retry.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/job/{job}\?done=retry$"), UrlWait);
        // The page is not reloaded: the stream moves its status on until the new version waits for review.
        await Assertions.Expect(page.Locator("section.job .status")).ToHaveTextAsync("review", new() { Timeout = (float)BotHost.Patience.TotalMilliseconds });
        await host.WaitForReviewAsync(job, generation: 2);
        var events = await host.EventsAsync(job);
        Assert.Contains(events, e => e.Kind == "retried" && e.Message.StartsWith("retry from visuals asked by local", StringComparison.Ordinal));
        Assert.True(voice.Calls >= 2, $"the voice was asked {voice.Calls} times");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static string Url(BotHost host, string path) => new Uri(host.BaseAddress, path).ToString();

    /// <summary>Nothing wider than the viewport: the page does not scroll sideways.</summary>
    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide at a {width} px viewport");
    }

    /// <summary>The offline voice, down (a permanent failure) until the test brings it back.</summary>
    private sealed class FlakyVoice : IVoiceProvider
    {
        private int calls;

        public IVoiceProvider? Real { get; set; }

        public bool Down { get; set; } = true;

        public int Calls => calls;

        public Task<Narration> SynthesizeAsync(VoiceRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Down
                ? throw new PermanentStageException("the voice service is down")
                : Real!.SynthesizeAsync(request, cancellationToken);
        }
    }
}
