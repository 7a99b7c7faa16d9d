using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Tests.Stages;

/// <summary>
/// Percent done inside long stages: ffmpeg's output time over the video's length, an upload's share sent, written to the
/// store and the row's Stage cell ("render 45%") with the sheet written at most once per 10 s per row.
/// </summary>
public sealed class StageProgressPercentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Output_time_over_the_expected_length_is_a_whole_percent_that_never_goes_back()
    {
        var seen = new List<int>();
        using var progress = new StageProgress(new FakeTimeProvider(), seen.Add);
        progress.Expect(TimeSpan.FromSeconds(30));

        progress.Report(TimeSpan.FromSeconds(13.5));
        progress.Report(TimeSpan.FromSeconds(13.6)); // still 45 %: not passed on again
        progress.Report(TimeSpan.FromSeconds(3));    // ffmpeg's second pass starts over: the bar does not jump back
        progress.Report(TimeSpan.FromSeconds(45));   // past the planned length (a tail): 100, not 150

        Assert.Equal([45, 100], seen);
        Assert.Equal(100, progress.Percent);
    }

    [Fact]
    public void Without_an_expected_length_output_times_only_feed_the_stall_watch()
    {
        var seen = new List<int>();
        using var progress = new StageProgress(new FakeTimeProvider(), seen.Add);

        progress.Report(TimeSpan.FromSeconds(10));

        Assert.Empty(seen);
        Assert.Null(progress.Percent);
    }

    [Fact]
    public void An_uploads_share_is_reported_as_a_percent()
    {
        var seen = new List<int>();
        using var progress = new StageProgress(new FakeTimeProvider(), seen.Add);
        IProgress<double> upload = progress;

        upload.Report(0.404);
        upload.Report(double.NaN);
        upload.Report(0.999);

        Assert.Equal([40, 99], seen);
    }

    [Fact]
    public async Task The_reporter_writes_the_store_every_2_s_and_the_sheet_at_most_once_per_10_s()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var stored = new List<(TimeSpan At, int Percent)>();
        var shown = new List<TimeSpan>();
        var start = time.GetUtcNow();
        await using var reporter = new ProgressReporter(
            Guid.NewGuid(),
            (percent, _) => { stored.Add((time.GetUtcNow() - start, percent)); return Task.CompletedTask; },
            _ => { shown.Add(time.GetUtcNow() - start); return Task.CompletedTask; },
            time,
            TimeSpan.FromSeconds(2),
            TimeSpan.FromSeconds(10),
            NullLogger.Instance);

        // ffmpeg reports twice a second for 25 s.
        for (var tick = 0; tick <= 50; tick++)
        {
            reporter.Report(tick * 2);
            await reporter.WhenIdleAsync();
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], shown);
        Assert.Equal(13, stored.Count);
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(2), $"{pair}"));
        Assert.Equal((TimeSpan.FromSeconds(24), 96), stored[^1]);
    }

    [Fact]
    public async Task A_failing_write_is_forgotten_and_the_next_report_writes_again()
    {
        var time = new FakeTimeProvider();
        var stored = new List<int>();
        await using var reporter = new ProgressReporter(
            Guid.NewGuid(),
            (percent, _) => percent == 10 ? throw new IOException("database away") : Task.Run(() => stored.Add(percent)),
            _ => Task.CompletedTask,
            time,
            TimeSpan.FromSeconds(2),
            TimeSpan.FromSeconds(10),
            NullLogger.Instance);

        reporter.Report(10);
        await reporter.WhenIdleAsync();
        time.Advance(TimeSpan.FromSeconds(2));
        reporter.Report(20);
        await reporter.WhenIdleAsync();

        Assert.Equal([20], stored);
    }

    [Fact]
    public async Task A_rendering_row_shows_its_percent_in_the_stage_cell_written_at_most_once_per_10_s()
    {
        var core = new CoreHarness();
        var (job, row) = await core.NewJobAsync();
        var stageCells = new List<string>();
        core.Stages[StageName.Render].Work = async (context, ct) =>
        {
            context.Progress.Expect(TimeSpan.FromSeconds(100));
            for (var second = 0; second < 30; second++)
            {
                // ffmpeg at 3 s of output per second of wall time; the store takes a write every 2 s (every other report).
                context.Progress.Report(TimeSpan.FromSeconds(3 * (second + 1)));
                if (second % 2 == 0)
                {
                    var expected = 3 * (second + 1);
                    await WaitUntilAsync(async () => await core.Store.GetStageProgressAsync(job.Id, StageName.Render, 1, ct) == expected
                        && (second % 10 != 0 || core.Sheet.Cell(row, SheetContract.Stage) == $"render {expected}%"),
                        () => $"second {second}: store {core.Store.GetStageProgressAsync(job.Id, StageName.Render, 1, ct).Result}, cell {core.Sheet.Cell(row, SheetContract.Stage)}");
                    await Task.Delay(20, ct); // the write's task ends just after its effect shows
                }
                stageCells.Add(core.Sheet.Cell(row, SheetContract.Stage));
                core.Time.Advance(TimeSpan.FromSeconds(1));
            }
            return StageResult.Completed(new RenderOutput(context.BlobKey("video.mp4"), 30, 1080, 1920, 1), "render done");
        };

        var outcome = await core.RunAsync(job, StageName.Render);
        Assert.True(outcome is StageOutcome.Completed, outcome.ToString());

        var progressWrites = core.Sheet.Writes.SelectMany(w => w).Select(w => w.Outputs.GetValueOrDefault(SheetContract.Stage))
            .Where(c => c is not null && c.Contains('%', StringComparison.Ordinal)).ToList();
        Assert.Equal(["render 3%", "render 33%", "render 63%"], progressWrites);
        Assert.Contains("render 33%", stageCells);
        // Done: the completion's sync replaces the percent with the next state, and the store keeps no percent for it.
        Assert.Equal(JobStatus.ForStage(StageName.Review), core.Sheet.Cell(row, SheetContract.Status));
        Assert.Equal("render", core.Sheet.Cell(row, SheetContract.Stage));
        Assert.Null(await core.Store.GetStageProgressAsync(job.Id, StageName.Render, 1, CancellationToken.None));
    }

    [Fact]
    public async Task An_upload_reports_its_share_through_the_publish_stage_as_publish_percent_in_the_row()
    {
        var core = new CoreHarness();
        var (job, row) = await core.NewJobAsync();
        core.Stages[StageName.Script].Work = (_, _) => Task.FromResult(StageResult.Completed(
            new Scripts.VideoScript("Desk stretches", "Hook.", [new Scripts.ScriptBeat("One.", "One")], "Follow.", "Five stretches.", ["desk"], 150, 20), "script done"));
        core.Stages[StageName.Render].Work = (context, _) =>
        {
            core.Blobs.Put(context.BlobKey("video.mp4"), [1, 2, 3]);
            return Task.FromResult(StageResult.Completed(new RenderOutput(context.BlobKey("video.mp4"), 20, 1080, 1920, 3), "render done"));
        };
        var stageCells = new List<string>();
        var publisher = new ReportingPublisher(async () =>
        {
            await WaitUntilAsync(() => Task.FromResult(core.Sheet.Cell(row, SheetContract.Stage) == "publish 40%"));
            stageCells.Add(core.Sheet.Cell(row, SheetContract.Stage));
        });
        core.Stages[StageName.Publish].Work = (context, ct) => new PublishStage(publisher).RunAsync(context, ct);

        await core.RunThroughAsync(job, StageName.Publish);

        Assert.Equal(["publish 40%"], stageCells);
        Assert.Equal("published", core.Sheet.Cell(row, SheetContract.Status));
    }

    /// <summary>An uploader that has sent 40 % when <c>midway</c> looks at the row, then finishes.</summary>
    private sealed class ReportingPublisher(Func<Task> midway) : IPublisher
    {
        public async Task<IReadOnlyList<PublishedVideo>> PublishAsync(PublishRequest request, CancellationToken cancellationToken, IProgress<double>? progress = null)
        {
            progress?.Report(0.4);
            await midway();
            progress?.Report(1);
            return [new PublishedVideo("youtube", "https://youtu.be/x", "x")];
        }

        public Task UnpublishAsync(Guid jobId, IReadOnlyList<PublishedVideo> videos, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string>? describe = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Patience, $"the condition never held: {describe?.Invoke()}");
            await Task.Delay(5);
        }
    }
}
