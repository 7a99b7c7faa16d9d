using Microsoft.Playwright;

namespace ViralForge.Bot.Tests;

/// <summary>
/// Debian's Chromium, which the browser tests drive through Playwright (`playwright install` cannot download browsers
/// here, so ./vf installs the Debian package): headless, without the sandbox, the GPU or background network calls.
/// </summary>
public static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Starts it, or fails saying how to install it (a test never skips for a missing tool).</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: ./vf installs it (apt-get install -y --no-install-recommends chromium).");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>The page's console errors from now on, each with where it came from, for a test to find none.</summary>
    public static List<string> ConsoleErrors(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        return errors;
    }
}
