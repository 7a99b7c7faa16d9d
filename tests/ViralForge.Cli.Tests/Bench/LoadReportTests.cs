namespace ViralForge.Cli.Tests.Bench;

/// <summary>The figures of `vf bench load` from handmade records: percentiles, rows per hour, retries, what counts as stuck.</summary>
public sealed class LoadReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private static readonly MemoryPeaks NoMemory = new(0, 0, 0, 0);

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_published_rows()
    {
        // Twenty rows taking 1..20 minutes, submitted together.
        var jobs = Enumerable.Range(1, 20).Select(i => Job(i, "published", Start, Start.AddMinutes(i))).ToList();

        var report = LoadReport.Build(jobs, [], [], TimeSpan.FromMinutes(21), NoMemory);

        Assert.Equal(TimeSpan.FromMinutes(10), report.P50);
        Assert.Equal(TimeSpan.FromMinutes(19), report.P95);
        Assert.Equal(20, report.RowTimes.Count);
    }

    [Fact]
    public void Rows_per_hour_count_published_rows_over_first_submitted_to_last_ended()
    {
        // Three published within 10 minutes of the first submission, one failed that ended earlier: 3 rows / (1/6 h) = 18.
        LoadJob[] jobs =
        [
            Job(1, "published", Start, Start.AddMinutes(4)),
            Job(2, "published", Start.AddMinutes(1), Start.AddMinutes(7)),
            Job(3, "failed", Start.AddMinutes(1), Start.AddMinutes(2)),
            Job(4, "published", Start.AddMinutes(2), Start.AddMinutes(10)),
        ];

        var report = LoadReport.Build(jobs, [], [], TimeSpan.FromMinutes(11), NoMemory);

        Assert.Equal(TimeSpan.FromMinutes(10), report.Span);
        Assert.Equal(18, report.RowsPerHour!.Value, precision: 6);
        // Only published rows have a time per row: 4, 6 and 8 minutes.
        Assert.Equal([TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(8)], report.RowTimes);
        Assert.Equal(TimeSpan.FromMinutes(6), report.P50);
        Assert.Equal(TimeSpan.FromMinutes(8), report.P95);
        Assert.Equal(3, Assert.Single(report.Failed).RowNumber);
        Assert.False(report.AllPublished);
    }

    [Fact]
    public void Retries_are_tasks_dispatched_more_than_once_grouped_by_queue_with_their_last_errors()
    {
        LoadTask[] tasks =
        [
            new("vf-render", "a", "succeeded", 3, "no answer within the dispatch deadline"),
            new("vf-render", "b", "succeeded", 2, "no answer within the dispatch deadline"),
            new("vf-render", "c", "succeeded", 1, null),
            new("vf-voice", "d", "dead", 5, "503 Service Unavailable"),
            new("vf-script", "e", "succeeded", 1, "an error from a first attempt that needed no retry"),
        ];

        var report = LoadReport.Build([], [], tasks, TimeSpan.FromMinutes(1), NoMemory);

        Assert.Equal(3, report.RetriedTasks);
        Assert.Collection(report.Retries,
            render =>
            {
                Assert.Equal("vf-render", render.Queue);
                Assert.Equal(2, render.Tasks);
                Assert.Equal(3, render.ExtraDispatches);
                Assert.Equal(["no answer within the dispatch deadline"], render.LastErrors);
            },
            voice =>
            {
                Assert.Equal("vf-voice", voice.Queue);
                Assert.Equal(4, voice.ExtraDispatches);
            });
    }

    [Fact]
    public void A_job_still_moving_is_non_terminal_and_rows_per_hour_is_absent_without_a_published_row()
    {
        LoadJob[] jobs = [Job(2, "render", Start, null), Job(3, "cancelled", Start, Start.AddMinutes(1))];
        LoadInvalidRow[] invalid = [new(4, "", "Topic is required")];

        var report = LoadReport.Build(jobs, invalid, [], TimeSpan.FromMinutes(5), NoMemory);

        Assert.Equal(2, Assert.Single(report.NonTerminal).RowNumber);
        Assert.Equal(3, Assert.Single(report.OtherEnded).RowNumber);
        Assert.Equal(3, report.SheetRows);
        Assert.Null(report.RowsPerHour);
        Assert.Null(report.P50);
        Assert.Empty(report.RowTimes);
        Assert.False(report.AllPublished);
    }

    [Fact]
    public void Every_valid_row_published_and_none_moving_is_all_published()
    {
        var report = LoadReport.Build([Job(1, "published", Start, Start.AddSeconds(90))], [new(2, "x", "Duration 5000 is over 90 seconds")], [],
            TimeSpan.FromMinutes(2), NoMemory);

        Assert.True(report.AllPublished);
        Assert.Equal(TimeSpan.FromSeconds(90), report.P50);
        Assert.Equal(TimeSpan.FromSeconds(90), report.P95);
        Assert.Equal(40, report.RowsPerHour!.Value, precision: 6);
    }

    private static LoadJob Job(int row, string status, DateTimeOffset submitted, DateTimeOffset? ended) =>
        new(row, $"topic {row}", Guid.NewGuid(), status, null, status == "failed" ? "render gave up" : null, submitted, ended);
}
