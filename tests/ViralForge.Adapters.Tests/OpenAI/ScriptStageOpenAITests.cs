using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Adapters.Local;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Testing;
using ViralForge.Testing.InMemory;
using static ViralForge.Adapters.Tests.OpenAI.OpenAIServices;
using static ViralForge.Testing.Providers.OpenAIWire;

namespace ViralForge.Adapters.Tests.OpenAI;

/// <summary>The script stage with the OpenAI writer and moderator, as a delivery runs it.</summary>
public sealed class ScriptStageOpenAITests
{
    [Fact]
    public async Task A_flagged_script_fails_the_job_with_the_categories_in_the_error()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).RespondWith(Json(Moderation("violence", "harassment")));
        await using var services = Create(server, new InMemoryCostLedger());
        // the offline writer and the real moderator: the gate does not depend on who wrote the script
        var stage = new ScriptStage(new TemplateScriptWriter(Options.Create(new ViralForgeOptions())), services.GetRequiredService<IScriptModerator>());
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<PermanentStageException>(async () => await stage.RunAsync(await ContextAsync(folder), CancellationToken.None));

        Assert.Equal("The script was flagged by moderation: harassment, violence; edit the row's Topic or Notes.", error.Message);
        var input = (string)Bodies(server, ModerationPath).Single()["input"]!;
        Assert.Contains("why cats knock things off tables", input, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_redelivered_script_stage_reuses_the_paid_script_and_moderation_and_pays_nothing_more()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(Completion(Script().ToJsonString())));
        server.Given(Request.Create().WithPath(ModerationPath).UsingPost()).RespondWith(Json(Moderation()));
        var ledger = new InMemoryCostLedger();
        using var folder = new TempFolder();
        var context = await ContextAsync(folder);
        StageResult first;
        await using (var crashed = Create(server, ledger))
        {
            // the stage answers, but its output is never committed (the process dies first)
            first = await Stage(crashed).RunAsync(context, CancellationToken.None);
        }
        await using var redelivered = Create(server, ledger);

        var second = await Stage(redelivered).RunAsync(context, CancellationToken.None);

        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == ChatPath);
        Assert.Single(server.LogEntries, e => e.RequestMessage.Path == ModerationPath);
        Assert.Equal(first.Output.GetRawText(), second.Output.GetRawText());
        var calls = await ledger.ListAsync(context.Job.Id, CancellationToken.None);
        Assert.Equal(
            [new PaidWork(context.Job.Id, StageName.Script, 1, "script"), new PaidWork(context.Job.Id, StageName.Script, 1, "moderation")],
            calls.Select(c => c.Work));
        var script = JsonSerializer.Deserialize(second.Output, CoreJson.Default.VideoScript)!;
        Assert.Equal("cat pushing glass off table", script.Beats[0].VisualQuery);
    }

    [Fact]
    public async Task A_script_stored_before_visual_queries_moods_and_hashtags_reads_back_with_defaults()
    {
        const string stored = """{"title":"T","hook":"H","beats":[{"narration":"N","cardText":"C"}],"callToAction":"A","description":"D","tags":["t"],"wordsPerMinute":165,"estimatedSeconds":2}""";

        var script = JsonSerializer.Deserialize(stored, CoreJson.Default.VideoScript)!;

        Assert.Equal(new ScriptBeat("N", "C", "", ""), script.Beats[0]);
        Assert.Null(script.Hashtags);
        await Task.CompletedTask;
    }

    private static ScriptStage Stage(IServiceProvider services) =>
        new(services.GetRequiredService<IScriptWriter>(), services.GetRequiredService<IScriptModerator>());

    /// <summary>A job whose analysis stage is done, at the script stage's first generation.</summary>
    private static async Task<StageContext> ContextAsync(TempFolder folder)
    {
        var store = new InMemoryJobStore(new FakeTimeProvider());
        var job = (await store.SubmitAsync("memory:ideas", $"hash-{Guid.NewGuid():N}", OpenAIServices.Row(), CancellationToken.None)).Job;
        await store.ClaimStageAsync(job.Id, StageName.Analysis, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteStageAsync(
            new StageCompletion(job.Id, StageName.Analysis, 1, StageJson.ToElement(Trends()), [], JobStatus.ForStage(StageName.Script), "analysis"),
            CancellationToken.None);
        return new StageContext(job, StageName.Script, 1, folder.Path, store, new InMemoryBlobStore());
    }
}
