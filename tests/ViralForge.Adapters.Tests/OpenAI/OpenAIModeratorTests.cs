using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Adapters.OpenAI;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Testing.InMemory;
using static ViralForge.Adapters.Tests.OpenAI.OpenAIServices;
using static ViralForge.Testing.Providers.OpenAIWire;

namespace ViralForge.Adapters.Tests.OpenAI;

public sealed class OpenAIModeratorTests
{
    private static PaidWork Work() => new(Guid.NewGuid(), StageName.Script, 1, "moderation");

    [Fact]
    public async Task A_clean_script_passes_and_the_free_call_is_recorded_at_zero_usd()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).RespondWith(Json(Moderation()));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        var verdict = await services.GetRequiredService<IScriptModerator>().ModerateAsync("Cats push things off tables.", work, CancellationToken.None);

        Assert.False(verdict.Flagged);
        Assert.Empty(verdict.Categories);
        var body = Bodies(server, ModerationPath).Single();
        Assert.Equal("omni-moderation-latest", (string?)body["model"]);
        Assert.Equal("Cats push things off tables.", (string?)body["input"]);
        Assert.Equal($"Bearer {Key}", Assert.Single(server.LogEntries).RequestMessage.Headers!["Authorization"].Single());
        var call = Assert.Single(await ledger.ListAsync(work.JobId, CancellationToken.None));
        Assert.Equal(("openai", 0m, "modr-0d9740456c391e43c445bf0f010940c7"), (call.Provider, call.Usd, call.VendorId));
    }

    [Fact]
    public async Task A_flagged_script_names_the_categories_as_OpenAI_does()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).RespondWith(Json(Moderation("harassment", "violence", "violence/graphic")));
        await using var services = Create(server, new InMemoryCostLedger());

        var verdict = await services.GetRequiredService<IScriptModerator>().ModerateAsync("…", Work(), CancellationToken.None);

        Assert.True(verdict.Flagged);
        Assert.Equal(["harassment", "violence", "violence/graphic"], verdict.Categories);
    }

    [Fact]
    public async Task A_redelivery_reuses_the_recorded_verdict_without_asking_again()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).RespondWith(Json(Moderation("violence")));
        var ledger = new InMemoryCostLedger();
        var work = Work();
        await using (var first = Create(server, ledger))
        {
            await first.GetRequiredService<IScriptModerator>().ModerateAsync("text", work, CancellationToken.None);
        }
        await using var again = Create(server, ledger);

        var verdict = await again.GetRequiredService<IScriptModerator>().ModerateAsync("text", work, CancellationToken.None);

        Assert.Equal(new[] { "violence" }, verdict.Categories);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).InScenario("rate").WillSetStateTo("open")
            .RespondWith(Json(Error("Rate limit reached for omni-moderation-latest.", "requests", "rate_limit_exceeded"), 429).WithHeader("Retry-After", "1"));
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).InScenario("rate").WhenStateIs("open")
            .RespondWith(Json(Moderation()));
        await using var services = Create(server, new InMemoryCostLedger());

        var verdict = await services.GetRequiredService<IScriptModerator>().ModerateAsync("text", Work(), CancellationToken.None);

        Assert.False(verdict.Flagged);
        var times = server.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task Server_errors_that_last_give_the_task_back_to_the_queue()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost())
            .RespondWith(Json(Error("The server is overloaded.", "server_error", null), 503));
        var ledger = new InMemoryCostLedger();
        await using var services = Create(server, ledger);
        var work = Work();

        var error = await Assert.ThrowsAsync<OpenAIUnavailableException>(() =>
            services.GetRequiredService<IScriptModerator>().ModerateAsync("text", work, CancellationToken.None));

        Assert.Equal("OpenAI moderation: OpenAI answered 503 server_error; gave up after 3 attempts, the queue retries later.", error.Message);
        Assert.Equal(3, server.LogEntries.Count());
        Assert.Empty(await ledger.ListAsync(work.JobId, CancellationToken.None));
    }
}
