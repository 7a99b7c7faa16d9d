using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using static ViralForge.Adapters.Tests.OpenAI.InsightWire;
using static ViralForge.Adapters.Tests.OpenAI.OpenAIInsightWriterTests;
using static ViralForge.Adapters.Tests.OpenAI.OpenAIServices;
using static ViralForge.Testing.Providers.OpenAIWire;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The analysis stage with the OpenAI insight writer, as a delivery runs it, and the script stage that reads its output.</summary>
public sealed class AnalysisStageInsightTests : IDisposable
{
    private readonly InMemoryJobStore store = new(new FakeTimeProvider());
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_analysis_output_carries_the_statistics_and_the_insight_of_the_ten_most_viewed_videos()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Reply())));
        var ledger = new InMemoryCostLedger();
        await using var services = Insight(server, ledger);
        var job = await JobWithTrendsAsync(Videos(12));

        var result = await Stage(services).RunAsync(Context(job, StageName.Analysis), CancellationToken.None);

        var analysis = StageJson.FromElement<TrendAnalysis>(result.Output);
        Assert.Equal(StageResultKind.Completed, result.Kind);
        Assert.Equal(12, analysis.VideoCount);
        Assert.Equal("Why do cats do this #1?", analysis.TopTitles[0]);
        Assert.NotNull(analysis.Insight);
        Assert.Equal(Common, analysis.Insight.Common);
        Assert.Equal(SpanishHooks, analysis.Insight.HookLines);
        Assert.Equal(("es", 10), (analysis.Insight.Language, analysis.Insight.VideoCount));
        Assert.EndsWith("; insight by openai gpt-5.4-mini: 3 hook lines", result.Summary, StringComparison.Ordinal);
        var brief = (string)Bodies(server, ChatPath).Single()["messages"]![1]!["content"]!;
        Assert.Contains("\"Why do cats do this #10?\"", brief, StringComparison.Ordinal);
        Assert.DoesNotContain("#11?", brief, StringComparison.Ordinal);
        Assert.Equal(new PaidWork(job.Id, StageName.Analysis, 1, "insight"), Assert.Single(await ledger.ListAsync(job.Id, CancellationToken.None)).Work);
        Assert.Empty(await NotesAsync(job));
    }

    [Fact]
    public async Task A_redelivered_analysis_reuses_the_paid_insight_and_calls_openai_once()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Reply())));
        var ledger = new InMemoryCostLedger();
        var job = await JobWithTrendsAsync(Videos(12));
        StageResult first;
        await using (var crashed = Insight(server, ledger))
        {
            // the stage answers, but its output is never committed (the process dies first)
            first = await Stage(crashed).RunAsync(Context(job, StageName.Analysis), CancellationToken.None);
        }
        await using var redelivered = Insight(server, ledger);

        var second = await Stage(redelivered).RunAsync(Context(job, StageName.Analysis), CancellationToken.None);

        Assert.Single(server.LogEntries);
        Assert.Single(await ledger.ListAsync(job.Id, CancellationToken.None));
        Assert.Equal(first.Output.GetRawText(), second.Output.GetRawText());
    }

    [Theory]
    [InlineData("502", "no trend insight (OpenAI insight: OpenAI answered 502 server_error; gave up after 3 attempts); the script is written from the statistics alone")]
    [InlineData("429", "no trend insight (OpenAI insight: OpenAI is rate limiting (429 rate_limit_exceeded); it asks to wait 3600 s, longer than OpenAI:MaxRetryAfter (30 s)); the script is written from the statistics alone")]
    [InlineData("refusal", "no trend insight (the insight model refused (\"I'm sorry, I can't help with that request.\")); the script is written from the statistics alone")]
    [InlineData("malformed", "no trend insight (the insight model's reply is not the JSON of the schema trend_insight_v1")]
    [InlineData("timeout", "no trend insight (OpenAI insight: no answer within OpenAI:Timeout (0.3 s); gave up after 2 attempts); the script is written from the statistics alone")]
    public async Task A_failed_insight_completes_the_stage_with_the_statistics_only_and_a_note_in_the_jobs_events(string failure, string note)
    {
        using var server = WireMockServer.Start();
        var answer = failure switch
        {
            "502" => Json(Error("Bad gateway.", "server_error", null), 502),
            "429" => Json(Error("Rate limit reached. Please try again in 1h0m0s.", "tokens", "rate_limit_exceeded"), 429).WithHeader("Retry-After", "3600"),
            "refusal" => Json(Completion(content: null, refusal: "I'm sorry, I can't help with that request.")),
            "malformed" => Json(Completion("{\"common\": [\"Most open")),
            _ => Json(Completion(Reply())).WithDelay(TimeSpan.FromSeconds(1)),
        };
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(answer);
        await using var services = Insight(server, new InMemoryCostLedger(), new Dictionary<string, string?>
        {
            ["OpenAI:Timeout"] = "00:00:00.300",
            ["OpenAI:MaxRetries"] = failure == "timeout" ? "1" : "2",
        });
        var job = await JobWithTrendsAsync(Videos(12));

        var result = await Stage(services).RunAsync(Context(job, StageName.Analysis), CancellationToken.None);

        var analysis = StageJson.FromElement<TrendAnalysis>(result.Output);
        Assert.Equal(StageResultKind.Completed, result.Kind);
        Assert.Equal(12, analysis.VideoCount);
        Assert.NotEmpty(analysis.HookPatterns);
        Assert.Null(analysis.Insight);
        Assert.DoesNotContain("\"insight\"", result.Output.GetRawText(), StringComparison.Ordinal);
        var written = Assert.Single(await NotesAsync(job));
        Assert.StartsWith(note, written.Message, StringComparison.Ordinal);
        Assert.Equal(StageName.Analysis, written.Stage);
        Assert.Contains("statistics only (no trend insight (", result.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("TESTKEY", written.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_niche_without_trends_asks_for_no_insight()
    {
        using var server = WireMockServer.Start();
        await using var services = Insight(server, new InMemoryCostLedger());
        var job = await JobWithTrendsAsync([]);

        var result = await Stage(services).RunAsync(Context(job, StageName.Analysis), CancellationToken.None);

        Assert.Null(StageJson.FromElement<TrendAnalysis>(result.Output).Insight);
        Assert.Empty(server.LogEntries);
        Assert.Empty(await NotesAsync(job));
    }

    [Fact]
    public async Task The_script_writers_prompt_carries_what_the_top_videos_share_and_the_hook_lines()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost().WithBody(b => b!.Contains("trend_insight_v1", StringComparison.Ordinal)))
            .RespondWith(Json(Completion(Reply())));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost().WithBody(b => b!.Contains("video_script_v1", StringComparison.Ordinal)))
            .RespondWith(Json(Completion(Script().ToJsonString())));
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).RespondWith(Json(Moderation()));
        await using var services = Insight(server, new InMemoryCostLedger());
        var job = await JobWithTrendsAsync(Videos(12));
        var analysis = await Stage(services).RunAsync(Context(job, StageName.Analysis), CancellationToken.None);
        await CompleteAsync(job, StageName.Analysis, analysis);

        await new ScriptStage(services.GetRequiredService<IScriptWriter>(), services.GetRequiredService<IScriptModerator>())
            .RunAsync(Context(job, StageName.Script), CancellationToken.None);

        var script = Bodies(server, ChatPath).Single(b => (string?)b["response_format"]!["json_schema"]!["name"] == "video_script_v1");
        var brief = (string)script["messages"]![1]!["content"]!;
        Assert.Contains("What the top trending videos have in common:\n  - Most open with a question the viewer cannot answer.\n  - They run 20 to 35 seconds", brief.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Hook lines written for this video from those trends, in Spanish (es); open with one of them, or a better one like them:", brief, StringComparison.Ordinal);
        foreach (var hook in SpanishHooks)
        {
            Assert.Contains($"  - {hook}", brief, StringComparison.Ordinal);
        }
    }

    private static AnalysisStage Stage(IServiceProvider services) => new(services.GetRequiredService<ITrendInsightWriter>());

    private StageContext Context(Job job, StageName stage) => new(job, stage, 1, folder.Path, store, new InMemoryBlobStore());

    /// <summary>A Spanish row whose trends stage is done with <paramref name="videos"/>.</summary>
    private async Task<Job> JobWithTrendsAsync(List<TrendVideo> videos)
    {
        var job = (await store.SubmitAsync("memory:ideas", $"hash-{Guid.NewGuid():N}", Row(language: "es"), CancellationToken.None)).Job;
        await store.ClaimStageAsync(job.Id, StageName.Trends, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(
            new StageCompletion(job.Id, StageName.Trends, 1, StageJson.ToElement(new TrendSample(videos.Count > 0 ? "pets" : "", "test sample", videos)), [], JobStatus.ForStage(StageName.Analysis), "trends"),
            CancellationToken.None);
        return job;
    }

    private async Task CompleteAsync(Job job, StageName stage, StageResult result)
    {
        await store.ClaimStageAsync(job.Id, stage, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(new StageCompletion(job.Id, stage, 1, result.Output, [], JobStatus.ForStage(StageName.Script), result.Summary), CancellationToken.None);
    }

    private async Task<List<JobEvent>> NotesAsync(Job job) =>
        [.. (await store.ListEventsAsync(job.Id, CancellationToken.None)).Where(e => e.Kind == StageContext.NoteEventKind)];
}
