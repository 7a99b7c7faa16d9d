using System.Diagnostics;
using Spectre.Console;
using ViralForge.Cli;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Review;

/// <summary>The questions vf run --review asks, answered line by line as a person would type them.</summary>
public sealed class TerminalReviewTests
{
    [Fact]
    public async Task The_reviewer_name_setting_wins_and_git_is_not_asked()
    {
        var (console, _) = Console();
        var gitAsked = false;

        var name = await TerminalReview.ReviewerAsync("  Ana Lima ", _ => { gitAsked = true; return Task.FromResult<string?>("git person"); },
            console, Answers(), CancellationToken.None);

        Assert.Equal("Ana Lima", name);
        Assert.False(gitAsked);
    }

    [Fact]
    public async Task Without_the_setting_gits_user_name_is_used()
    {
        var (console, output) = Console();

        var name = await TerminalReview.ReviewerAsync(null, _ => Task.FromResult<string?>("Bo Silva\n"), console, Answers(), CancellationToken.None);

        Assert.Equal("Bo Silva", name);
        Assert.DoesNotContain("Your name", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_setting_or_git_the_name_is_asked_until_one_is_given_and_never_taken_from_the_os_account()
    {
        var (console, output) = Console();

        var name = await TerminalReview.ReviewerAsync("", _ => Task.FromResult<string?>(null), console, Answers("", "  ", "Cy Okafor"), CancellationToken.None);

        Assert.Equal("Cy Okafor", name);
        Assert.Equal(3, output.ToString().Split("Your name").Length - 1);
    }

    [Fact]
    public async Task Gits_user_name_is_read_from_git_config()
    {
        using var folder = new TempFolder();
        Git(folder.Path, "init", "--quiet");
        Git(folder.Path, "config", "user.name", "Dee Lima");

        Assert.Equal("Dee Lima", await TerminalReview.GitUserNameAsync(folder.Path, CancellationToken.None));
    }

    [Fact]
    public async Task Regenerate_asks_for_a_stage_and_feedback_and_refuses_a_stage_that_cannot_be_regenerated()
    {
        var (console, output) = Console();

        var decision = await TerminalReview.DecisionAsync(console, Answers("maybe", "g", "render", "voice", "Use a female voice, a bit slower"), "Ana Lima",
            CancellationToken.None);

        Assert.Equal(new ReviewDecision(ReviewVerdict.Regenerate, "Ana Lima", null, StageName.Voice, "Use a female voice, a bit slower"), decision);
        Assert.Contains("Only script, visuals or voice can be regenerated.", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "a" }, ReviewVerdict.Approve, null, null)]
    [InlineData(new[] { "reject", "" }, ReviewVerdict.Reject, "no reason given", null)]
    [InlineData(new[] { "r", "too loud" }, ReviewVerdict.Reject, "too loud", null)]
    [InlineData(new[] { "regenerate", "", "" }, ReviewVerdict.Regenerate, null, StageName.Script)]
    public async Task Each_answer_gives_its_decision_under_the_reviewers_name(string[] answers, ReviewVerdict verdict, string? reason, StageName? stage)
    {
        var (console, _) = Console();

        var decision = await TerminalReview.DecisionAsync(console, Answers(answers), "Ana Lima", CancellationToken.None);

        Assert.Equal(new ReviewDecision(verdict, "Ana Lima", reason, stage, null), decision);
    }

    [Fact]
    public async Task A_console_that_closes_mid_question_cancels_rather_than_deciding()
    {
        var (console, _) = Console();

        await Assert.ThrowsAsync<OperationCanceledException>(() => TerminalReview.DecisionAsync(console, Answers("g"), "Ana Lima", CancellationToken.None));
    }

    [Theory]
    [InlineData("c", true)]
    [InlineData("edit", false)]
    public async Task A_script_waiting_for_a_check_is_shown_and_continued_or_left_for_the_review_page(string answer, bool continues)
    {
        var (console, output) = Console();
        var request = new VideoRequest("Desk stretches", Platforms.YouTube, 20, "clean", "default", "en", null, [], "", ReviewScript: true);
        var job = new Job(Guid.NewGuid(), "sheet", "hash", request, JobStatus.ScriptReview, StageName.Script, 1, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var script = new VideoScript("Stretch now", "Your back hurts?", [new ScriptBeat("Roll your shoulders.", "Shoulders")], "Follow for more.", "", [], 150, 10);

        var result = await TerminalReview.ScriptAsync(console, Answers("?", answer), job, script, CancellationToken.None);

        Assert.Equal(continues, result);
        Assert.Contains("1. Roll your shoulders. [Shoulders]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("vf serve", output.ToString(), StringComparison.Ordinal);
    }

    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        return (console, output);
    }

    /// <summary>The person's typed lines, in order; then the console closes (null).</summary>
    private static TerminalReview.LineReader Answers(params string[] lines)
    {
        var queue = new Queue<string>(lines);
        return _ => Task.FromResult(queue.TryDequeue(out var line) ? line : null);
    }

    private static void Git(string folder, params string[] arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = folder, UseShellExecute = false })!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
    }
}
