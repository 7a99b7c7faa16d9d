using ViralForge.Core.Jobs;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

public sealed class CompensatorTests
{
    private readonly CoreHarness core = new();

    [Fact]
    public async Task Finished_stages_are_undone_newest_first()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Voice);

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);

        Assert.Equal(
            [(StageName.Voice, 1), (StageName.Visuals, 1), (StageName.Script, 1), (StageName.Analysis, 1), (StageName.Trends, 1)],
            core.Compensations);
    }

    [Fact]
    public async Task A_newer_generations_runs_are_undone_before_the_older_ones()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        await core.Store.BumpGenerationAsync(job.Id, 1, CancellationToken.None);
        await core.RunAsync(job, StageName.Script, generation: 2);

        await core.Compensator.RunAsync(job.Id, JobStatus.Rejected, "no", CancellationToken.None);

        Assert.Equal([(StageName.Script, 2), (StageName.Script, 1), (StageName.Analysis, 1), (StageName.Trends, 1)], core.Compensations);
    }

    [Fact]
    public async Task Running_twice_gives_the_same_result_as_running_once()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Visuals);
        core.Blobs.Put(BlobKeys.For(job.Id, StageName.Visuals, 1, "beat-0.mp4"), [1]);

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);
        var once = (Job: await core.JobAsync(job.Id), Runs: await core.Store.ListStageRunsAsync(job.Id, CancellationToken.None),
            Events: await core.EventsAsync(job.Id), Compensations: core.Compensations.ToList(), Row: core.Sheet.Cell(row, SheetContract.Status));
        core.Time.Advance(TimeSpan.FromMinutes(1));
        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);

        Assert.Equal(once.Job, await core.JobAsync(job.Id));
        Assert.Equal(once.Runs, await core.Store.ListStageRunsAsync(job.Id, CancellationToken.None));
        Assert.Equal(once.Events, await core.EventsAsync(job.Id));
        Assert.Equal(once.Compensations, core.Compensations);
        Assert.Equal(once.Row, core.Sheet.Cell(row, SheetContract.Status));
        Assert.Empty(core.Blobs.Keys);
    }

    [Fact]
    public async Task The_first_terminal_status_and_reason_stand()
    {
        var (job, _) = await core.NewJobAsync();

        await core.Compensator.RunAsync(job.Id, JobStatus.Rejected, "rejected by ana: off brand", CancellationToken.None);
        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "a late failure", CancellationToken.None);

        var after = await core.JobAsync(job.Id);
        Assert.Equal((JobStatus.Rejected, "rejected by ana: off brand"), (after.Status, after.Error));
    }

    [Fact]
    public async Task The_job_is_terminal_before_any_compensation_runs()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Trends);
        string? statusSeen = null;
        core.Stages[StageName.Trends].OnCompensate = context => statusSeen = context.Job.Status;

        await core.Compensator.RunAsync(job.Id, JobStatus.Cancelled, "row edited", CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, statusSeen);
    }

    [Fact]
    public async Task Each_undone_stage_loses_its_blobs_and_is_marked_compensated()
    {
        var (job, _) = await core.NewJobAsync();
        core.Stages[StageName.Voice].Work = async (context, ct) =>
        {
            var path = context.LocalPath("narration.wav");
            await File.WriteAllBytesAsync(path, [7, 7, 7], ct);
            return ScriptedStage.Output(StageName.Voice, "spoken", new ProducedFile("narration", path, context.BlobKey("narration.wav"), 1));
        };
        await core.RunAsync(job, StageName.Voice);
        var compensationSawBlob = false;
        core.Stages[StageName.Voice].OnCompensate = context =>
            compensationSawBlob = core.Blobs.Keys.Contains(BlobKeys.For(job.Id, StageName.Voice, 1, "narration.wav"));

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);

        Assert.True(compensationSawBlob, "the stage's own compensation runs before its blobs are deleted");
        Assert.Empty(core.Blobs.Keys);
        var run = await core.RunOfAsync(job.Id, StageName.Voice);
        Assert.Equal(core.Time.GetUtcNow(), run.CompensatedAt);
        Assert.Contains(await core.EventsAsync(job.Id), e => e is { Kind: "compensated", Stage: StageName.Voice, Message: "undid voice (generation 1)" });
    }

    [Fact]
    public async Task Leftover_blobs_under_the_jobs_prefix_go_and_other_jobs_blobs_stay()
    {
        var (job, _) = await core.NewJobAsync("first");
        var (other, _) = await core.NewJobAsync("second");
        core.Blobs.Put(BlobKeys.For(job.Id, StageName.Render, 1, "half-written.mp4"), [1, 2]);
        var kept = BlobKeys.For(other.Id, StageName.Render, 1, "video.mp4");
        core.Blobs.Put(kept, [3]);

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);

        Assert.Equal([kept], core.Blobs.Keys);
    }

    [Fact]
    public async Task Runs_that_did_not_complete_are_not_undone()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Trends);
        core.Stages[StageName.Analysis].Work = (_, _) => throw new IOException("disk full");
        await core.RunAsync(job, StageName.Analysis);
        core.Stages[StageName.Review].Work = (_, _) => Task.FromResult(StageResult.AwaitingApproval("posted"));
        await core.RunAsync(job, StageName.Review);

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);

        Assert.Equal([(StageName.Trends, 1)], core.Compensations);
        Assert.Null((await core.RunOfAsync(job.Id, StageName.Analysis)).CompensatedAt);
    }

    [Fact]
    public async Task A_compensation_that_fails_is_finished_by_the_next_run()
    {
        var (job, _) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Script);
        var failures = 1;
        core.Stages[StageName.Analysis].OnCompensate = _ =>
        {
            if (failures-- > 0)
            {
                throw new HttpRequestException("the platform did not answer");
            }
        };

        await Assert.ThrowsAsync<HttpRequestException>(() => core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None));
        Assert.Equal([(StageName.Script, 1)], core.Compensations);
        Assert.Null((await core.RunOfAsync(job.Id, StageName.Analysis)).CompensatedAt);

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "gave up", CancellationToken.None);

        Assert.Equal([(StageName.Script, 1), (StageName.Analysis, 1), (StageName.Trends, 1)], core.Compensations);
    }

    [Fact]
    public async Task The_outcome_is_written_into_the_jobs_row()
    {
        var (job, row) = await core.NewJobAsync();

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "render: ffmpeg crashed (gave up after 5 attempts)", CancellationToken.None);

        Assert.Equal(JobStatus.Failed, core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("render: ffmpeg crashed (gave up after 5 attempts)", core.Sheet.Cell(row, SheetContract.Error));
        Assert.Equal(job.Id.ToString(), core.Sheet.Cell(row, SheetContract.JobId));
    }

    [Fact]
    public async Task An_undone_render_and_publish_leave_the_rows_links_empty()
    {
        var (job, row) = await core.NewJobAsync();
        await core.RunThroughAsync(job, StageName.Publish);
        Assert.NotEqual("", core.Sheet.Cell(row, SheetContract.PublishedUrl));

        await core.Compensator.RunAsync(job.Id, JobStatus.Failed, "taken down", CancellationToken.None);

        Assert.Equal(("", "", ""), (core.Sheet.Cell(row, SheetContract.Preview), core.Sheet.Cell(row, SheetContract.PublishedUrl), core.Sheet.Cell(row, SheetContract.Video)));
    }
}
