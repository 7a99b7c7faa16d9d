using ViralForge.Core.Jobs;

namespace ViralForge.Cli;

/// <summary>One valid row's job as the database recorded it at the end of a load run.</summary>
/// <param name="SubmittedAt">jobs.created_at: the moment intake made the job.</param>
/// <param name="EndedAt">When the job reached its terminal status (its terminal event), or null while it has not.</param>
public sealed record LoadJob(int RowNumber, string Topic, Guid JobId, string Status, string? Stage, string? Error,
    DateTimeOffset SubmittedAt, DateTimeOffset? EndedAt)
{
    public bool IsTerminal => JobStatus.IsTerminal(Status);
}

/// <summary>A row intake refused, with its reasons.</summary>
public sealed record LoadInvalidRow(int RowNumber, string Topic, string Error);

/// <summary>One local queue task as the tasks table holds it.</summary>
public sealed record LoadTask(string Queue, string Name, string State, int DispatchCount, string? LastError);

/// <summary>The retried tasks of one queue: how many, how many dispatches beyond the first, and their last errors.</summary>
public sealed record QueueRetries(string Queue, int Tasks, int ExtraDispatches, IReadOnlyList<string> LastErrors);

/// <summary>Peaks sampled while the run went on, in bytes; 0 where the figure could not be read (no /proc).</summary>
/// <param name="Process">This process's peak working set (VmHWM).</param>
/// <param name="Children">The largest sum of the RSS of this process's descendants (the ffmpeg runs) in one sample.</param>
/// <param name="MachineUsed">The largest MemTotal - MemAvailable seen.</param>
public sealed record MemoryPeaks(long Process, long Children, long MachineUsed, long MachineTotal);

/// <summary>
/// The figures `vf bench load` prints, computed only from what the run recorded (jobs, their terminal events, the
/// queue's tasks, the memory samples), so the same function is tested with handmade records.
/// </summary>
public sealed class LoadReport
{
    private LoadReport(IReadOnlyList<LoadJob> jobs, IReadOnlyList<LoadInvalidRow> invalid, IReadOnlyList<LoadTask> tasks, TimeSpan wall, MemoryPeaks memory)
    {
        Jobs = jobs;
        Invalid = invalid;
        Wall = wall;
        Memory = memory;
        Published = [.. jobs.Where(j => j.Status == JobStatus.Published)];
        Failed = [.. jobs.Where(j => j.Status == JobStatus.Failed)];
        OtherEnded = [.. jobs.Where(j => j.IsTerminal && j.Status is not (JobStatus.Published or JobStatus.Failed))];
        NonTerminal = [.. jobs.Where(j => !j.IsTerminal)];
        RowTimes = [.. Published.Where(j => j.EndedAt is not null).Select(j => j.EndedAt!.Value - j.SubmittedAt).Order()];

        var ended = jobs.Where(j => j.EndedAt is not null).ToList();
        if (Published.Count > 0 && ended.Count > 0)
        {
            Span = ended.Max(j => j.EndedAt!.Value) - jobs.Min(j => j.SubmittedAt);
        }
        Retries = [.. tasks.Where(t => t.DispatchCount > 1)
            .GroupBy(t => t.Queue, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new QueueRetries(g.Key, g.Count(), g.Sum(t => t.DispatchCount - 1),
                [.. g.Select(t => t.LastError).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))];
    }

    public IReadOnlyList<LoadJob> Jobs { get; }

    public IReadOnlyList<LoadInvalidRow> Invalid { get; }

    public IReadOnlyList<LoadJob> Published { get; }

    public IReadOnlyList<LoadJob> Failed { get; }

    /// <summary>Rejected or cancelled: ended, but neither published nor failed.</summary>
    public IReadOnlyList<LoadJob> OtherEnded { get; }

    public IReadOnlyList<LoadJob> NonTerminal { get; }

    /// <summary>Submitted to published, per published row, shortest first.</summary>
    public IReadOnlyList<TimeSpan> RowTimes { get; }

    /// <summary>From the first job submitted to the last one ended: the time the pipeline itself took.</summary>
    public TimeSpan? Span { get; }

    /// <summary>The whole command, start-up and report included.</summary>
    public TimeSpan Wall { get; }

    public MemoryPeaks Memory { get; }

    /// <summary>Per queue, the tasks dispatched more than once.</summary>
    public IReadOnlyList<QueueRetries> Retries { get; }

    public int SheetRows => Jobs.Count + Invalid.Count;

    public int RetriedTasks => Retries.Sum(r => r.Tasks);

    public TimeSpan? P50 => Percentile(RowTimes, 0.50);

    public TimeSpan? P95 => Percentile(RowTimes, 0.95);

    /// <summary>Published rows per hour of <see cref="Span"/>; null when nothing was published.</summary>
    public double? RowsPerHour => Span is { Ticks: > 0 } span ? Published.Count / span.TotalHours : null;

    /// <summary>Every valid row published and none left moving: what the acceptance asks.</summary>
    public bool AllPublished => NonTerminal.Count == 0 && Published.Count == Jobs.Count;

    public static LoadReport Build(IReadOnlyList<LoadJob> jobs, IReadOnlyList<LoadInvalidRow> invalid, IReadOnlyList<LoadTask> tasks, TimeSpan wall, MemoryPeaks memory)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(invalid);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(memory);
        return new LoadReport(jobs, invalid, tasks, wall, memory);
    }

    /// <summary>Nearest rank (the smallest value with at least p of the values at or below it), as the other benches use.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
