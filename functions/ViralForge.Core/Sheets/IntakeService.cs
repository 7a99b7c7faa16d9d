using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Sheets;

/// <summary>What intake did with one row.</summary>
public sealed record IntakeRow(int RowNumber, string Topic, Guid? JobId, bool Created, string? Error);

/// <summary>
/// Reads a sheet, validates every row, and makes (or finds) a job for each valid one. Invalid rows get
/// Status=invalid and their reasons in Error; the other rows go on. Running it again on an unchanged
/// sheet makes nothing new: it only re-enqueues unfinished jobs where they stand (named tasks make that
/// a no-op when their task is still queued).
/// </summary>
public sealed class IntakeService(IJobStore store, StageTasks tasks, SheetStatusWriter statusWriter, Compensator compensator, ILogger<IntakeService> log)
{
    public async Task<IReadOnlyList<IntakeRow>> SubmitAsync(ISheet sheet, CancellationToken cancellationToken)
    {
        var rows = await sheet.ReadRowsAsync(cancellationToken);
        var results = new List<IntakeRow>();
        var writes = new List<RowWrite>();
        var seen = new Dictionary<string, int>();
        foreach (var row in rows.Where(r => !r.IsBlank))
        {
            var hash = RowHasher.Hash(row);
            var topic = row.Get(SheetContract.Topic).Trim();
            var validation = RowValidator.Validate(row);
            var error = validation.IsValid ? null : validation.Error;
            if (error is null && !seen.TryAdd(hash, row.RowNumber))
            {
                error = $"Same inputs as row {seen[hash]}; change a cell to make a separate video.";
            }
            if (error is not null)
            {
                writes.Add(new RowWrite(row.JobId is null ? RowLocator.ByPosition(row.RowNumber, hash) : new RowLocator(row.JobId), Invalid(error)));
                results.Add(new IntakeRow(row.RowNumber, topic, null, false, error));
                continue;
            }

            var submission = await store.SubmitAsync(sheet.Id, hash, validation.Request!, cancellationToken);
            var job = submission.Job;
            if (submission.Created)
            {
                await store.AppendEventAsync(job.Id, "submitted", null, $"row {row.RowNumber} of {sheet.Id}", cancellationToken);
                log.LogInformation("Row {Row} became job {JobId}", row.RowNumber, job.Id);
            }
            if (Guid.TryParse(row.JobId, out var earlier) && earlier != job.Id)
            {
                // The person edited the row's inputs: that is a new request, and the old job must not publish.
                await compensator.RunAsync(earlier, JobStatus.Cancelled, $"row {row.RowNumber} was edited; replaced by job {job.Id}", cancellationToken);
            }
            if (!job.IsTerminal && !await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken))
            {
                await tasks.EnqueueAsync(job.Id, job.Stage ?? StageName.Trends, job.Generation, cancellationToken);
            }
            var outputs = await statusWriter.OutputsForAsync(job, cancellationToken);
            // The row is found by position here: its Job ID may not be written yet.
            writes.Add(new RowWrite(RowLocator.ByPosition(row.RowNumber, hash), outputs));
            results.Add(new IntakeRow(row.RowNumber, topic, job.Id, submission.Created, null));
        }
        if (writes.Count > 0)
        {
            await sheet.WriteAsync(writes, cancellationToken);
        }
        return results;
    }

    private Dictionary<string, string?> Invalid(string error) => new()
    {
        [SheetContract.Status] = JobStatus.Invalid,
        [SheetContract.Error] = error,
        [SheetContract.Updated] = statusWriter.UpdatedNow(),
    };
}
