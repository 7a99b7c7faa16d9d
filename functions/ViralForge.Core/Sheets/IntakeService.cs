using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Sheets;

/// <summary>What intake did with one row.</summary>
public sealed record IntakeRow(int RowNumber, string Topic, Guid? JobId, bool Created, string? Error);

/// <summary>What intake did with one row, with what a caller needs to answer for it: the row, its hash, and the job as it stands (null when the row is invalid).</summary>
public sealed record RowIntake(SheetRow Row, string Hash, string Topic, Job? Job, bool Created, string? Error);

/// <summary>
/// Reads a sheet, validates every row, and makes (or finds) a job for each valid one. Invalid rows get
/// Status=invalid and their reasons in Error; the other rows go on. Running it again on an unchanged
/// sheet makes nothing new: it only re-enqueues unfinished jobs where they stand (named tasks make that
/// a no-op when their task is still queued).
/// </summary>
public sealed class IntakeService(IJobStore store, StageTasks tasks, SheetStatusWriter statusWriter, Compensator compensator, ILogger<IntakeService> log, RowDefaults? defaults = null)
{
    private readonly RowDefaults _defaults = defaults ?? RowDefaults.Builtin;

    public async Task<IReadOnlyList<IntakeRow>> SubmitAsync(ISheet sheet, CancellationToken cancellationToken)
    {
        var rows = await sheet.ReadRowsAsync(cancellationToken);
        var outcomes = await SubmitRowsAsync(sheet.Id, [.. rows.Where(r => !r.IsBlank)], cancellationToken);
        var writes = new List<RowWrite>();
        foreach (var outcome in outcomes)
        {
            var row = outcome.Row;
            writes.Add(outcome.Job is null
                ? new RowWrite(row.JobId is null ? RowLocator.ByPosition(row.RowNumber, outcome.Hash) : new RowLocator(row.JobId), Invalid(outcome.Error!))
                // The row is found by position here: its Job ID may not be written yet.
                : new RowWrite(RowLocator.ByPosition(row.RowNumber, outcome.Hash), await statusWriter.OutputsForAsync(outcome.Job, cancellationToken)));
        }
        if (writes.Count > 0)
        {
            await sheet.WriteAsync(writes, cancellationToken);
        }
        return [.. outcomes.Select(o => new IntakeRow(o.Row.RowNumber, o.Topic, o.Job?.Id, o.Created, o.Error))];
    }

    /// <summary>
    /// Validates and submits rows of one sheet, in order, without touching the sheet: the per-row half of
    /// <see cref="SubmitAsync"/>, which the add-on's POST /jobs shares. Each valid row's job is created or found (by
    /// <see cref="RowHasher"/>'s hash), moved on where it stands, and, when the row's Job ID names an earlier job
    /// of the same sheet that is still running, that job is cancelled; invalid rows and repeats of an earlier row in the same batch get their error instead.
    /// </summary>
    public async Task<IReadOnlyList<RowIntake>> SubmitRowsAsync(string sheetId, IReadOnlyList<SheetRow> rows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sheetId);
        ArgumentNullException.ThrowIfNull(rows);
        var results = new List<RowIntake>(rows.Count);
        var seen = new Dictionary<string, int>();
        foreach (var row in rows)
        {
            var hash = RowHasher.Hash(row);
            var topic = row.Get(SheetContract.Topic).Trim();
            var validation = RowValidator.Validate(row, _defaults);
            var error = validation.IsValid ? null : validation.Error;
            if (error is null && !seen.TryAdd(hash, row.RowNumber))
            {
                error = $"Same inputs as row {seen[hash]}; change a cell to make a separate video.";
            }
            if (error is not null)
            {
                results.Add(new RowIntake(row, hash, topic, null, false, error));
                continue;
            }

            var submission = await store.SubmitAsync(sheetId, hash, validation.Request!, cancellationToken);
            var job = submission.Job;
            if (submission.Created)
            {
                await store.AppendEventAsync(job.Id, "submitted", null, $"row {row.RowNumber} of {sheetId}", cancellationToken);
                log.RowBecameJob(row.RowNumber, job.Id);
            }
            if (Guid.TryParse(row.JobId, out var earlier) && earlier != job.Id)
            {
                await CancelReplacedAsync(sheetId, row.RowNumber, earlier, job.Id, cancellationToken);
            }
            if (!job.IsTerminal && !await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken))
            {
                await tasks.EnqueueAsync(job.Id, job.Stage ?? StageName.Trends, job.Generation, cancellationToken);
            }
            results.Add(new RowIntake(row, hash, topic, job, submission.Created, null));
        }
        return results;
    }

    /// <summary>
    /// The person edited the row's inputs: that is a new request, and the old job (named by the row's Job ID cell)
    /// must not publish. Only a job of this same sheet that is still running is cancelled: a Job ID pasted from
    /// another sheet names someone else's job, an unknown one names nothing, and an ended job has nothing left to stop
    /// (undoing a published video because its row was reused is not what an edit asks for).
    /// </summary>
    private async Task CancelReplacedAsync(string sheetId, int rowNumber, Guid earlier, Guid replacement, CancellationToken cancellationToken)
    {
        var old = await store.GetAsync(earlier, cancellationToken);
        if (old is null || !string.Equals(old.SheetId, sheetId, StringComparison.Ordinal))
        {
            log.ForeignJobId(rowNumber, sheetId, earlier);
            return;
        }
        if (old.IsTerminal)
        {
            log.EditedAfterEnd(rowNumber, earlier, old.Status);
            return;
        }
        await compensator.RunAsync(earlier, JobStatus.Cancelled, $"row {rowNumber} was edited; replaced by job {replacement}", cancellationToken);
    }

    private Dictionary<string, string?> Invalid(string error) => new()
    {
        [SheetContract.Status] = JobStatus.Invalid,
        [SheetContract.Error] = error,
        [SheetContract.Updated] = statusWriter.UpdatedNow(),
    };
}
