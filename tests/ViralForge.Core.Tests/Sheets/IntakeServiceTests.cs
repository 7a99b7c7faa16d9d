using ViralForge.Core.Jobs;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Sheets;

public sealed class IntakeServiceTests
{
    private readonly CoreHarness core = new();

    private Task<IReadOnlyList<IntakeRow>> SubmitAsync() => core.Intake.SubmitAsync(core.Sheet, CancellationToken.None);

    /// <summary>A row submitted, its job run through <paramref name="last"/>, then its topic edited.</summary>
    private async Task<(int Row, Guid OldJob)> SubmitRunAndEditAsync(StageName last)
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        var old = Assert.Single(await SubmitAsync()).JobId!.Value;
        await core.RunThroughAsync(await core.JobAsync(old), last);
        core.Sheet.Edit(row, SheetContract.Topic, "Cats and boxes");
        return (row, old);
    }

    private async Task<Job> OnlyJobAsync() => Assert.Single(await core.Store.ListBySheetAsync(CoreHarness.SheetId, CancellationToken.None));

    [Fact]
    public async Task A_valid_row_becomes_a_queued_job_with_its_request_and_a_trends_task()
    {
        core.Sheet.AddRow((SheetContract.Topic, "  Three tips for sourdough  "), (SheetContract.Duration, "45"), (SheetContract.Platform, "tiktok"));

        var result = Assert.Single(await SubmitAsync());

        var job = await OnlyJobAsync();
        Assert.Equal(new IntakeRow(1, "Three tips for sourdough", job.Id, true, null), result);
        Assert.Equal((JobStatus.Queued, 1, "Three tips for sourdough", 45, Platforms.TikTok), (job.Status, job.Generation, job.Request.Topic, job.Request.DurationSeconds, job.Request.Platforms));
        Assert.Equal(new StageMessage(job.Id, 1), Assert.Single(core.Enqueued(StageName.Trends)));
        Assert.Contains(await core.EventsAsync(job.Id), e => e is { Kind: "submitted", Message: "row 1 of memory:ideas" });
    }

    [Fact]
    public async Task A_new_job_gets_its_id_and_status_written_into_its_row()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Three tips for sourdough"));

        await SubmitAsync();

        var job = await OnlyJobAsync();
        Assert.Equal(job.Id.ToString(), core.Sheet.Cell(row, SheetContract.JobId));
        Assert.Equal(JobStatus.Queued, core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("", core.Sheet.Cell(row, SheetContract.Error));
        Assert.Equal("2025-06-01T09:00:00Z", core.Sheet.Cell(row, SheetContract.Updated));
    }

    [Fact]
    public async Task An_invalid_row_gets_status_invalid_and_its_reason_while_the_other_rows_go_on()
    {
        var bad = core.Sheet.AddRow((SheetContract.Topic, "Sourdough"), (SheetContract.Duration, "500"));
        var good = core.Sheet.AddRow((SheetContract.Topic, "Cats"));

        var results = await SubmitAsync();

        Assert.Equal(2, results.Count);
        Assert.Null(results[0].JobId);
        Assert.False(string.IsNullOrEmpty(results[0].Error));
        Assert.Equal(JobStatus.Invalid, core.Sheet.Cell(bad, SheetContract.Status));
        Assert.Equal(results[0].Error, core.Sheet.Cell(bad, SheetContract.Error));
        Assert.Equal("", core.Sheet.Cell(bad, SheetContract.JobId));
        var job = await OnlyJobAsync();
        Assert.Equal(("Cats", job.Id), (job.Request.Topic, results[1].JobId));
        Assert.Equal(JobStatus.Queued, core.Sheet.Cell(good, SheetContract.Status));
        Assert.Single(core.Queue.Tasks);
    }

    [Fact]
    public async Task A_row_without_a_topic_is_invalid()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, ""), (SheetContract.Notes, "remember the intro"));

        var result = Assert.Single(await SubmitAsync());

        Assert.Null(result.JobId);
        Assert.Contains(SheetContract.Topic, result.Error, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Invalid, core.Sheet.Cell(row, SheetContract.Status));
    }

    [Fact]
    public async Task Blank_rows_are_spacing_and_are_skipped()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        var blank = core.Sheet.AddRow((SheetContract.Topic, "   "));
        core.Sheet.AddRow((SheetContract.Topic, "Dogs"));

        var results = await SubmitAsync();

        Assert.Equal([1, 3], results.Select(r => r.RowNumber));
        Assert.Equal("", core.Sheet.Cell(blank, SheetContract.Status));
    }

    [Fact]
    public async Task A_second_row_with_the_same_inputs_is_reported_as_a_duplicate()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        var copy = core.Sheet.AddRow((SheetContract.Topic, " Cats "));

        var results = await SubmitAsync();

        var job = await OnlyJobAsync();
        Assert.Equal(job.Id, results[0].JobId);
        Assert.Equal(new IntakeRow(2, "Cats", null, false, "Same inputs as row 1; change a cell to make a separate video."), results[1]);
        Assert.Equal(JobStatus.Invalid, core.Sheet.Cell(copy, SheetContract.Status));
        Assert.Single(core.Queue.Tasks);
    }

    [Fact]
    public async Task An_unchanged_row_submitted_again_finds_its_job()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        var first = Assert.Single(await SubmitAsync());

        var again = Assert.Single(await SubmitAsync());

        Assert.Equal(new IntakeRow(1, "Cats", first.JobId, false, null), again);
        Assert.Equal(first.JobId.ToString(), core.Sheet.Cell(row, SheetContract.JobId));
        await OnlyJobAsync();
        Assert.Single(core.Queue.Tasks);
        Assert.Equal(2, core.Queue.Calls);
        Assert.Single(await core.EventsAsync(first.JobId!.Value), e => e.Kind == "submitted");
    }

    [Fact]
    public async Task An_unfinished_job_submitted_again_is_enqueued_where_it_stands()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        await SubmitAsync();
        var job = await OnlyJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        await core.Store.BumpGenerationAsync(job.Id, 1, CancellationToken.None);
        await core.Store.SetStatusAsync(job.Id, JobStatus.ForStage(StageName.Voice), StageName.Voice, CancellationToken.None);

        await SubmitAsync();

        Assert.Contains(new StageMessage(job.Id, 2), core.Enqueued(StageName.Voice));
    }

    [Fact]
    public async Task An_ended_job_submitted_again_is_not_enqueued()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        await SubmitAsync();
        var job = await OnlyJobAsync();
        await core.Store.FinishAsync(job.Id, JobStatus.Published, null, CancellationToken.None);
        var calls = core.Queue.Calls;

        var again = Assert.Single(await SubmitAsync());

        Assert.Equal(job.Id, again.JobId);
        Assert.Equal(calls, core.Queue.Calls);
    }

    [Fact]
    public async Task A_job_waiting_for_a_reviewer_is_not_enqueued_again()
    {
        core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        await SubmitAsync();
        var job = await OnlyJobAsync();
        core.Stages[StageName.Review].Work = (_, _) => Task.FromResult(StageResult.AwaitingApproval("posted"));
        await core.RunAsync(job, StageName.Review);
        var calls = core.Queue.Calls;

        await SubmitAsync();

        Assert.Equal(calls, core.Queue.Calls);
        Assert.Empty(core.Enqueued(StageName.Review));
    }

    [Fact]
    public async Task An_edited_row_makes_a_new_job_and_cancels_the_old_one()
    {
        var (row, old) = await SubmitRunAndEditAsync(StageName.Analysis);

        var result = Assert.Single(await SubmitAsync());

        Assert.True(result.Created);
        Assert.NotEqual(old, result.JobId);
        var cancelled = await core.JobAsync(old);
        Assert.Equal((JobStatus.Cancelled, $"row 1 was edited; replaced by job {result.JobId}"), (cancelled.Status, cancelled.Error));
        Assert.Equal([(StageName.Analysis, 1), (StageName.Trends, 1)], core.Compensations);
        Assert.Equal(result.JobId.ToString(), core.Sheet.Cell(row, SheetContract.JobId));
        Assert.Equal(JobStatus.Queued, core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal(new StageMessage(result.JobId!.Value, 1), core.Enqueued(StageName.Trends)[^1]);
    }

    [Fact]
    public async Task An_edited_row_whose_job_already_ended_leaves_that_job_as_it_is()
    {
        var (row, old) = await SubmitRunAndEditAsync(StageName.Publish);

        var result = Assert.Single(await SubmitAsync());

        Assert.True(result.Created);
        Assert.Equal(JobStatus.Published, (await core.JobAsync(old)).Status);
        Assert.Empty(core.Compensations);
    }

    [Fact]
    public async Task A_job_id_of_another_sheet_is_not_cancelled()
    {
        var foreign = (await core.Store.SubmitAsync("memory:someone-else", "h", CoreHarness.Request(), CancellationToken.None)).Job;
        core.Sheet.AddRow((SheetContract.Topic, "Cats"), (SheetContract.JobId, foreign.Id.ToString()));

        var result = Assert.Single(await SubmitAsync());

        Assert.True(result.Created);
        Assert.Equal(JobStatus.Queued, (await core.JobAsync(foreign.Id)).Status);
    }

    [Fact]
    public async Task An_unknown_job_id_in_the_row_cancels_nothing_and_the_row_gets_a_job()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Cats"), (SheetContract.JobId, Guid.NewGuid().ToString()));

        var result = Assert.Single(await SubmitAsync());

        Assert.True(result.Created);
        Assert.Empty(core.Compensations);
        Assert.Equal(result.JobId.ToString(), core.Sheet.Cell(row, SheetContract.JobId));
    }

    [Fact]
    public async Task An_invalid_row_that_has_a_job_id_is_found_by_it()
    {
        var row = core.Sheet.AddRow((SheetContract.Topic, "Cats"));
        await SubmitAsync();
        core.Sheet.Edit(row, SheetContract.Duration, "-3");

        var result = Assert.Single(await SubmitAsync());

        Assert.Null(result.JobId);
        var write = Assert.Single(core.Sheet.Writes[^1]);
        Assert.Equal(core.Sheet.Cell(row, SheetContract.JobId), write.Row.JobId);
        Assert.Equal(JobStatus.Invalid, core.Sheet.Cell(row, SheetContract.Status));
    }

    [Fact]
    public async Task Submitting_rows_without_the_sheet_does_not_write_the_sheet()
    {
        var rows = new[] { new SheetRow(1, new Dictionary<string, string> { [SheetContract.Topic] = "Cats" }) };

        var result = Assert.Single(await core.Intake.SubmitRowsAsync("gsheet:abc/Ideas", rows, CancellationToken.None));

        Assert.True(result.Created);
        Assert.Equal("gsheet:abc/Ideas", result.Job!.SheetId);
        Assert.Equal(RowHasher.Hash(rows[0]), result.Hash);
        Assert.Empty(core.Sheets.Get("gsheet:abc/Ideas").Writes);
    }

    [Fact]
    public async Task Submitting_rows_needs_a_sheet_id()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => core.Intake.SubmitRowsAsync(" ", [], CancellationToken.None));
    }
}
