using ViralForge.Core.Jobs;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Sheets;

/// <summary>A job that does less than its row asks says so in the row's Error cell and its events, and still publishes.</summary>
public sealed class RowNotesTests
{
    private const string Note = "the offline script writer writes English only; Language=es was not honoured";

    [Fact]
    public async Task A_note_reaches_the_error_cell_once_without_failing_the_row()
    {
        var harness = new CoreHarness();
        var (job, row) = await harness.NewJobAsync();
        harness.Stages[StageName.Script].Work = async (context, cancellationToken) =>
        {
            // Twice, as a redelivered attempt would record it again.
            await context.NoteAsync([Note], cancellationToken);
            await context.NoteAsync([Note], cancellationToken);
            return ScriptedStage.Output(context.Stage, "script done");
        };

        await harness.RunThroughAsync(job, StageName.Publish);

        Assert.Equal(JobStatus.Published, (await harness.JobAsync(job.Id)).Status);
        Assert.Equal(JobStatus.Published, harness.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal($"note: {Note}", harness.Sheet.Cell(row, SheetContract.Error));
        Assert.Contains(await harness.EventsAsync(job.Id), e => e.Kind == StageContext.NoteEventKind && e.Stage == StageName.Script && e.Message == Note);
    }

    [Fact]
    public async Task A_failed_row_keeps_its_error_first_and_the_note_after_it()
    {
        var harness = new CoreHarness();
        var (job, row) = await harness.NewJobAsync();
        harness.Stages[StageName.Script].Work = async (context, cancellationToken) =>
        {
            await context.NoteAsync([Note], cancellationToken);
            return ScriptedStage.Output(context.Stage, "script done");
        };
        harness.Stages[StageName.Visuals].Work = (_, _) => throw new PermanentStageException("no visuals today");

        await harness.RunThroughAsync(job, StageName.Script);
        await harness.RunAsync(job, StageName.Visuals);

        Assert.Equal(JobStatus.Failed, harness.Sheet.Cell(row, SheetContract.Status));
        var error = harness.Sheet.Cell(row, SheetContract.Error);
        Assert.StartsWith("no visuals today", error, StringComparison.Ordinal);
        Assert.EndsWith($"; note: {Note}", error, StringComparison.Ordinal);
    }
}
