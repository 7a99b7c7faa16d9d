using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Sheets;

/// <summary>
/// Issue 15 item 6: a Languages cell ("en, es, pt-BR") fans one row out into one job per language; the further languages
/// reuse the first one's trends and analysis and write their own "(language)" cells.
/// </summary>
public sealed class LanguagesTests
{
    private readonly CoreHarness core = new();

    private static SheetRow Row(params (string Column, string Value)[] cells)
    {
        var all = new Dictionary<string, string> { [SheetContract.Topic] = "Houseplant care" };
        foreach (var (column, value) in cells)
        {
            all[column] = value;
        }
        return new SheetRow(1, all);
    }

    private Task<IReadOnlyList<IntakeRow>> SubmitAsync() => core.Intake.SubmitAsync(core.Sheet, CancellationToken.None);

    private async Task<IReadOnlyList<Job>> JobsAsync() => await core.Store.ListBySheetAsync(CoreHarness.SheetId, CancellationToken.None);

    /// <summary>A runner whose trends, analysis and script stages are wrapped as the host wraps them.</summary>
    private StageRunner WrappedRunner()
    {
        var tasks = new StageTasks(core.Queue);
        var stages = core.Stages.Values.Select(s => s.Name is StageName.Trends or StageName.Analysis or StageName.Script
            ? new LanguageVariantStage(s, core.Store, tasks)
            : (IStage)s).ToList();
        var writer = new SheetStatusWriter(core.Store, core.Blobs, core.Sheets, core.Time, NullLogger<SheetStatusWriter>.Instance);
        return new StageRunner(core.Store, core.Blobs, stages, tasks, core.Compensator, writer, Microsoft.Extensions.Options.Options.Create(core.Settings), core.Time, NullLogger<StageRunner>.Instance);
    }

    private static Task<StageOutcome> RunAsync(StageRunner runner, Job job, StageName stage) =>
        runner.RunAsync(stage, new StageMessage(job.Id, job.Generation), new DeliveryInfo(StageTasks.QueueFor(stage), "t", 0, 0), CancellationToken.None);

    // Validation

    [Fact]
    public void Languages_are_read_in_order_canonical_and_once_and_the_first_is_the_requests_language()
    {
        var result = RowValidator.Validate(Row((SheetContract.Languages, " EN, es pt-br , es ")));

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(["en", "es", "pt-BR"], result.Languages);
        Assert.Equal("en", result.Request.Language);
    }

    [Fact]
    public void A_row_without_languages_has_its_language_cells_one_language()
    {
        Assert.Equal(["fr-CA"], RowValidator.Validate(Row((SheetContract.Language, "FR-ca"))).Languages);
        Assert.Equal(["en"], RowValidator.Validate(Row()).Languages);
    }

    [Fact]
    public void Languages_wins_over_language_which_is_then_not_read()
    {
        var result = RowValidator.Validate(Row((SheetContract.Language, "not a tag"), (SheetContract.Languages, "es, en")));

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(["es", "en"], result.Languages);
        Assert.Equal("es", result.Request.Language);
    }

    [Theory]
    [InlineData("en, english, es", "Languages \"en, english, es\": \"english\" is not a language tag; write codes separated by commas, e.g. en, es, pt-BR")]
    [InlineData("en, e$, pt_BR", "Languages \"en, e$, pt_BR\": \"e$\", \"pt_BR\" are not language tags; write codes separated by commas, e.g. en, es, pt-BR")]
    [InlineData(",", "Languages \",\" has no language code; write codes separated by commas, e.g. en, es, pt-BR")]
    [InlineData("en es fr de it pt nl sv da fi pl", "Languages has 11 languages; the limit is 10 (one video each)")]
    public void A_bad_languages_cell_names_the_bad_code_and_shows_an_example(string cell, string error)
    {
        var result = RowValidator.Validate(Row((SheetContract.Languages, cell)));

        Assert.False(result.IsValid);
        Assert.Equal(error, result.Error);
        Assert.Empty(result.Languages);
    }

    // Idempotency keys

    [Fact]
    public void An_empty_languages_cell_leaves_a_rows_hash_as_it_was()
    {
        Assert.Equal(RowHasher.Hash(Row((SheetContract.Language, "en"))), RowHasher.Hash(Row((SheetContract.Language, "en"), (SheetContract.Languages, "  "))));
        Assert.NotEqual(RowHasher.Hash(Row((SheetContract.Language, "en"))), RowHasher.Hash(Row((SheetContract.Language, "en"), (SheetContract.Languages, "en, es"))));
    }

    [Fact]
    public void Each_language_has_its_own_key_the_first_one_a_plain_rows_and_adding_a_language_keeps_the_others()
    {
        var two = Row((SheetContract.Languages, "en, es"));
        var three = Row((SheetContract.Languages, "en, es, pt-BR"));

        var en = RowHasher.LanguageHash(two, "en", null);
        var es = RowHasher.LanguageHash(two, "es", "en");

        Assert.Equal(RowHasher.Hash(Row((SheetContract.Language, "en"))), en);
        Assert.NotEqual(en, es);
        // A further language's key is never a plain row's: an es row of its own is another video.
        Assert.NotEqual(RowHasher.Hash(Row((SheetContract.Language, "es"))), es);
        Assert.Equal((en, es), (RowHasher.LanguageHash(three, "en", null), RowHasher.LanguageHash(three, "es", "en")));
        Assert.NotEqual(RowHasher.LanguageHash(Row((SheetContract.Languages, "en, es"), (SheetContract.Notes, "x")), "es", "en"), es);
    }

    // Intake

    [Fact]
    public async Task A_languages_row_becomes_one_job_per_language_and_only_the_first_is_queued_before_its_analysis()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es, pt-BR"));

        var result = Assert.Single(await SubmitAsync());

        var jobs = await JobsAsync();
        Assert.Equal(3, jobs.Count);
        var main = jobs.Single(j => j.Id == result.JobId);
        Assert.Equal(("en", null), (main.Request.Language, main.Request.VariantOf));
        Assert.Equal(result.LanguageJobIds, jobs.Where(j => j.Id != main.Id).OrderBy(j => j.Request.Language == "pt-BR").Select(j => j.Id));
        Assert.All(jobs.Where(j => j.Id != main.Id), j => Assert.Equal(("Houseplant care", main.Id, JobStatus.Queued), (j.Request.Topic, j.Request.VariantOf, j.Status)));
        Assert.Equal(["es", "pt-BR"], jobs.Where(j => j.Id != main.Id).Select(j => j.Request.Language).Order());
        Assert.Equal([new StageMessage(main.Id, 1)], core.Enqueued(StageName.Trends));

        // The first language has the row's own cells; each further one its "(language)" cells.
        Assert.Equal((main.Id.ToString(), JobStatus.Queued), (core.Sheet.Cell(row, SheetContract.JobId), core.Sheet.Cell(row, SheetContract.Status)));
        foreach (var (language, id) in new[] { ("es", result.LanguageJobIds![0]), ("pt-BR", result.LanguageJobIds[1]) })
        {
            Assert.Equal(id.ToString(), core.Sheet.Cell(row, $"Job ID ({language})"));
            Assert.Equal(JobStatus.Queued, core.Sheet.Cell(row, $"Status ({language})"));
            Assert.Equal("", core.Sheet.Cell(row, $"Video ({language})"));
            Assert.Equal("", core.Sheet.Cell(row, $"Error ({language})"));
        }
        Assert.Equal("Houseplant care", core.Sheet.Cell(row, SheetContract.Topic));
        Assert.Equal("en, es, pt-BR", core.Sheet.Cell(row, SheetContract.Languages));
        Assert.Contains(await core.EventsAsync(result.LanguageJobIds[0]), e => e.Kind == "submitted" && e.Message.Contains($"shares the trends and analysis of job {main.Id} (en)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submitting_a_languages_row_twice_makes_no_second_set_of_jobs()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));
        var first = Assert.Single(await SubmitAsync());

        var again = Assert.Single(await SubmitAsync());

        Assert.Equal((first.JobId, false), (again.JobId, again.Created));
        Assert.Equal(first.LanguageJobIds, again.LanguageJobIds);
        Assert.Equal(2, (await JobsAsync()).Count);
        Assert.Single(await core.EventsAsync(first.LanguageJobIds![0]), e => e.Kind == "submitted");
        Assert.Single(core.Queue.Tasks);
    }

    [Fact]
    public async Task Adding_a_language_keeps_the_jobs_already_made_and_taking_one_out_cancels_its_job()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));
        var first = Assert.Single(await SubmitAsync());
        var es = first.LanguageJobIds![0];

        core.Sheet.Edit(row, SheetContract.Languages, "en, es, pt-BR");
        var added = Assert.Single(await SubmitAsync());
        Assert.Equal(first.JobId, added.JobId);
        Assert.Equal(es, added.LanguageJobIds![0]);
        Assert.Equal(3, (await JobsAsync()).Count);

        core.Sheet.Edit(row, SheetContract.Languages, "en, pt-BR");
        var removed = Assert.Single(await SubmitAsync());
        Assert.Equal([added.LanguageJobIds[1]], removed.LanguageJobIds);
        var cancelled = await core.JobAsync(es);
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal("row 1 no longer asks for es in its Languages cell", cancelled.Error);
        Assert.Equal(JobStatus.Cancelled, core.Sheet.Cell(row, "Status (es)"));
        Assert.Equal((JobStatus.Queued, JobStatus.Queued), ((await core.JobAsync(first.JobId!.Value)).Status, (await core.JobAsync(added.LanguageJobIds[1])).Status));
    }

    [Fact]
    public async Task A_bad_language_code_is_the_rows_error_and_makes_no_job()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, espanol!"));

        var result = Assert.Single(await SubmitAsync());

        Assert.Null(result.JobId);
        Assert.Equal(JobStatus.Invalid, core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("Languages \"en, espanol!\": \"espanol!\" is not a language tag; write codes separated by commas, e.g. en, es, pt-BR", core.Sheet.Cell(row, SheetContract.Error));
        Assert.Empty(await JobsAsync());
        Assert.Empty(core.Queue.Tasks);
    }

    [Fact]
    public async Task A_languages_row_whose_first_language_repeats_a_plain_row_is_a_duplicate()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Language, "en"));
        var copy = core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));

        var results = await SubmitAsync();

        Assert.Equal("Same inputs as row 1; change a cell to make a separate video.", results[1].Error);
        Assert.Equal(JobStatus.Invalid, core.Sheet.Cell(copy, SheetContract.Status));
        Assert.Single(await JobsAsync());
    }

    // Shared trends and analysis

    [Fact]
    public async Task The_further_languages_start_with_the_first_jobs_script_and_reuse_its_trends_and_analysis_without_running_them()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));
        var intake = Assert.Single(await SubmitAsync());
        var runner = WrappedRunner();
        core.Stages[StageName.Trends].Work = (context, _) =>
        {
            using var output = JsonDocument.Parse($$"""{"videos":3,"language":"{{context.Request.Language}}"}""");
            return Task.FromResult(new StageResult(StageResultKind.Completed, output.RootElement.Clone(), [], "3 trending videos"));
        };
        var main = await core.JobAsync(intake.JobId!.Value);
        var es = await core.JobAsync(intake.LanguageJobIds![0]);

        Assert.IsType<StageOutcome.Completed>(await RunAsync(runner, main, StageName.Trends));
        Assert.IsType<StageOutcome.Completed>(await RunAsync(runner, main, StageName.Analysis));
        Assert.DoesNotContain(core.Enqueued(StageName.Trends), m => m.JobId == es.Id);
        Assert.IsType<StageOutcome.Completed>(await RunAsync(runner, main, StageName.Script));
        Assert.Contains(new StageMessage(es.Id, 1), core.Enqueued(StageName.Trends));

        Assert.IsType<StageOutcome.Completed>(await RunAsync(runner, es, StageName.Trends));
        Assert.IsType<StageOutcome.Completed>(await RunAsync(runner, es, StageName.Analysis));
        Assert.IsType<StageOutcome.Completed>(await RunAsync(runner, es, StageName.Script));

        Assert.Equal((1, 1, 2), (core.Stages[StageName.Trends].Runs, core.Stages[StageName.Analysis].Runs, core.Stages[StageName.Script].Runs));
        foreach (var stage in new[] { StageName.Trends, StageName.Analysis })
        {
            var shared = await core.RunOfAsync(es.Id, stage);
            Assert.Equal(JsonSerializer.Serialize((await core.RunOfAsync(main.Id, stage)).Output), JsonSerializer.Serialize(shared.Output));
            Assert.Contains(await core.EventsAsync(es.Id), e => e.Kind == "completed" && e.Stage == stage
                && e.Message == $"the en job {main.Id}'s {stage.Wire()} output, shared by the row's languages (not run again)");
        }
        Assert.Equal("{\"videos\":3,\"language\":\"en\"}", JsonSerializer.Serialize((await core.RunOfAsync(es.Id, StageName.Trends)).Output));
        // The es job writes its own cells into the first job's row.
        Assert.Equal((JobStatus.ForStage(StageName.Visuals), es.Id.ToString()), (core.Sheet.Cell(row, "Status (es)"), core.Sheet.Cell(row, "Job ID (es)")));
        Assert.Equal(JobStatus.ForStage(StageName.Visuals), core.Sheet.Cell(row, SheetContract.Status));
    }

    [Fact]
    public async Task A_further_language_run_before_the_first_jobs_output_waits_for_it_without_running_the_stage()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));
        var intake = Assert.Single(await SubmitAsync());
        var es = await core.JobAsync(intake.LanguageJobIds![0]);

        var outcome = await RunAsync(WrappedRunner(), es, StageName.Trends);

        var waiting = Assert.IsType<StageOutcome.Deferred>(outcome);
        Assert.Equal(core.Time.GetUtcNow() + LanguageVariantStage.WaitForMainJob, waiting.Until);
        Assert.Contains($"waiting for the en job {intake.JobId}'s trends, which this es job shares", waiting.Detail, StringComparison.Ordinal);
        Assert.Equal(0, core.Stages[StageName.Trends].Runs);
    }

    [Fact]
    public async Task A_further_language_whose_first_job_ended_without_trends_runs_its_own_and_intake_starts_it()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));
        var intake = Assert.Single(await SubmitAsync());
        await core.Compensator.RunAsync(intake.JobId!.Value, JobStatus.Failed, "trends: quota", CancellationToken.None);

        await SubmitAsync();
        var es = await core.JobAsync(intake.LanguageJobIds![0]);
        Assert.Contains(new StageMessage(es.Id, 1), core.Enqueued(StageName.Trends));
        Assert.IsType<StageOutcome.Completed>(await RunAsync(WrappedRunner(), es, StageName.Trends));

        Assert.Equal(1, core.Stages[StageName.Trends].Runs);
        Assert.Contains(await core.EventsAsync(es.Id), e => e.Kind == "completed" && e.Stage == StageName.Trends
            && e.Message.EndsWith($"(run for this language alone: the en job {intake.JobId} ended (failed) without it)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_further_languages_status_write_goes_to_its_own_columns_of_the_first_jobs_row()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Houseplant care"), (SheetContract.Languages, "en, es"));
        var intake = Assert.Single(await SubmitAsync());
        var es = intake.LanguageJobIds![0];
        await core.Store.FinishAsync(es, JobStatus.Failed, "voice: no Spanish voice", CancellationToken.None);
        var writer = new SheetStatusWriter(core.Store, core.Blobs, core.Sheets, core.Time, NullLogger<SheetStatusWriter>.Instance);

        await writer.SyncAsync(es, CancellationToken.None);

        var write = Assert.Single(core.Sheet.Writes[^1]);
        Assert.Equal(intake.JobId.ToString(), write.Row.JobId);
        Assert.Equal(["Error (es)", "Job ID (es)", "Status (es)", "Updated", "Video (es)"], write.Outputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((JobStatus.Failed, "voice: no Spanish voice"), (core.Sheet.Cell(row, "Status (es)"), core.Sheet.Cell(row, "Error (es)")));
        Assert.Equal((JobStatus.Queued, ""), (core.Sheet.Cell(row, SheetContract.Status), core.Sheet.Cell(row, SheetContract.Error)));
    }

    // The contract's per-language columns

    [Theory]
    [InlineData("Status (es)", "Status (es)")]
    [InlineData("  job id (PT-br) ", "Job ID (pt-BR)")]
    [InlineData("VIDEO(zh-hant-tw)", "Video (zh-Hant-TW)")]
    [InlineData("Error (es)", "Error (es)")]
    [InlineData("Stage (es)", null)]
    [InlineData("Status (not a tag)", null)]
    [InlineData("Status es", null)]
    public void Per_language_output_columns_are_recognised_in_canonical_form(string header, string? canonical)
    {
        Assert.Equal(canonical, SheetContract.Canonical(header));
        Assert.Equal(canonical is not null, canonical is not null && SheetContract.IsOutput(canonical));
    }

    [Fact]
    public void A_layout_adds_a_languages_missing_columns_together_after_the_contracts()
    {
        var layout = SheetLayout.FromHeader(["Topic", "Languages", .. SheetContract.OutputColumns, "Status (es)"], "test");
        string[] written = ["Job ID (pt-BR)", "Status (es)", "Video (es)"];

        Assert.False(layout.HasColumnsFor(written));
        // A row one cell wider than the header: the new columns start right of it.
        var w = 2 + SheetContract.OutputColumns.Count + 2;
        var added = layout.AddMissingOutputColumns(w, written);

        // Language by language in the order the write names them, each in the contract's order.
        Assert.Equal([(w, "Job ID (pt-BR)"), (w + 1, "Status (pt-BR)"), (w + 2, "Video (pt-BR)"), (w + 3, "Error (pt-BR)"), (w + 4, "Job ID (es)"), (w + 5, "Video (es)"), (w + 6, "Error (es)")], added);
        Assert.True(layout.HasColumnsFor(written));
        Assert.Equal(w - 2, layout.IndexOf("Status (es)"));
    }
}
