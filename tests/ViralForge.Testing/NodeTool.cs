using System.Diagnostics;
using System.Text.Json;

namespace ViralForge.Testing;

/// <summary>
/// A node script under eng/ whose packages are pinned by its package-lock (the Dockerfile linter, the Adaptive Card
/// validator). Installed with `npm ci` on first use, and again when package.json pins another version of
/// <paramref name="pinnedPackage"/> than node_modules holds, so the tests never run a stale tool.
/// </summary>
/// <param name="folder">The tool's folder under eng/.</param>
public sealed class NodeTool(string folder, string pinnedPackage)
{
    private readonly SemaphoreSlim installOnce = new(1, 1);

    public string Folder { get; } = Path.Combine(RepositoryRoot.Path, "eng", folder);

    /// <summary>Runs `node <paramref name="script"/> <paramref name="arguments"/>` in the tool's folder; its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        await installOnce.WaitAsync();
        try
        {
            if (!Installed())
            {
                var (installed, log) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
                if (installed != 0)
                {
                    throw new InvalidOperationException($"npm ci in {Folder} exited {installed}:\n{log}");
                }
            }
        }
        finally
        {
            installOnce.Release();
        }
        return await RunProcessAsync("node", [script, .. arguments], TimeSpan.FromMinutes(1));
    }

    private bool Installed()
    {
        var installed = Path.Combine(Folder, "node_modules", pinnedPackage, "package.json");
        if (!File.Exists(installed))
        {
            return false;
        }
        using var wanted = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")));
        using var actual = JsonDocument.Parse(File.ReadAllText(installed));
        return wanted.RootElement.GetProperty("dependencies").GetProperty(pinnedPackage).GetString()
            == actual.RootElement.GetProperty("version").GetString();
    }

    private async Task<(int ExitCode, string Output)> RunProcessAsync(string program, string[] arguments, TimeSpan timeout)
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
}
