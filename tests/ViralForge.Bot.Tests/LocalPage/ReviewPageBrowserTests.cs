using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ViralForge.Core.Jobs;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>
/// The review page in a real browser: Debian's Chromium, headless, driven by Playwright, against a host on a loopback
/// port running the whole local pipeline in review mode bot.
/// </summary>
public sealed class ReviewPageBrowserTests
{
    // A form's redirect is checked by its address alone: WaitForURLAsync also waits for the page's load event, and on
    // the loaded CI machine Playwright missed that event once (90 s timeout after "NetworkIdle event fired").
    private static readonly PageAssertionsToHaveURLOptions UrlWait = new() { Timeout = 90_000 };

    [Fact]
    public async Task A_reviewer_plays_the_video_approves_in_chromium_and_the_job_is_published()
    {
        await using var host = await BotHost.StartAsync();
        var jobId = await host.SubmitAsync("Crispy roast potatoes <b>fast</b>", durationSeconds: 10);
        await host.WaitForReviewAsync(jobId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        var errors = DebianChromium.ConsoleErrors(page);

        await page.GotoAsync(new Uri(host.BaseAddress, "/review").ToString());
        var article = page.Locator($"#job-{jobId}");
        await Assertions.Expect(article).ToBeVisibleAsync();
        await Assertions.Expect(article).ToContainTextAsync("Crispy roast potatoes <b>fast</b>"); // the topic, as text
        await Assertions.Expect(article.Locator("b")).ToHaveCountAsync(0);

        // The player reads the MP4 through the Range-serving endpoint far enough to know its length.
        var duration = await article.Locator("video").EvaluateAsync<double>("""
            video => new Promise(resolve => {
              if (video.readyState >= 1) { resolve(video.duration); return; }
              video.addEventListener("loadedmetadata", () => resolve(video.duration));
              video.addEventListener("error", () => resolve(-1));
              video.load();
            })
            """);
        Assert.InRange(duration, 5, 30);

        // One Your name field is typed into; the page keeps the others saying the same.
        await article.Locator("form.regenerate").GetByLabel("Your name").FillAsync("Ana Lima");
        await Assertions.Expect(article.Locator("form.approve").GetByLabel("Your name")).ToHaveValueAsync("Ana Lima");
        await article.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/review\?outcome=decided"), UrlWait);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved; publishing.");
        Assert.Contains(asked, question => question.StartsWith("Approve and publish", StringComparison.Ordinal));

        var job = await host.WaitForJobAsync(jobId, j => j.IsTerminal);
        Assert.Equal(JobStatus.Published, job.Status);
        await page.GotoAsync(new Uri(host.BaseAddress, $"/review/{jobId}").ToString());
        await Assertions.Expect(page.Locator(".decision")).ToContainTextAsync("Approved by Ana Lima");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true })).ToHaveCountAsync(0);
        Assert.True(errors.Count == 0, string.Join("\n", errors)); // no script, CSP or loading errors on the page
    }

    [Fact]
    public async Task A_reviewer_edits_a_script_in_chromium_continues_and_the_name_is_filled_in_next_time()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedScriptReviewAsync();
        var next = await host.SeedScriptReviewAsync(topic: "Two more stretches");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        // Four people share two cores while these run: a loaded machine, not the page, is what a 30 s wait would catch.
        page.SetDefaultTimeout(90_000);
        var errors = DebianChromium.ConsoleErrors(page);
        await page.GotoAsync(new Uri(host.BaseAddress, "/review").ToString());
        await page.Locator($"#script-{job.Id} a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/review/{job.Id}/script$"), UrlWait);

        // Without a name the browser itself stops the form: nothing is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        Assert.EndsWith($"/review/{job.Id}/script", page.Url);
        Assert.False(await page.GetByLabel("Your name").EvaluateAsync<bool>("field => field.checkValidity()"));

        await page.GetByLabel("Narration of beat 2").FillAsync("Tilt your head slowly to each side.");
        await page.GetByLabel("Card text of beat 2").FillAsync("one two three four five six seven");
        await page.GetByLabel("Your name").FillAsync("Ana Lima");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The card text of beat 2 has 7 words; keep it to 6.");
        await Assertions.Expect(page.GetByLabel("Narration of beat 2")).ToHaveValueAsync("Tilt your head slowly to each side.");

        await page.GetByLabel("Card text of beat 2").FillAsync("Tilt slowly");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/review\?outcome=script"), UrlWait);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is checked; the video is being made from it.");
        var run = await host.Get<Core.Ports.IJobStore>().GetLatestCompletedAsync(job.Id, StageName.Script, 1, CancellationToken.None);
        Assert.Contains("Tilt your head slowly to each side.", run!.Output!.Value.GetRawText());

        await page.GotoAsync(new Uri(host.BaseAddress, $"/review/{next.Id}/script").ToString());
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Ana Lima");
        // The refused edit's page came with a 400, which Chromium logs; nothing else may have gone wrong.
        var unexpected = errors.Where(e => !e.Contains("status of 400", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }

    [Fact]
    public async Task Cancelling_the_confirmation_decides_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.DismissAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, $"/review/{job.Id}").ToString());
        var before = await host.SnapshotAsync();

        await page.GetByLabel("Reason for rejecting").FillAsync("Not today");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
        await page.WaitForTimeoutAsync(500);

        Assert.EndsWith($"/review/{job.Id}", page.Url);
        Assert.Equal(before, await host.SnapshotAsync());
    }
}
