using Microsoft.Extensions.Logging;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;
using ViralForge.Core.Stages;

namespace ViralForge.Core.Sheets;

/// <summary>What intake did with one row.</summary>
/// <param name="JobId">The job of the row's (first) language.</param>
/// <param name="LanguageJobIds">The jobs of the further languages of a Languages row, in the cell's order; empty otherwise.</param>
public sealed record IntakeRow(int RowNumber, string Topic, Guid? JobId, bool Created, string? Error, IReadOnlyList<Guid>? LanguageJobIds = null);

/// <summary>What intake did with one row, with what a caller needs to answer for it: the row, its hash, and the job as it stands (null when the row is invalid).</summary>
/// <param name="Job">The job of the row's (first) language, which writes the row's own output cells.</param>
/// <param name="LanguageJobs">The jobs of the further languages of a Languages row (<see cref="VideoRequest.VariantOf"/> is <paramref name="Job"/>), in the cell's order; empty otherwise.</param>
public sealed record RowIntake(SheetRow Row, string Hash, string Topic, Job? Job, bool Created, string? Error, IReadOnlyList<Job>? LanguageJobs = null);

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
            if (outcome.Job is null)
            {
                writes.Add(new RowWrite(row.JobId is null ? RowLocator.ByPosition(row.RowNumber, outcome.Hash) : new RowLocator(row.JobId), Invalid(outcome.Error!)));
                continue;
            }
            // The row is found by position here: its Job ID may not be written yet. Each further language's cells are its
            // own "(language)" columns (SheetStatusWriter), so all the row's jobs go in one write.
            var outputs = await statusWriter.OutputsForAsync(outcome.Job, cancellationToken);
            foreach (var languageJob in outcome.LanguageJobs ?? [])
            {
                foreach (var (column, value) in await statusWriter.OutputsForAsync(languageJob, cancellationToken))
                {
                    outputs[column] = value;
                }
            }
            writes.Add(new RowWrite(RowLocator.ByPosition(row.RowNumber, outcome.Hash), outputs));
        }
        if (writes.Count > 0)
        {
            await sheet.WriteAsync(writes, cancellationToken);
        }
        return [.. outcomes.Select(o => new IntakeRow(o.Row.RowNumber, o.Topic, o.Job?.Id, o.Created, o.Error, o.LanguageJobs is { Count: > 0 } more ? [.. more.Select(j => j.Id)] : null))];
    }

    /// <summary>
    /// Validates and submits rows of one sheet, in order, without touching the sheet: the per-row half of
    /// <see cref="SubmitAsync"/>, which the add-on's POST /jobs shares. Each valid row's job is created or found (by
    /// <see cref="RowHasher"/>'s hash), moved on where it stands, and, when the row's Job ID names an earlier job
    /// of the same sheet that is still running, that job is cancelled; invalid rows and repeats of an earlier row in the same batch get their error instead.
    /// A row whose Languages cell names several languages fans out into one job per language (<see cref="SubmitLanguagesAsync"/>).
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
            var keys = validation.IsValid ? JobKeys(row, hash, validation.Languages) : [];
            if (error is null && keys.FirstOrDefault(seen.ContainsKey) is { } repeated)
            {
                error = $"Same inputs as row {seen[repeated]}; change a cell to make a separate video.";
            }
            if (error is not null)
            {
                results.Add(new RowIntake(row, hash, topic, null, false, error));
                continue;
            }
            foreach (var key in keys)
            {
                seen[key] = row.RowNumber;
            }

            var submission = await store.SubmitAsync(sheetId, keys[0], validation.Request!, cancellationToken);
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
            // The further languages' jobs exist before the first one is queued, so its script stage finds them to start.
            var languageJobs = await SubmitLanguagesAsync(sheetId, row, job, validation.Languages, keys, cancellationToken);
            if (!job.IsTerminal && !await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken))
            {
                await tasks.EnqueueAsync(job.Id, job.Stage ?? StageName.Trends, job.Generation, cancellationToken);
            }
            results.Add(new RowIntake(row, hash, topic, job, submission.Created, null, languageJobs.Count > 0 ? languageJobs : null));
        }
        return results;
    }

    /// <summary>
    /// The idempotency key of each language's job, in the row's language order: a row without a Languages cell keeps its
    /// one hash as ever; a Languages row's jobs each get <see cref="RowHasher.LanguageHash"/>'s.
    /// </summary>
    private static List<string> JobKeys(SheetRow row, string hash, IReadOnlyList<string> languages)
    {
        if (row.Get(SheetContract.Languages).Trim().Length == 0)
        {
            return [hash];
        }
        var main = languages[0];
        return [.. languages.Select((language, i) => RowHasher.LanguageHash(row, language, i == 0 ? null : main))];
    }

    /// <summary>
    /// Creates (or finds) the job of each further language of a Languages row: the first language's request in another
    /// language, <see cref="VideoRequest.VariantOf"/> naming the first language's job. They reuse that job's trends and
    /// analysis (<see cref="LanguageVariantStage"/>), so one that has not started is queued only once those exist, or the
    /// first job ended without them (then it makes its own); otherwise the first job's script stage starts it. A language
    /// whose "Job ID (xx)" cell names another job (the row was edited), or that was taken out of the cell, has that job
    /// cancelled if it still runs, as an edited row's Job ID does.
    /// </summary>
    private async Task<List<Job>> SubmitLanguagesAsync(string sheetId, SheetRow row, Job main, IReadOnlyList<string> languages, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var jobs = new List<Job>();
        var mainReady = await store.GetLatestCompletedAsync(main.Id, StageName.Analysis, main.Generation, cancellationToken) is not null || main.IsTerminal;
        for (var i = 1; i < languages.Count; i++)
        {
            var language = languages[i];
            var request = main.Request with { Language = language, VariantOf = main.Id };
            var submission = await store.SubmitAsync(sheetId, keys[i], request, cancellationToken);
            var job = submission.Job;
            if (submission.Created)
            {
                await store.AppendEventAsync(job.Id, "submitted", null, $"row {row.RowNumber} of {sheetId} in {language}; shares the trends and analysis of job {main.Id} ({main.Request.Language})", cancellationToken);
                log.RowBecameJob(row.RowNumber, job.Id);
            }
            if (Guid.TryParse(row.Get(SheetContract.ForLanguage(SheetContract.JobId, language)).Trim(), out var earlier) && earlier != job.Id)
            {
                await CancelReplacedAsync(sheetId, row.RowNumber, earlier, job.Id, cancellationToken);
            }
            var started = job.Status != JobStatus.Queued;
            if (!job.IsTerminal && (started || mainReady) && !await ReviewDecisions.IsAwaitingAsync(store, job, cancellationToken))
            {
                await tasks.EnqueueAsync(job.Id, job.Stage ?? StageName.Trends, job.Generation, cancellationToken);
            }
            jobs.Add(job);
        }
        foreach (var (column, value) in row.Cells)
        {
            if (SheetContract.LanguageColumn(column) is (SheetContract.JobId, var dropped) && !languages.Contains(dropped, StringComparer.Ordinal)
                && Guid.TryParse(value.Trim(), out var orphan))
            {
                await CancelReplacedAsync(sheetId, row.RowNumber, orphan, null, cancellationToken);
            }
        }
        return jobs;
    }

    /// <summary>
    /// The person edited the row's inputs: that is a new request, and the old job (named by the row's Job ID cell)
    /// must not publish. Only a job of this same sheet that is still running is cancelled: a Job ID pasted from
    /// another sheet names someone else's job, an unknown one names nothing, and an ended job has nothing left to stop
    /// (undoing a published video because its row was reused is not what an edit asks for).
    /// </summary>
    /// <param name="replacement">The job that replaces it; null when its language was taken out of the row's Languages cell.</param>
    private async Task CancelReplacedAsync(string sheetId, int rowNumber, Guid earlier, Guid? replacement, CancellationToken cancellationToken)
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
        var reason = replacement is { } next
            ? $"row {rowNumber} was edited; replaced by job {next}"
            : $"row {rowNumber} no longer asks for {old.Request.Language} in its Languages cell";
        await compensator.RunAsync(earlier, JobStatus.Cancelled, reason, cancellationToken);
    }

    private Dictionary<string, string?> Invalid(string error) => new()
    {
        [SheetContract.Status] = JobStatus.Invalid,
        [SheetContract.Error] = error,
        [SheetContract.Updated] = statusWriter.UpdatedNow(),
    };
}
