using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Tests;

/// <summary>The one mapping from a stage outcome to HTTP: 2xx ends the task, 503 (with Retry-After when known) retries it.</summary>
public sealed class StageOutcomeHttpTests
{
    public static TheoryData<StageOutcome, int, string> Outcomes => new()
    {
        { new StageOutcome.Completed("script written"), 200, "completed" },
        { new StageOutcome.Skipped("job is published"), 200, "skipped" },
        { new StageOutcome.Ended("failed: render: the plan is invalid"), 200, "ended" },
        { new StageOutcome.AwaitingApproval("waiting for a reviewer"), 202, "awaitingapproval" },
        { new StageOutcome.Deferred("publish: YouTube's daily upload quota is used up", new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero)), 200, "deferred" },
        { new StageOutcome.RetryLater("render: ffmpeg exited 1"), 503, "retrylater" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public async Task Each_outcome_has_its_status_and_says_what_happened(StageOutcome outcome, int status, string kind)
    {
        var (code, headers, body) = await ExecuteAsync(outcome);

        Assert.Equal(status, code);
        Assert.Equal(kind, body.GetProperty("outcome").GetString());
        Assert.Equal(outcome.Detail, body.GetProperty("detail").GetString());
        Assert.False(headers.ContainsKey("Retry-After"));
    }

    [Theory]
    [InlineData(10.0, "10")]
    [InlineData(0.02, "1")]
    [InlineData(90.5, "91")]
    public async Task Retry_later_with_a_wait_says_when_in_whole_seconds_rounded_up(double seconds, string retryAfter)
    {
        var (code, headers, _) = await ExecuteAsync(new StageOutcome.RetryLater("another attempt is running render", TimeSpan.FromSeconds(seconds)));

        Assert.Equal(503, code);
        Assert.Equal(retryAfter, headers["Retry-After"].ToString());
    }

    private static async Task<(int Status, IHeaderDictionary Headers, JsonElement Body)> ExecuteAsync(StageOutcome outcome)
    {
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        using var body = new MemoryStream();
        context.Response.Body = body;

        await StageOutcomeHttp.ToResult(outcome).ExecuteAsync(context);

        using var json = JsonDocument.Parse(body.ToArray());
        return (context.Response.StatusCode, context.Response.Headers, json.RootElement.Clone());
    }
}
