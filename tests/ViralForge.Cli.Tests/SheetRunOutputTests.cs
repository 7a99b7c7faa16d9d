using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests;

/// <summary>
/// What `vf run` prints, read as a person reads it in an 80-column terminal: the render's percent while it runs, a summary
/// table without paths, then each video's path on one line of its own; a row published for tomorrow ends scheduled.
/// </summary>
public sealed partial class SheetRunOutputTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly TempFolder folder = new();
    private TestDatabase db = null!;

    // Long enough that a video's path is wider than the terminal, as real home folders make it.
    private string Work => Path.Combine(folder.Path, "a-work-folder-with-a-name-long-enough-to-wrap", "work");

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task The_summary_table_has_no_paths_each_video_follows_on_one_line_and_a_row_for_tomorrow_is_scheduled()
    {
        var tomorrow = TimeProvider.System.GetUtcNow().AddHours(30);
        var sheet = folder.File("ideas.csv");
        await File.WriteAllTextAsync(sheet,
            $"Topic,Platform,Duration,Publish At\nDesk stretches for programmers,youtube,20,{tomorrow.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}\n");

        var (exitCode, output) = await RunAsync(["run", "--sheet", sheet]);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}");
        var lines = output.Split('\n');
        // While it ran: the render's percent, as the Stage cell shows it.
        Assert.Contains(lines, line => RenderPercent().IsMatch(line));

        var table = lines.Where(line => line.Contains('│', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(table);
        Assert.DoesNotContain(table, line => line.Contains(".mp4", StringComparison.Ordinal) || line.Contains(Work, StringComparison.Ordinal));
        Assert.Contains(table, line => line.Contains("scheduled", StringComparison.Ordinal) && line.Contains("live ", StringComparison.Ordinal));

        var videoLine = Assert.Single(lines, line => line.StartsWith("row 1: /", StringComparison.Ordinal));
        var video = videoLine["row 1: ".Length..].TrimEnd();
        Assert.True(video.Length > 80, video);
        Assert.True(File.Exists(video), $"the line after the table is not the video's path: {videoLine}");
        Assert.EndsWith(".mp4", video, StringComparison.Ordinal);
        Assert.True(Array.IndexOf(lines, videoLine) > lines.ToList().FindLastIndex(line => line.Contains('│', StringComparison.Ordinal)), "the path comes after the table");

        Assert.Contains(",scheduled,", await File.ReadAllTextAsync(sheet), StringComparison.Ordinal);
        Assert.Contains("\"status\": \"scheduled\"", await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(video)!, "manifest.json")), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"row 1: render \d{1,3}%")]
    private static partial Regex RenderPercent();

    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vf.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["VF_DATABASE_URL"] = db.ConnectionString;
        start.Environment["ViralForge__WorkFolder"] = Work;
        start.Environment["ViralForge__Media__Width"] = "360";
        start.Environment["ViralForge__Media__Height"] = "640";
        start.Environment["ViralForge__Media__MusicFile"] = "";
        start.Environment["COLUMNS"] = "80";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start vf");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Patience);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
