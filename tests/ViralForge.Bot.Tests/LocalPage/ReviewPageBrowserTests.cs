using Microsoft.Playwright;
using ViralForge.Core.Jobs;

namespace ViralForge.Bot.Tests.LocalPage;

/// <summary>
/// The review page in a real browser: Debian's Chromium, headless, driven by Playwright, against a host on a loopback
/// port running the whole local pipeline in review mode bot.
/// </summary>
public sealed class ReviewPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_reviewer_plays_the_video_approves_in_chromium_and_the_job_is_published()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./vf installs it (apt-get install -y --no-install-recommends chromium).");
        await using var host = await BotHost.StartAsync();
        var jobId = await host.SubmitAsync("Crispy roast potatoes <b>fast</b>", durationSeconds: 10);
        await host.WaitForReviewAsync(jobId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync();
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };

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

        await article.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/review?outcome=decided**");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved; publishing.");
        Assert.Contains(asked, question => question.StartsWith("Approve and publish", StringComparison.Ordinal));

        var job = await host.WaitForJobAsync(jobId, j => j.IsTerminal);
        Assert.Equal(JobStatus.Published, job.Status);
        await page.GotoAsync(new Uri(host.BaseAddress, $"/review/{jobId}").ToString());
        await Assertions.Expect(page.Locator(".decision")).ToContainTextAsync($"Approved by {Environment.UserName}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true })).ToHaveCountAsync(0);
        Assert.True(errors.Count == 0, string.Join("\n", errors)); // no script, CSP or loading errors on the page
    }

    [Fact]
    public async Task Cancelling_the_confirmation_decides_nothing()
    {
        await using var host = await PageHost.StartAsync(dispatch: false);
        var job = await host.SeedAwaitingAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
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
