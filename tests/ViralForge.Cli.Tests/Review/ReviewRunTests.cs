using System.Diagnostics;
using System.Text;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Review;

/// <summary>
/// The built vf in its own process, answered on standard input as a person types: vf run --review records the
/// reviewer's name (not the operating system's account), checks a script before render, and regenerates with feedback.
/// </summary>
public sealed class ReviewRunTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private TestDatabase db = null!;

    private string Sheet => folder.File("ideas.csv");

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await File.WriteAllTextAsync(Sheet, "Topic,Platform,Duration,Review Script\nDesk stretches for programmers,youtube,10,yes\n");
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Review_checks_the_script_then_regenerates_the_voice_with_feedback_and_records_the_reviewers_name()
    {
        var (exit, output) = await RunAsync(["run", "--sheet", Sheet, "--review"], "c\ng\nvoice\nUse a female voice, a bit slower\na\n",
            new() { ["ViralForge__Review__ReviewerName"] = "Ana Lima" });

        Assert.True(exit == 0, $"exit {exit}\n{output}");
        Assert.Contains("Script check: Desk stretches for programmers", output, StringComparison.Ordinal);
        Assert.Contains("regenerating from voice (generation 2)", output, StringComparison.Ordinal);
        Assert.Contains("approved; publishing", output, StringComparison.Ordinal);
        var events = await EventsAsync();
        Assert.Contains("script checked by Ana Lima (unchanged)", events);
        Assert.Contains("regenerate from voice asked by Ana Lima; reviewer feedback: Use a female voice, a bit slower", events);
        Assert.Contains("approved by Ana Lima", events);
        Assert.Equal("published", await db.ScalarAsync<string>("SELECT status FROM jobs"));
    }

    [Fact]
    public async Task Without_review_vf_run_stops_at_the_script_check_and_says_how_to_go_on()
    {
        var (exit, output) = await RunAsync(["run", "--sheet", Sheet], "", []);

        Assert.True(exit == 0, $"exit {exit}\n{output}");
        Assert.Contains("Row 1 waits for a script check: run vf run --review to continue it, or vf serve and open /review to edit it.",
            System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "), StringComparison.Ordinal); // the console wraps at 80 columns
        Assert.Equal("script-review", await db.ScalarAsync<string>("SELECT status FROM jobs"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stage_runs WHERE stage = 'visuals'"));
    }

    private async Task<string[]> EventsAsync()
    {
        var events = new List<string>();
        await using var command = db.DataSource.CreateCommand("SELECT message FROM job_events ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(reader.GetString(0));
        }
        return [.. events];
    }

    /// <summary>Runs vf to its end with <paramref name="input"/> on standard input (then closed); its exit code and output.</summary>
    private async Task<(int Exit, string Output)> RunAsync(string[] arguments, string input, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vf.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["VF_DATABASE_URL"] = db.ConnectionString;
        start.Environment["ViralForge__WorkFolder"] = Path.Combine(folder.Path, "work");
        start.Environment["ViralForge__Media__Width"] = "360";
        start.Environment["ViralForge__Media__Height"] = "640";
        start.Environment["ViralForge__Media__MusicFile"] = "";
        start.Environment["COLUMNS"] = "300";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var vf = Process.Start(start) ?? throw new InvalidOperationException("could not start vf");
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.Append(line).Append('\n');
                }
            }
        }
        vf.OutputDataReceived += (_, e) => Append(e.Data);
        vf.ErrorDataReceived += (_, e) => Append(e.Data);
        vf.BeginOutputReadLine();
        vf.BeginErrorReadLine();
        await vf.StandardInput.WriteAsync(input);
        vf.StandardInput.Close();
        try
        {
            await vf.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        }
        finally
        {
            if (!vf.HasExited)
            {
                // A failed test must not leave vf (and its ffmpeg) running.
                vf.Kill(entireProcessTree: true);
                await vf.WaitForExitAsync();
            }
        }
        lock (output)
        {
            return (vf.ExitCode, output.ToString());
        }
    }
}
