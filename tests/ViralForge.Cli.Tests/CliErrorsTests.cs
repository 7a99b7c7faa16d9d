using System.Diagnostics;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests;

/// <summary>
/// The real vf executable, run as a person runs it, for each thing a person can get wrong: it ends with at most two
/// "vf:" lines naming the setting or file and the fix, exit code 2, no stack trace and no secret; --verbose adds the
/// trace. None of them reaches a pipeline run.
/// </summary>
public sealed class CliErrorsTests
{
    private const string Secret = "s3cr3t-Passw0rd-never-shown";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static TheoryData<string, string[], string> Settings() => new()
    {
        // Only the bot token: Slack is half configured, and the token (a secret) is not repeated.
        { "serve", ["Slack__BotToken", $"xoxb-{Secret}"], "Slack__SigningSecret" },
        // All three set, the token too short to be a bot token.
        { "serve", ["Slack__BotToken", "xoxb-1", "Slack__SigningSecret", Secret, "Slack__Channel", "C0123"], "Slack__BotToken" },
        { "run", ["ViralForge__Profile", "gcp"], "Google__Tasks__ProjectId" },
        // A pasted key with a stray space: the setting is named, the key (a secret) is not repeated.
        { "serve", ["OpenAI__ApiKey", $"sk-proj-{Secret} x"], "OpenAI:ApiKey has a space, line break, quote or other character no key has" },
        { "run", ["ViralForge__Media__Crf", "abc"], "ViralForge__Media__Crf" },
        { "run", ["VF_DATABASE_URL", $"not-a-url{Secret}"], "VF_DATABASE_URL is neither a postgres:// URL nor an Npgsql connection string" },
        { "run", ["VF_DATABASE_URL", $"postgres://vf:{Secret}@127.0.0.1:1/viralforge"], "cannot reach the database at 127.0.0.1:1 (connection refused)" },
        { "serve", ["VF_DATABASE_URL", $"postgres://vf:{Secret}@127.0.0.1:1/viralforge"], "cannot reach the database at 127.0.0.1:1" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task A_bad_setting_is_one_or_two_lines_naming_it_with_exit_code_2(string command, string[] environment, string expected)
    {
        using var folder = new TempFolder();
        var sheet = Sheet(folder);

        var result = await RunAsync(folder, [command, "--sheet", sheet], Pairs(environment));

        AssertActionable(result, expected);
    }

    [Fact]
    public async Task A_database_socket_with_nothing_listening_is_named_without_its_password()
    {
        using var folder = new TempFolder();

        var result = await RunAsync(folder, ["run", "--sheet", Sheet(folder)], new()
        {
            ["VF_DATABASE_URL"] = $"Host={folder.Path};Username=vf;Password={Secret};Database=viralforge",
        });

        AssertActionable(result, $"cannot reach the database at the socket in {folder.Path}");
    }

    [Fact]
    public async Task A_database_that_does_not_exist_on_a_running_server_is_told_by_its_SqlState()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        using var folder = new TempFolder();
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = $"{db.Name}_missing", Password = Secret };

        var result = await RunAsync(folder, ["run", "--sheet", Sheet(folder)], new() { ["VF_DATABASE_URL"] = missing.ConnectionString });

        AssertActionable(result, "(SqlState 3D000)");
        Assert.Contains("does not exist", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_with_no_ffmpeg_names_the_setting()
    {
        using var folder = new TempFolder();

        var result = await RunAsync(folder, ["run", "--sheet", Sheet(folder)], new() { ["ViralForge__Media__FfmpegFolder"] = folder.Path });

        AssertActionable(result, "ViralForge__Media__FfmpegFolder");
        Assert.Contains(folder.Path, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_or_a_missing_file_as_the_sheet_is_named()
    {
        using var folder = new TempFolder();

        var asFolder = await RunAsync(folder, ["run", "--sheet", folder.Path], []);
        var missing = await RunAsync(folder, ["serve", "--sheet", folder.File("nope.csv")], []);

        AssertActionable(asFolder, $"{folder.Path} is a folder");
        AssertActionable(missing, $"there is no sheet at {folder.File("nope.csv")}");
    }

    [Fact]
    public async Task A_mistyped_command_gives_usage_errors_and_exit_code_2()
    {
        using var folder = new TempFolder();

        var result = await RunAsync(folder, ["runn", "--sheet", "ideas.csv"], []);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'runn'", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_verbose_the_stack_trace_follows_the_lines()
    {
        using var folder = new TempFolder();

        var result = await RunAsync(folder, ["run", "--sheet", Sheet(folder), "--verbose"], new() { ["ViralForge__Media__Crf"] = "abc" });

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("vf: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ViralForge__Media__Crf", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A sheet the stages could not write back into is refused before any job exists. As root, mode bits stop nothing,
    /// so the CLI then runs as the unprivileged postgres user (made by the postgresql package that ./vf installs), which
    /// they do stop; the database it is given is out of reach, so a run that got as far as submitting would say so instead.
    /// </summary>
    [Theory]
    [InlineData(false, "is read-only, and each row's status is written back into it")]
    [InlineData(true, "is read-only, and the sheet ideas.csv in it is rewritten through a new file there")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_sheet_that_cannot_be_written_back_is_named_before_anything_is_submitted(bool readOnlyFolder, string expected)
    {
        using var folder = new TempFolder();
        // Writable by everyone (the CLI's user included), unless this case is about the folder.
        var home = Directory.CreateDirectory(Path.Combine(folder.Path, "home")).FullName;
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        var sheets = Directory.CreateDirectory(Path.Combine(folder.Path, "sheets")).FullName;
        var sheet = Sheet(sheets);
        File.SetUnixFileMode(sheets, readOnlyFolder ? (UnixFileMode)0b101_101_101 : (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(sheet, readOnlyFolder ? (UnixFileMode)0b110_110_110 : (UnixFileMode)0b100_100_100);
        try
        {
            var result = await RunAsync(home, ["run", "--sheet", sheet], new()
            {
                ["VF_DATABASE_URL"] = $"Host={home};Username=vf;Password={Secret};Database=viralforge",
                ["DOTNET_CLI_HOME"] = home,
                ["HOME"] = home,
            }, unprivileged: true);

            AssertActionable(result, expected);
            Assert.Contains(readOnlyFolder ? sheets : sheet, result.Output, StringComparison.Ordinal);
            Assert.Equal("Topic\nDesk stretches\n", await File.ReadAllTextAsync(sheet));
        }
        finally
        {
            File.SetUnixFileMode(sheets, (UnixFileMode)0b111_101_101);
        }
    }

    /// <summary>
    /// The case above with a database that answers: the refusal comes before anything is submitted, so no job (which a
    /// later vf serve would render for a sheet that cannot hear back) and no task exists afterwards.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_sheet_creates_no_job_and_no_task_in_a_database_that_answers()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        var home = Directory.CreateDirectory(Path.Combine(folder.Path, "home")).FullName;
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        var sheet = Sheet(folder);
        File.SetUnixFileMode(sheet, (UnixFileMode)0b100_100_100);

        var result = await RunAsync(home, ["run", "--sheet", sheet], new()
        {
            ["VF_DATABASE_URL"] = db.ConnectionString,
            ["DOTNET_CLI_HOME"] = home,
            ["HOME"] = home,
        }, unprivileged: true);

        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM jobs") == 0, $"a job was made for a sheet that cannot hear back\n{result}");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM tasks"));
        AssertActionable(result, "is read-only, and each row's status is written back into it");
        Assert.Equal("Topic\nDesk stretches\n", await File.ReadAllTextAsync(sheet));
    }

    [Fact]
    public async Task More_than_two_settings_problems_are_the_first_and_the_names_of_the_rest_unless_verbose()
    {
        var failures = new Microsoft.Extensions.Options.OptionsValidationException("Google:Tasks", typeof(object),
            ["Google:Tasks:ProjectId is required.", "Google:Tasks:Location is required.", "Google:Tasks:InvokerServiceAccount is required.", "Google:Tasks:UrlTemplate is required."]);
        using var brief = new StringWriter();
        using var verbose = new StringWriter();

        Assert.Equal(2, await CliErrors.ReportAsync(failures, verbose: false, brief));
        Assert.Equal(2, await CliErrors.ReportAsync(failures, verbose: true, verbose));

        var lines = brief.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("vf: Google:Tasks:ProjectId is required (environment: Google__Tasks__ProjectId).", lines[0].TrimEnd());
        Assert.StartsWith("vf: and 3 more: Google__Tasks__Location, Google__Tasks__InvokerServiceAccount, Google__Tasks__UrlTemplate", lines[1], StringComparison.Ordinal);
        Assert.Contains("vf: Google:Tasks:UrlTemplate is required (environment: Google__Tasks__UrlTemplate).", verbose.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(Microsoft.Extensions.Options.OptionsValidationException), verbose.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_failure_is_one_line_exit_code_1_and_its_trace_only_when_verbose()
    {
        var fault = Thrown(new InvalidTimeZoneException("the clock is gone"));
        using var brief = new StringWriter();
        using var verbose = new StringWriter();

        Assert.Equal(1, await CliErrors.ReportAsync(fault, verbose: false, brief));
        Assert.Equal(1, await CliErrors.ReportAsync(fault, verbose: true, verbose));

        var line = Assert.Single(brief.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("vf: InvalidTimeZoneException: the clock is gone. ", line, StringComparison.Ordinal);
        Assert.Contains("--verbose", line, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.ToString(), StringComparison.Ordinal);
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static void AssertActionable(CliResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.InRange(lines.Length, 1, 2);
        Assert.All(lines, line => Assert.StartsWith("vf: ", line, StringComparison.Ordinal));
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Output, StringComparison.Ordinal);
    }

    private static string Sheet(TempFolder folder) => Sheet(folder.Path);

    private static string Sheet(string folder)
    {
        var path = Path.Combine(folder, "ideas.csv");
        File.WriteAllText(path, "Topic\nDesk stretches\n");
        return path;
    }

    private static Dictionary<string, string> Pairs(string[] flat) =>
        Enumerable.Range(0, flat.Length / 2).ToDictionary(i => flat[2 * i], i => flat[(2 * i) + 1]);

    private static Task<CliResult> RunAsync(TempFolder folder, string[] args, Dictionary<string, string> environment) =>
        RunAsync(folder.Path, args, environment, unprivileged: false);

    /// <summary>dotnet vf.dll as ./vf runs it: in a clean environment with its own work folder, no music to generate, and a database that is out of reach unless the case sets one.</summary>
    private static async Task<CliResult> RunAsync(string workFolder, string[] args, Dictionary<string, string> environment, bool unprivileged)
    {
        var vf = Path.Combine(AppContext.BaseDirectory, "vf.dll");
        var asOther = unprivileged && Environment.IsPrivilegedProcess;
        var start = asOther
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", "dotnet", vf, .. args])
            : new ProcessStartInfo("dotnet", [vf, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = workFolder;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ViralForge__", StringComparison.Ordinal)
            || k.StartsWith("Slack__", StringComparison.Ordinal) || k.StartsWith("Teams__", StringComparison.Ordinal)
            || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["VF_DATABASE_URL"] = $"Host={workFolder};Username=vf;Database=viralforge";
        start.Environment["ViralForge__WorkFolder"] = Path.Combine(workFolder, "work");
        start.Environment["ViralForge__Defaults__Music"] = "none";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start vf");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private sealed record CliResult(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;

        public override string ToString() => $"exit code {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }
}
