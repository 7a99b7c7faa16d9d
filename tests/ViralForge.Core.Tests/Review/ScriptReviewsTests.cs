using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Scripts;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;
using ViralForge.Testing;

namespace ViralForge.Core.Tests.Review;

/// <summary>
/// The Review Script gate against real PostgreSQL: the real stage runner writes the script and stops, and Continue
/// saves the edit and lets the pipeline go on from visuals exactly once, whatever is repeated.
/// </summary>
public sealed class ScriptReviewsTests
{
    private static readonly DeliveryInfo FirstDelivery = new(null, null, 0, 1);

    [Fact]
    public async Task A_row_asking_for_a_script_check_stops_after_the_script_with_status_script_review()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await SubmitAsync(host, reviewScript: "yes");

        var outcome = await RunToScriptAsync(host, id);
        var redelivered = await host.Get<StageRunner>().RunAsync(StageName.Script, new StageMessage(id, 1), FirstDelivery, CancellationToken.None);

        Assert.IsType<StageOutcome.AwaitingApproval>(outcome);
        Assert.Equal("waiting for a person to check the script", Assert.IsType<StageOutcome.AwaitingApproval>(redelivered).Detail);
        var job = await host.GetJobAsync(id);
        Assert.Equal((JobStatus.ScriptReview, StageName.Script), (job.Status, job.Stage));
        Assert.Equal(0L, await VisualsTasksAsync(host));
        var waiting = Assert.Single(await host.Get<ScriptReviews>().ListWaitingAsync(CancellationToken.None));
        Assert.Equal(id, waiting.Job.Id);
        Assert.NotEmpty(waiting.Script.Beats);
    }

    [Fact]
    public async Task The_review_script_default_setting_turns_the_gate_on_for_a_row_that_leaves_it_empty()
    {
        await using var host = await ReviewCoreHost.StartAsync(new Dictionary<string, string?> { ["ViralForge:Defaults:ReviewScript"] = "true" });
        var id = await SubmitAsync(host, reviewScript: "");

        await RunToScriptAsync(host, id);

        Assert.Equal(JobStatus.ScriptReview, (await host.GetJobAsync(id)).Status);
    }

    [Fact]
    public async Task Continue_saves_the_edit_as_the_script_and_two_saves_and_a_redelivery_queue_visuals_once()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await SubmitAsync(host, reviewScript: "yes");
        await RunToScriptAsync(host, id);
        var reviews = host.Get<ScriptReviews>();
        var written = (await reviews.GetWaitingAsync(id, CancellationToken.None))!.Script;
        var mine = Edited(written, "Ana's first beat, said her way.");
        var theirs = Edited(written, "Bo's first beat.");

        var saves = await Task.WhenAll(
            Task.Run(() => reviews.ContinueAsync(id, 1, mine, "Ana", CancellationToken.None)),
            Task.Run(() => reviews.ContinueAsync(id, 1, theirs, "Bo", CancellationToken.None)));
        var redelivered = await host.Get<StageRunner>().RunAsync(StageName.Script, new StageMessage(id, 1), FirstDelivery, CancellationToken.None);
        var late = await reviews.ContinueAsync(id, 1, theirs, "Bo", CancellationToken.None);

        Assert.Equal(1, saves.Count(s => s.Outcome == ScriptReviewOutcome.Continued));
        Assert.Equal(1, saves.Count(s => s.Outcome == ScriptReviewOutcome.AlreadyContinued));
        Assert.Equal(ScriptReviewOutcome.AlreadyContinued, late.Outcome);
        Assert.IsType<StageOutcome.Completed>(redelivered);
        Assert.Equal(1L, await VisualsTasksAsync(host));
        var winner = saves[0].Outcome == ScriptReviewOutcome.Continued ? mine : theirs;
        var stored = await ScriptAtAsync(host, id, 1);
        Assert.Equal(winner.Beats[0].Narration, stored.Beats[0].Narration);
        Assert.Equal(written.Beats.Skip(1), stored.Beats.Skip(1));
        var job = await host.GetJobAsync(id);
        Assert.Equal(JobStatus.ForStage(StageName.Visuals), job.Status);
        Assert.Contains(await host.Get<IJobStore>().ListEventsAsync(id, CancellationToken.None),
            e => e.Kind == "completed" && e.Stage == StageName.Script && e.Message.StartsWith("script checked by ", StringComparison.Ordinal) && e.Message.EndsWith("(edited)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_later_regenerate_of_visuals_reads_the_edited_script()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await SubmitAsync(host, reviewScript: "yes");
        await RunToScriptAsync(host, id);
        var reviews = host.Get<ScriptReviews>();
        var edit = Edited((await reviews.GetWaitingAsync(id, CancellationToken.None))!.Script, "Said the way Ana wants it.");
        await reviews.ContinueAsync(id, 1, edit, "Ana", CancellationToken.None);

        // Regenerate from visuals starts generation 2 without rerunning the script: its stages read generation 1's script.
        var store = host.Get<IJobStore>();
        Assert.Equal(2, await store.BumpGenerationAsync(id, 1, CancellationToken.None));
        var context = new StageContext(await host.GetJobAsync(id), StageName.Visuals, 2, host.Folder.Path, store, host.Get<IBlobStore>());

        var script = await context.GetOutputAsync<VideoScript>(StageName.Script, CancellationToken.None);

        Assert.Equal("Said the way Ana wants it.", script.Beats[0].Narration);
    }

    [Fact]
    public async Task An_edit_with_an_empty_beat_or_a_long_card_is_refused_with_what_is_wrong_and_the_job_keeps_waiting()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await SubmitAsync(host, reviewScript: "yes");
        await RunToScriptAsync(host, id);
        var reviews = host.Get<ScriptReviews>();
        var written = (await reviews.GetWaitingAsync(id, CancellationToken.None))!.Script;
        var beats = written.Beats.ToList();
        beats[0] = beats[0] with { Narration = "   " };
        beats[^1] = beats[^1] with { CardText = "one two three four five six seven" };

        var result = await reviews.ContinueAsync(id, 1, ScriptEdit.From(written) with { Beats = beats }, "Ana", CancellationToken.None);

        Assert.Equal(ScriptReviewOutcome.Invalid, result.Outcome);
        Assert.Contains("The narration of beat 1 is empty.", result.Problems);
        Assert.Contains($"The card text of beat {beats.Count} has 7 words; keep it to 6.", result.Problems);
        Assert.Equal(JobStatus.ScriptReview, (await host.GetJobAsync(id)).Status);
        Assert.Equal(0L, await VisualsTasksAsync(host));
        Assert.Equal(Json(written), Json((await reviews.GetWaitingAsync(id, CancellationToken.None))!.Script));
    }

    [Fact]
    public async Task Without_the_gate_the_script_goes_straight_on_and_continue_saves_nothing()
    {
        await using var host = await ReviewCoreHost.StartAsync();
        var id = await SubmitAsync(host, reviewScript: "no");
        var outcome = await RunToScriptAsync(host, id);
        var written = await ScriptAtAsync(host, id, 1);

        var result = await host.Get<ScriptReviews>().ContinueAsync(id, 1, Edited(written, "Sneaked in."), "Ana", CancellationToken.None);

        Assert.IsType<StageOutcome.Completed>(outcome);
        Assert.Equal(ScriptReviewOutcome.NotWaiting, result.Outcome);
        Assert.Equal(Json(written), Json(await ScriptAtAsync(host, id, 1)));
        Assert.Empty(await host.Get<ScriptReviews>().ListWaitingAsync(CancellationToken.None));
    }

    private static async Task<Guid> SubmitAsync(ReviewCoreHost host, string reviewScript)
    {
        var path = host.Folder.File("sheet.csv");
        await File.WriteAllTextAsync(path, $"Topic,Platform,Duration,Review Script\nThree stretches for desk workers,youtube,15,{reviewScript}\n");
        var row = Assert.Single(await host.Get<IntakeService>().SubmitAsync(host.Get<ISheetRegistry>().Open(path), CancellationToken.None));
        return row.JobId ?? throw new InvalidOperationException($"The row was refused: {row.Error}");
    }

    /// <summary>Runs trends, analysis and script through the real runner, as the queue would deliver them; returns the script's outcome.</summary>
    private static async Task<StageOutcome> RunToScriptAsync(ReviewCoreHost host, Guid id)
    {
        var runner = host.Get<StageRunner>();
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis })
        {
            Assert.IsType<StageOutcome.Completed>(await runner.RunAsync(stage, new StageMessage(id, 1), FirstDelivery, CancellationToken.None));
        }
        return await runner.RunAsync(StageName.Script, new StageMessage(id, 1), FirstDelivery, CancellationToken.None);
    }

    private static ScriptEdit Edited(VideoScript script, string firstNarration)
    {
        var beats = script.Beats.ToList();
        beats[0] = beats[0] with { Narration = firstNarration };
        return ScriptEdit.From(script) with { Beats = beats };
    }

    private static async Task<VideoScript> ScriptAtAsync(ReviewCoreHost host, Guid id, int generation)
    {
        var run = await host.Get<IJobStore>().GetLatestCompletedAsync(id, StageName.Script, generation, CancellationToken.None);
        return StageJson.FromElement<VideoScript>(run!.Output!.Value);
    }

    private static string Json(VideoScript script) => StageJson.ToElement(script).GetRawText();

    private static Task<long> VisualsTasksAsync(ReviewCoreHost host) =>
        host.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE queue = @queue", ("queue", StageTasks.QueueFor(StageName.Visuals)));
}
