using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using ViralForge.Testing;

namespace ViralForge.Cli.Tests.Bench;

/// <summary>`vf bench review` in this process with a few clicks: every figure is printed, and the counts add up.</summary>
public sealed class ReviewBenchmarkTests
{
    [Theory]
    [InlineData("slack", "Surface: Slack, signed block_actions approve clicks")]
    [InlineData("teams", "Surface: Teams, adaptiveCard/action invokes with a Connector token")]
    public async Task A_short_run_prints_every_figure_records_one_decision_per_job_and_exits_0(string surface, string firstLine)
    {
        await using var db = await TestDatabase.CreateAsync();
        var output = new StringWriter();

        var exit = await ReviewBenchmark.RunAsync(4, Console(output), CancellationToken.None, surface, db.ConnectionString);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.StartsWith(firstLine, text);
        foreach (var phase in new[] { "sequential", "concurrent", "double click" })
        {
            var p50 = Milliseconds(text, $"{phase} ack latency p50");
            var p95 = Milliseconds(text, $"{phase} ack latency p95");
            var p99 = Milliseconds(text, $"{phase} ack latency p99");
            var max = Milliseconds(text, $"{phase} ack latency max");
            Assert.True(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, $"{phase}: {p50} {p95} {p99} {max}");
            Assert.Matches($@"{phase} ack latency p99: [\d.]+ ms \(Slack's budget: 3000 ms\)", text);
            Assert.Matches($@"{phase} throughput: \d+ clicks/s \(4 clicks in [\d.]+ s\)", text);
        }
        // 32 warm-up clicks, then 4 sequential, 4 concurrent and 4 second clicks.
        Assert.Contains("clicks answered 200: 44 of 44", text);
        Assert.Contains("decisions recorded: 40 for 40 jobs (32 warm-up)", text);
        Assert.Contains("jobs with two decisions: 0", text);
        Assert.Contains("apply tasks queued: 40", text);
        Assert.Contains("first clicks told \"Approved by\": 8 of 8", text);
        Assert.Contains("second clicks told \"Already decided\": 4 of 4", text);
        Assert.Matches(@"peak working set: [1-9]\d* MB", text);
        Assert.DoesNotContain("FAILED", text);
    }

    [Fact]
    public async Task An_unknown_surface_is_refused_naming_the_choices()
    {
        var output = new StringWriter();

        var exit = await ReviewBenchmark.RunAsync(4, Console(output), CancellationToken.None, "discord", "Host=unused");

        Assert.Equal(2, exit);
        Assert.Contains("--surface must be slack or teams, not 'discord'", output.ToString());
    }

    [Fact]
    public async Task Fewer_than_one_click_is_refused_naming_the_option()
    {
        var output = new StringWriter();

        var exit = await ReviewBenchmark.RunAsync(0, Console(output), CancellationToken.None, database: "Host=unused");

        Assert.Equal(2, exit);
        Assert.Contains("--clicks must be at least 1, not 0", output.ToString());
    }

    private static double Milliseconds(string text, string label)
    {
        var match = Regex.Match(text, Regex.Escape(label) + @": ([\d.]+) ms");
        Assert.True(match.Success, $"no '{label}' in:\n{text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static IAnsiConsole Console(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
