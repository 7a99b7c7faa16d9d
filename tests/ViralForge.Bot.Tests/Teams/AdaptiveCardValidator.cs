using System.Diagnostics;
using System.Text.Json;

namespace ViralForge.Bot.Tests.Teams;

/// <summary>
/// Runs eng/validate-adaptive-cards (the adaptivecards reference parser, pinned by its package-lock) over card files,
/// installing it with `npm ci` on first use, as the Dockerfile tests do with eng/lint-dockerfiles.
/// </summary>
public static class AdaptiveCardValidator
{
    private static readonly string Root = FindRoot();
    private static readonly string Folder = Path.Combine(Root, "eng", "validate-adaptive-cards");
    private static readonly SemaphoreSlim InstallOnce = new(1, 1);

    public static async Task<(int ExitCode, string Output)> ValidateAsync(params string[] files)
    {
        await InstallOnce.WaitAsync();
        try
        {
            if (!Installed())
            {
                var (installed, log) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
                Assert.True(installed == 0, $"npm ci in {Folder} exited {installed}:\n{log}");
            }
        }
        finally
        {
            InstallOnce.Release();
        }
        return await RunAsync("node", ["validate-adaptive-cards.js", .. files], TimeSpan.FromMinutes(1));
    }

    /// <summary>The version package.json pins is the one in node_modules (a bumped pin reinstalls).</summary>
    private static bool Installed()
    {
        var installed = Path.Combine(Folder, "node_modules", "adaptivecards", "package.json");
        if (!File.Exists(installed))
        {
            return false;
        }
        using var wanted = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")));
        using var actual = JsonDocument.Parse(File.ReadAllText(installed));
        return wanted.RootElement.GetProperty("dependencies").GetProperty("adaptivecards").GetString()
            == actual.RootElement.GetProperty("version").GetString();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        using var cts = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var error = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} took longer than {timeout}");
        }
        return (process.ExitCode, await output + await error);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ViralForge.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"ViralForge.sln not found above {AppContext.BaseDirectory}");
    }
}
