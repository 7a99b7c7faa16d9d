using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Providers;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;
using ViralForge.Testing.InMemory;
using static ViralForge.Adapters.Tests.OpenAI.InsightWire;
using static ViralForge.Adapters.Tests.OpenAI.OpenAIServices;
using static ViralForge.Testing.Providers.OpenAIWire;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The analysis stage's OpenAI trend insight against WireMock, in the Chat Completions structured-output wire format.</summary>
public sealed class OpenAIInsightWriterTests
{
    private static PaidWork Work() => new(Guid.NewGuid(), StageName.Analysis, 1, AnalysisStage.InsightCall);

    /// <summary>The OpenAI providers with the insight turned on, as ViralForge:Analysis:Insight=true registers them.</summary>
    internal static ServiceProvider Insight(WireMockServer server, ICostLedger ledger, IDictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?> { [AnalysisOptions.InsightSetting] = "true" };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        return Create(server, ledger, overrides: values);
    }

    [Fact]
    public async Task Reads_the_top_videos_with_a_strict_json_schema_and_returns_what_they_share_and_three_hook_lines()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Reply())));
        await using var services = Insight(server, new InMemoryCostLedger());

        var insight = await services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), Work(), CancellationToken.None);

        Assert.NotNull(insight);
        Assert.Equal(Common, insight.Common);
        Assert.Equal(SpanishHooks, insight.HookLines);
        Assert.Equal(("es", "openai gpt-5.4-mini", 10), (insight.Language, insight.Source, insight.VideoCount));

        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal($"Bearer {Key}", request.Headers!["Authorization"].Single());
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal("gpt-5.4-mini", (string?)body["model"]);
        Assert.Equal(4000, (int?)body["max_completion_tokens"]);
        var format = body["response_format"]!;
        Assert.Equal("json_schema", (string?)format["type"]);
        Assert.Equal("trend_insight_v1", (string?)format["json_schema"]!["name"]);
        Assert.True((bool?)format["json_schema"]!["strict"]);
        var schema = format["json_schema"]!["schema"]!;
        Assert.False((bool?)schema["additionalProperties"]);
        Assert.Equal(["common", "hook_lines"], schema["required"]!.AsArray().Select(n => (string?)n));
        Assert.Equal((3, 3), ((int?)schema["properties"]!["hook_lines"]!["minItems"], (int?)schema["properties"]!["hook_lines"]!["maxItems"]));
        Assert.Contains("Exactly 3", (string?)schema["properties"]!["hook_lines"]!["description"], StringComparison.Ordinal);

        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => (string?)m!["role"]));
        var brief = (string)messages[1]!["content"]!;
        Assert.Contains("Topic of the new video: Why cats knock things off tables", brief, StringComparison.Ordinal);
        Assert.Contains("The 10 most-viewed trending videos in the niche \"pets\", most viewed first:", brief, StringComparison.Ordinal);
        Assert.Contains("1. \"Why do cats do this #1?\" by Cat Science", brief, StringComparison.Ordinal);
        Assert.Contains("1,000,000 views, 40,000 likes, 1,000 comments (4.1% engagement), 39 s, published 2026-11-21", brief, StringComparison.Ordinal);
        Assert.Contains("10. \"Why do cats do this #10?\"", brief, StringComparison.Ordinal);
        // the description's link is on the same line, so a description cannot start a line of its own in the prompt
        Assert.Contains("description: Cat behaviour explained. https://example.com/9", brief, StringComparison.Ordinal);
        Assert.True(brief.IndexOf("#1?", StringComparison.Ordinal) < brief.IndexOf("#2?", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("es", "Spanish (es)")]
    [InlineData("pt-BR", "Portuguese (Brazil) (pt-BR)")]
    public async Task The_request_asks_for_the_hook_lines_in_the_rows_language(string language, string named)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Reply())));
        await using var services = Insight(server, new InMemoryCostLedger());

        var insight = await services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(language), Work(), CancellationToken.None);

        Assert.Equal(language, insight!.Language);
        var messages = Bodies(server, ChatPath).Single()["messages"]!.AsArray();
        var instructions = (string)messages[0]!["content"]!;
        Assert.Contains($"exactly 3 hook lines for the creator's video on their topic, in {named}", instructions, StringComparison.Ordinal);
        Assert.Contains($"The hook lines must be in {named}, whatever language the titles are in.", instructions, StringComparison.Ordinal);
        Assert.Contains($"Language of the hook lines: {named}", (string)messages[1]!["content"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_call_is_recorded_in_the_ledger_with_its_tokens_and_usd_and_a_redelivery_reuses_it_without_a_second_call()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(Reply(), promptTokens: 900, cachedTokens: 0, completionTokens: 300, id: "chatcmpl-insight1")));
        var ledger = new InMemoryCostLedger();
        var work = Work();
        TrendInsight? first;
        await using (var crashed = Insight(server, ledger))
        {
            first = await crashed.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), work, CancellationToken.None);
        }
        await using var redelivered = Insight(server, ledger);

        var second = await redelivered.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), work, CancellationToken.None);

        Assert.Single(server.LogEntries);
        var call = Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None));
        Assert.Equal(work, call.Work);
        Assert.Equal(("openai", 1200m, "tokens", "chatcmpl-insight1"), (call.Provider, call.Units, call.UnitKind, call.VendorId));
        // 900 input tokens at $0.75/M and 300 output at $4.50/M (OpenAI:Prices, as of 2026-12-04)
        Assert.Equal((900 * 0.75m + 300 * 4.50m) / 1_000_000m, call.Usd);
        Assert.Equal(new DateOnly(2026, 12, 4), call.PricesOf);
        Assert.Equal(OpenAIInsightPrompt.Version, call.Result!.Value.GetProperty("prompt_version").GetString());
        Assert.Equal(first!.HookLines, second!.HookLines);
        Assert.Equal(first.Common, second.Common);
    }

    [Fact]
    public async Task OpenAI_InsightModel_picks_the_model_and_its_price_row()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(Reply(), promptTokens: 1000, cachedTokens: 0, completionTokens: 1000)));
        var ledger = new InMemoryCostLedger();
        await using var services = Insight(server, ledger, new Dictionary<string, string?> { ["OpenAI:InsightModel"] = "gpt-5-mini" });
        var work = Work();

        var insight = await services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), work, CancellationToken.None);

        Assert.Equal("openai gpt-5-mini", insight!.Source);
        Assert.Equal("gpt-5-mini", (string?)Bodies(server, ChatPath).Single()["model"]);
        Assert.Equal((1000 * 0.25m + 1000 * 2.00m) / 1_000_000m, Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None)).Usd);
    }

    [Fact]
    public void An_insight_model_without_a_price_row_stops_the_host_naming_the_setting()
    {
        using var server = WireMockServer.Start();
        using var services = Insight(server, new InMemoryCostLedger(), new Dictionary<string, string?> { ["OpenAI:InsightModel"] = "gpt-6-nano" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenAIOptions>>().Value);

        Assert.EndsWith(
            "OpenAI:Prices has no row for OpenAI:InsightModel 'gpt-6-nano': add OpenAI:Prices:gpt-6-nano:InputPerMillion and OutputPerMillion, so its calls are costed.",
            Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("rate").WillSetStateTo("open")
            .RespondWith(Json(Error("Rate limit reached for gpt-5.4-mini on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 1s.", "requests", "rate_limit_exceeded"), 429)
                .WithHeader("Retry-After", "1"));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("rate").WhenStateIs("open")
            .RespondWith(Json(Completion(Reply())));
        await using var services = Insight(server, new InMemoryCostLedger());

        var insight = await services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), Work(), CancellationToken.None);

        Assert.Equal(3, insight!.HookLines.Count);
        var times = server.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.95), $"retried after {(times[1] - times[0]).TotalSeconds} s, not the 1 s Retry-After asks");
    }

    [Fact]
    public async Task Server_errors_that_last_end_in_a_transient_failure_after_the_bounded_retries_and_nothing_is_recorded()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Error("Bad gateway.", "server_error", null), 502));
        var ledger = new InMemoryCostLedger();
        await using var services = Insight(server, ledger);
        var work = Work();

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), work, CancellationToken.None));

        // The analysis goes on without the insight, so the message does not promise a retry by the queue.
        Assert.Equal("OpenAI insight: OpenAI answered 502 server_error; gave up after 3 attempts.", error.Message);
        Assert.Equal(3, server.LogEntries.Count());
        Assert.Empty(await ledger.ListAsync(work.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried_and_then_fails_transiently()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Reply())).WithDelay(TimeSpan.FromSeconds(1)));
        await using var services = Insight(server, new InMemoryCostLedger(), new Dictionary<string, string?>
        {
            ["OpenAI:Timeout"] = "00:00:00.300",
            ["OpenAI:MaxRetries"] = "1",
        });

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), Work(), CancellationToken.None));

        Assert.Equal("OpenAI insight: no answer within OpenAI:Timeout (0.3 s); gave up after 2 attempts.", error.Message);
    }

    [Theory]
    [InlineData("{\"common\": [\"Most open with", "is not the JSON of the schema trend_insight_v1")]
    [InlineData("{\"common\":[\"a\"]}", "missing required properties including: 'hook_lines'")]
    [InlineData("{\"common\":[\"a\"],\"hook_lines\":[\"one\",\"  \",\"two\"]}", "the insight model gave 2 hook lines, not 3")]
    [InlineData("{\"common\":[],\"hook_lines\":[\"one\",\"two\",\"three\"]}", "the insight model said nothing the top videos have in common")]
    public async Task A_reply_that_is_not_the_schema_is_a_permanent_failure_paid_once_and_not_asked_again(string reply, string told)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(reply)));
        var ledger = new InMemoryCostLedger();
        await using var services = Insight(server, ledger);
        var work = Work();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), work, CancellationToken.None));
        await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), work, CancellationToken.None));

        Assert.Contains(told, error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
        Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task A_refusal_is_a_permanent_failure_with_the_models_words()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(content: null, refusal: "I'm sorry, I can't help with that request.")));
        await using var services = Insight(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), Work(), CancellationToken.None));

        Assert.Equal("the insight model refused (\"I'm sorry, I can't help with that request.\")", error.Message);
    }

    [Fact]
    public async Task Quotation_marks_and_blank_lines_around_the_reply_are_taken_off()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(Reply(["  Short and loud. ", ""], ["\"Uno.\"", "\u201CDos.\u201D", " Tres. "]))));
        await using var services = Insight(server, new InMemoryCostLedger());

        var insight = await services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(), Work(), CancellationToken.None);

        Assert.Equal(["Short and loud."], insight!.Common);
        Assert.Equal(["Uno.", "Dos.", "Tres."], insight.HookLines);
    }

    [Fact]
    public void The_prompt_stays_small_whatever_the_videos_carry()
    {
        // Ten videos with long titles, descriptions and tag lists: descriptions are cut, tags capped, so the input (and
        // the cost per job) has a ceiling.
        var videos = Videos(10).Select(v => v with
        {
            Title = new string('t', 100),
            Description = string.Join(' ', Enumerable.Repeat("description words here", 250)),
            Tags = [.. Enumerable.Range(0, 40).Select(i => $"tag number {i}")],
        }).ToList();
        var request = new InsightRequest("pets", "Why cats knock things off tables", "es", videos);

        var characters = OpenAIInsightPrompt.Instructions(request).Length + OpenAIInsightPrompt.Brief(request).Length + OpenAIInsightPrompt.Schema.Length;

        // About four characters a token: under 2,500 input tokens, about $0.002 at gpt-5.4-mini's $0.75/M.
        Assert.InRange(characters, 4_000, 10_000);
    }

    [Fact]
    public async Task No_videos_is_no_insight_and_no_call()
    {
        using var server = WireMockServer.Start();
        await using var services = Insight(server, new InMemoryCostLedger());

        var insight = await services.GetRequiredService<ITrendInsightWriter>().WriteAsync(InsightWire.Ask(videos: 0), Work(), CancellationToken.None);

        Assert.Null(insight);
        Assert.Empty(server.LogEntries);
    }

    [Theory]
    [InlineData("gcp", null, true)]
    [InlineData("local", null, false)]
    [InlineData("local", "true", true)]
    [InlineData("gcp", "false", false)]
    public void The_insight_is_on_by_default_in_gcp_with_a_key_and_off_locally(string profile, string? setting, bool on)
    {
        using var server = WireMockServer.Start();
        using var services = Create(server, new InMemoryCostLedger(), overrides: new Dictionary<string, string?>
        {
            [ViralForgeProfiles.Setting] = profile,
            [AnalysisOptions.InsightSetting] = setting,
        });

        Assert.Equal(on, services.GetService<ITrendInsightWriter>() is OpenAIInsightWriter);
        Assert.Equal(on, services.GetServices<ProviderChoice>().Contains(new ProviderChoice(StageName.Analysis, "statistics + openai gpt-5.4-mini insight")));
    }

    [Fact]
    public void The_offline_profile_registers_the_writer_that_gives_nothing()
    {
        var services = new ServiceCollection().AddOfflineProviders().BuildServiceProvider();

        Assert.IsType<NoTrendInsightWriter>(services.GetRequiredService<ITrendInsightWriter>());
    }

    [Theory]
    [InlineData("true", null, "ViralForge:Analysis:Insight is true but OpenAI:ApiKey is not set, so no model can write the insight; set OpenAI:ApiKey or set ViralForge:Analysis:Insight to false.")]
    [InlineData("maybe", "sk-proj-0123456789abcdefghij", "ViralForge:Analysis:Insight (environment ViralForge__Analysis__Insight) 'maybe' is not true or false; leave it empty for the profile's default.")]
    public void A_bad_insight_setting_stops_registration_with_one_line_naming_it(string setting, string? key, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AnalysisOptions.InsightSetting] = setting,
            ["OpenAI:ApiKey"] = key,
        }).Build();

        var error = Assert.Throws<ViralForgeSettingsException>(() => new ServiceCollection().AddOpenAI(configuration));

        Assert.Equal(message, error.Message);
    }
}
