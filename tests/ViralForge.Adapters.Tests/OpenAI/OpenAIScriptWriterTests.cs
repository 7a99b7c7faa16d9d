using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Testing.InMemory;
using static ViralForge.Adapters.Tests.OpenAI.OpenAIServices;
using static ViralForge.Testing.Providers.OpenAIWire;

namespace ViralForge.Adapters.Tests.OpenAI;

public sealed class OpenAIScriptWriterTests
{
    private static PaidWork Work() => new(Guid.NewGuid(), StageName.Script, 1, "script");

    [Fact]
    public async Task Writes_the_script_from_a_strict_json_schema_reply_with_beat_visuals_moods_and_hashtags()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Script().ToJsonString())));
        await using var services = Create(server, new InMemoryCostLedger());

        var script = await services.GetRequiredService<IScriptWriter>().WriteAsync(
            Row(language: "de", notes: "Keep it light\nReviewer feedback: a funnier hook"), Trends(), Work(), CancellationToken.None);

        Assert.Equal("Why your cat pushes things off the table", script.Title);
        Assert.Equal("Your cat is running a physics experiment on you.", script.Hook);
        Assert.Equal(5, script.Beats.Count);
        Assert.Equal(("Gravity test", "cat pushing glass off table", "upbeat"), (script.Beats[4].CardText, script.Beats[4].VisualQuery, script.Beats[4].Mood));
        Assert.Equal(["cats", "cat behavior", "funny cats"], script.Tags);
        Assert.Equal(["#cats", "#CatFacts", "#shorts"], script.Hashtags);
        Assert.Equal("Why cats push things off tables, in thirty seconds.\n\n#cats #CatFacts #shorts", script.Description);
        Assert.Equal(84 / 165.0 * 60, script.EstimatedSeconds, 3);

        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal($"Bearer {Key}", request.Headers!["Authorization"].Single());
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal("gpt-5.4-mini", (string?)body["model"]);
        Assert.Equal(4000, (int?)body["max_completion_tokens"]);
        var format = body["response_format"]!;
        Assert.Equal("json_schema", (string?)format["type"]);
        Assert.Equal(ScriptPrompt.SchemaName, (string?)format["json_schema"]!["name"]);
        Assert.True((bool?)format["json_schema"]!["strict"]);
        Assert.False((bool?)format["json_schema"]!["schema"]!["additionalProperties"]);
        Assert.Equal(["narration", "card", "visual_query", "mood"], format["json_schema"]!["schema"]!["properties"]!["beats"]!["items"]!["required"]!.AsArray().Select(n => (string?)n));
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => (string?)m!["role"]));
        var instructions = (string)messages[0]!["content"]!;
        var brief = (string)messages[1]!["content"]!;
        Assert.Contains("in German (de)", instructions, StringComparison.Ordinal);
        Assert.Contains("71 to 94 words", instructions, StringComparison.Ordinal);
        Assert.Contains("Topic: Why cats knock things off tables", brief, StringComparison.Ordinal);
        Assert.Contains("Reviewer feedback: a funnier hook", brief, StringComparison.Ordinal);
        Assert.Contains("#cats #CatFacts", brief, StringComparison.Ordinal);
        Assert.Contains("question: 30%, e.g. \"Why do cats hate water?\"", brief, StringComparison.Ordinal);
        Assert.Contains("My cat vs the Christmas tree", brief, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_niche_without_trends_is_said_so_in_the_brief()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Script().ToJsonString())));
        await using var services = Create(server, new InMemoryCostLedger());

        await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), NoTrends(), CancellationToken.None);

        var brief = (string)Bodies(server, ChatPath)[0]["messages"]![1]!["content"]!;
        Assert.Contains("No trending videos were found in this niche", brief, StringComparison.Ordinal);
        Assert.DoesNotContain("Top titles", brief, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_call_is_recorded_with_tokens_in_and_out_and_usd_from_the_price_table()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(Script().ToJsonString(), promptTokens: 1200, cachedTokens: 200, completionTokens: 400)));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None);

        var call = Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None));
        Assert.Equal(work, call.Work);
        Assert.Equal(("openai", 1600m, "tokens"), (call.Provider, call.Units, call.UnitKind));
        // 1000 fresh input tokens at $0.75/M, 200 cached at $0.075/M, 400 output at $4.50/M
        Assert.Equal((1000 * 0.75m + 200 * 0.075m + 400 * 4.50m) / 1_000_000m, call.Usd);
        Assert.Equal(new DateOnly(2026, 12, 4), call.PricesOf);
        Assert.Equal("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", call.VendorId);
        Assert.Equal(ScriptPrompt.Version, call.Result!.Value.GetProperty("prompt_version").GetString());
        Assert.Equal(200, call.Result!.Value.GetProperty("usage").GetProperty("cached_input_tokens").GetInt32());
    }

    [Fact]
    public async Task A_redelivery_after_a_crash_before_the_commit_reuses_the_recorded_answer_and_pays_nothing()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Script().ToJsonString())));
        var ledger = new InMemoryCostLedger();
        var work = Work();
        await using (var crashed = Create(server, ledger))
        {
            // The paid call answers and is recorded; then the process dies before the stage commits its output.
            await crashed.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None);
        }
        await using var redelivered = Create(server, ledger);

        var script = await redelivered.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None);

        Assert.Single(server.LogEntries);
        Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None));
        Assert.Equal("Why your cat pushes things off the table", script.Title);
    }

    [Fact]
    public async Task A_new_generation_pays_for_a_new_script()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Script().ToJsonString())));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None);
        await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work with { Generation = 2 }, CancellationToken.None);

        Assert.Equal(2, server.LogEntries.Count());
        Assert.Equal(2, (await ledger.ListAsync(work.JobId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_script_that_breaks_the_rules_gets_one_repair_round_trip_with_the_broken_rules()
    {
        using var server = WireMockServer.Start();
        var broken = Script(words: 30, card: "Your cat is testing gravity on purpose today").ToJsonString();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("repair").WillSetStateTo("repaired")
            .RespondWith(Json(Completion(broken)));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("repair").WhenStateIs("repaired")
            .RespondWith(Json(Completion(Script().ToJsonString(), id: "chatcmpl-repair")));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        var script = await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None);

        Assert.Equal("Gravity test", script.Beats[0].CardText);
        var repair = Bodies(server, ChatPath)[1]["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], repair.Select(m => (string?)m!["role"]));
        Assert.Equal(broken, (string?)repair[2]!["content"]);
        var errors = (string)repair[3]!["content"]!;
        Assert.Contains("beat 1's card \"Your cat is testing gravity on purpose today\" has 8 words; a card has at most 6", errors, StringComparison.Ordinal);
        Assert.Contains("is 29 spoken words, about 11 s at 165 words a minute, but the video is 30 s: write 71 to 94 words", errors, StringComparison.Ordinal);
        Assert.Equal(["script", "script-repair"], (await ledger.ListAsync(work.JobId, CancellationToken.None)).Select(c => c.Work.Call));
    }

    [Fact]
    public async Task A_script_still_broken_after_the_repair_fails_the_row_with_the_reasons()
    {
        using var server = WireMockServer.Start();
        var longTitle = new string('x', 120);
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Script(title: longTitle).ToJsonString())));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal("The script writer could not meet the row's limits after one repair: the title is 120 characters; YouTube allows at most 100.", error.Message);
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Theory]
    [InlineData("{\"title\": \"Why cats", "is not the JSON of the schema")]
    [InlineData("{\"title\":\"t\",\"hook\":\"h\",\"beats\":[],\"call_to_action\":\"c\",\"description\":\"d\",\"tags\":[]}", "missing required properties including: 'hashtags'")]
    public async Task Malformed_json_or_a_schema_mismatch_is_repaired_once(string reply, string told)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("bad").WillSetStateTo("fixed")
            .RespondWith(Json(Completion(reply)));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("bad").WhenStateIs("fixed")
            .RespondWith(Json(Completion(Script().ToJsonString())));
        await using var services = Create(server, new InMemoryCostLedger());

        var script = await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None);

        Assert.Equal(5, script.Beats.Count);
        Assert.Contains(told, (string)Bodies(server, ChatPath)[1]["messages"]![3]!["content"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_fails_the_row_permanently_with_the_models_words_and_is_not_repaired()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(content: null, refusal: "I'm sorry, I can't help with that request.")));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None));

        Assert.Equal("The script model refused to write this script (\"I'm sorry, I can't help with that request.\"); edit the row's Topic or Notes.", error.Message);
        Assert.Single(server.LogEntries);
        // the refused call was paid for all the same
        Assert.Equal(1600m, Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None)).Units);
    }

    [Fact]
    public async Task A_truncated_answer_fails_the_row_naming_MaxOutputTokens()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(Script().ToJsonString()[..200], finishReason: "length", completionTokens: 4000)));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.StartsWith("The script model's answer was cut off at OpenAI:MaxOutputTokens (4000 tokens)", error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("rate").WillSetStateTo("open")
            .RespondWith(Json(Error("Rate limit reached for gpt-5.4-mini on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 1s.", "requests", "rate_limit_exceeded"), 429)
                .WithHeader("Retry-After", "1"));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("rate").WhenStateIs("open")
            .RespondWith(Json(Completion(Script().ToJsonString())));
        await using var services = Create(server, new InMemoryCostLedger());

        await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None);

        var times = server.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.95), $"retried after {(times[1] - times[0]).TotalSeconds} s, not the 1 s Retry-After asks");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_MaxRetryAfter_gives_the_task_back_to_the_queue_at_once()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error("Rate limit reached. Please try again in 1h0m0s.", "tokens", "rate_limit_exceeded"), 429).WithHeader("Retry-After", "3600"));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal("OpenAI script: OpenAI is rate limiting (429 rate_limit_exceeded); it asks to wait 3600 s, longer than OpenAI:MaxRetryAfter (30 s), so the queue retries later.", error.Message);
        // The stage runner hands OpenAI's wait to the queue (RetryLater.After), so the next delivery comes when OpenAI takes calls again.
        Assert.Equal(TimeSpan.FromHours(1), Assert.IsAssignableFrom<TransientStageException>(error).RetryAfter);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Rate_limiting_that_outlasts_the_retries_gives_the_task_back_to_the_queue()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error("Rate limit reached.", "requests", "rate_limit_exceeded"), 429));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal(3, server.LogEntries.Count()); // the first try and OpenAI:MaxRetries=2
        Assert.EndsWith("gave up after 3 attempts, the queue retries later.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_used_up_quota_fails_the_row_permanently_without_retrying()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"), 429));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.StartsWith("OpenAI says the account's quota is used up", error.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_one_answers()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("5xx").WillSetStateTo("503")
            .RespondWith(Json(Error("The server had an error while processing your request.", "server_error", null), 500));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("5xx").WhenStateIs("503").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("upstream connect error"));
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).InScenario("5xx").WhenStateIs("up")
            .RespondWith(Json(Completion(Script().ToJsonString())));
        await using var services = Create(server, new InMemoryCostLedger());

        var script = await services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None);

        Assert.Equal(5, script.Beats.Count);
        Assert.Equal(3, server.LogEntries.Count());
    }

    [Fact]
    public async Task Server_errors_that_last_give_the_task_back_to_the_queue_after_the_bounded_retries()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error("Bad gateway.", "server_error", null), 502));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), work, CancellationToken.None));

        Assert.Equal("OpenAI script: OpenAI answered 502 server_error; gave up after 3 attempts, the queue retries later.", error.Message);
        Assert.Equal(3, server.LogEntries.Count());
        // nothing answered, so nothing was paid or recorded
        Assert.Empty(await ledger.ListAsync(work.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried_and_then_given_back_to_the_queue()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Completion(Script().ToJsonString())).WithDelay(TimeSpan.FromSeconds(1)));
        await using var services = Create(server, new InMemoryCostLedger(), overrides: new Dictionary<string, string?>
        {
            ["OpenAI:Timeout"] = "00:00:00.300",
            ["OpenAI:MaxRetries"] = "1",
        });

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal("OpenAI script: no answer within OpenAI:Timeout (0.3 s); gave up after 2 attempts, the queue retries later.", error.Message);
        // WireMock logs a request once its delayed answer is sent
        for (var wait = 0; wait < 50 && server.LogEntries.Count() < 2; wait++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(2, server.LogEntries.Count());
    }

    [Fact]
    public async Task A_bad_key_is_one_permanent_message_naming_the_setting_and_no_part_of_the_key_is_shown_or_logged()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error("Incorrect API key provided: sk-proj-********************************SECRET. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"), 401));
        var logs = new RecordingLogs();
        await using var services = Create(server, new InMemoryCostLedger(), logs);

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal("OpenAI rejected the key in OpenAI:ApiKey (401): set OpenAI:ApiKey to a valid secret key of the project.", error.Message);
        Assert.Single(server.LogEntries);
        Assert.NotEmpty(logs.Lines);
        foreach (var text in logs.Lines.Append(error.ToString()))
        {
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
            Assert.DoesNotContain("TESTKEY", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_model_OpenAI_does_not_know_fails_the_row_naming_the_setting()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error("The model `gpt-9` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"), 404));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal("OpenAI does not know the model (404 model_not_found): The model `gpt-9` does not exist or you do not have access to it; check OpenAI:ScriptModel.", error.Message);
    }

    [Fact]
    public async Task A_refused_request_fails_the_row_with_openais_reason_and_the_key_taken_out()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(Error($"Invalid schema for response_format 'video_script_v1' (sent with key {Key}).", "invalid_request_error", "invalid_json_schema"), 400));
        await using var services = Create(server, new InMemoryCostLedger());

        var error = await Assert.ThrowsAsync<PermanentStageException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.Equal("OpenAI refused the request (400 invalid_json_schema): Invalid schema for response_format 'video_script_v1' (sent with key [key])", error.Message);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_connections_is_retried_and_then_given_back_to_the_queue()
    {
        using var refused = new ViralForge.Testing.RefusedPort();
        using var unused = WireMockServer.Start();
        await using var services = Create(unused, new InMemoryCostLedger(), overrides: new Dictionary<string, string?> { ["OpenAI:Endpoint"] = refused.Url + "v1" });

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<IScriptWriter>().WriteAsync(Row(), Trends(), Work(), CancellationToken.None));

        Assert.StartsWith("OpenAI script: could not reach OpenAI at OpenAI:Endpoint: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("gave up after 3 attempts, the queue retries later.", error.Message, StringComparison.Ordinal);
    }
}
