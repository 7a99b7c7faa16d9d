using System.Text.Json;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Testing.InMemory;

/// <summary>
/// The job store in memory, for unit tests that must run in milliseconds. It keeps the contract of
/// <see cref="IJobStore"/> as <c>PostgresJobStore</c> implements it: one job per (sheet, row hash), one run per
/// (job, stage, generation) claimed only when new, failed or past its lease, terminal statuses set once, runs,
/// assets and events only for a job that exists (the tables' foreign keys). One lock makes every call atomic, as
/// the SQL statements and transactions are. Times come from the injected clock.
/// </summary>
public sealed class InMemoryJobStore(TimeProvider time) : IJobStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Job> jobs = [];
    private readonly Dictionary<(Guid, StageName, int), RunRow> runs = [];
    private readonly List<Asset> assets = [];
    private readonly List<JobEvent> events = [];
    private readonly Dictionary<(Guid, StageName, int), int> reconciles = [];
    private readonly Dictionary<(Guid, StageName, int), DateTimeOffset> reconciledAt = [];
    private long nextRunOrder;

    public Task<JobSubmission> SubmitAsync(string sheetId, string rowHash, VideoRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var existing = jobs.Values.FirstOrDefault(j => j.SheetId == sheetId && j.RowHash == rowHash);
            if (existing is not null)
            {
                return Task.FromResult(new JobSubmission(existing, Created: false));
            }
            var now = time.GetUtcNow();
            var job = new Job(Guid.CreateVersion7(now), sheetId, rowHash, request, JobStatus.Queued, null, 1, null, now, now);
            jobs.Add(job.Id, job);
            return Task.FromResult(new JobSubmission(job, Created: true));
        }
    }

    public Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(jobs.GetValueOrDefault(jobId));
        }
    }

    public Task<IReadOnlyList<Job>> ListBySheetAsync(string sheetId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Job>>(cancellationToken, () => [.. jobs.Values.Where(j => j.SheetId == sheetId).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id)]);

    public Task<IReadOnlyList<Job>> ListPageAsync(JobPageQuery query, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Job>>(cancellationToken, () =>
        [
            // uuids compare as PostgreSQL compares them: byte by byte, which is their text's order.
            .. jobs.Values
                .Where(j => (query.SheetId is null || j.SheetId == query.SheetId) && (query.Statuses is not { Count: > 0 } s || s.Contains(j.Status)))
                .Where(j => query.After is not { } a || j.CreatedAt < a.CreatedAt || (j.CreatedAt == a.CreatedAt && string.CompareOrdinal(j.Id.ToString(), a.Id.ToString()) < 0))
                .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id.ToString(), StringComparer.Ordinal)
                .Take(query.Limit),
        ]);

    public Task<IReadOnlyList<Job>> ListAtStageAsync(StageName stage, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Job>>(cancellationToken, () =>
            [.. jobs.Values.Where(j => j.Stage == stage && !j.IsTerminal).OrderBy(j => j.UpdatedAt).ThenBy(j => j.Id)]);

    public Task<IReadOnlyList<Job>> ListRecentlyCompletedAsync(StageName stage, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Job>>(cancellationToken, () =>
        [
            .. runs.Values
                .Where(r => r.Run.Stage == stage && r.Run.Status == StageRunStatus.Completed)
                .GroupBy(r => r.Run.JobId)
                .Select(g => (Job: jobs[g.Key], Finished: g.Max(r => r.Run.FinishedAt)))
                .OrderByDescending(x => x.Finished)
                .ThenBy(x => x.Job.Id)
                .Take(limit)
                .Select(x => x.Job),
        ]);

    public Task<StageClaim> ClaimStageAsync(Guid jobId, StageName stage, int generation, TimeSpan lease, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            RequireJob(jobId);
            var now = time.GetUtcNow();
            var key = (jobId, stage, generation);
            if (!runs.TryGetValue(key, out var row))
            {
                row = new RunRow(new StageRun(jobId, stage, generation, StageRunStatus.Running, 1, null, null, now, null, null), now + lease, nextRunOrder++);
                runs.Add(key, row);
                return Task.FromResult(new StageClaim(ClaimResult.Claimed, row.Run));
            }
            // Taken over when the last attempt failed or its lease ran out; output and finish time stay, as in the UPDATE.
            if (row.Run.Status == StageRunStatus.Failed || (row.Run.Status == StageRunStatus.Running && row.LeaseUntil < now))
            {
                row.Run = row.Run with { Status = StageRunStatus.Running, Attempts = row.Run.Attempts + 1, Error = null, StartedAt = now };
                row.LeaseUntil = now + lease;
                row.Progress = null;
                return Task.FromResult(new StageClaim(ClaimResult.Claimed, row.Run));
            }
            var result = row.Run.Status switch
            {
                StageRunStatus.Completed => ClaimResult.AlreadyCompleted,
                StageRunStatus.AwaitingApproval => ClaimResult.AwaitingApproval,
                _ => ClaimResult.Busy,
            };
            return Task.FromResult(new StageClaim(result, row.Run));
        }
    }

    public Task RenewStageLeaseAsync(Guid jobId, StageName stage, int generation, TimeSpan lease, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            if (runs.TryGetValue((jobId, stage, generation), out var row) && row.Run.Status == StageRunStatus.Running)
            {
                row.LeaseUntil = time.GetUtcNow() + lease;
            }
        });

    public Task SetStageProgressAsync(Guid jobId, StageName stage, int generation, int percent, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            if (runs.TryGetValue((jobId, stage, generation), out var row) && row.Run.Status == StageRunStatus.Running)
            {
                row.Progress = Math.Clamp(percent, 0, 100);
            }
        });

    public Task<int?> GetStageProgressAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
            runs.TryGetValue((jobId, stage, generation), out var row) && row.Run.Status == StageRunStatus.Running ? row.Progress : null);

    public Task CompleteStageAsync(StageCompletion completion, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            var now = time.GetUtcNow();
            if (!runs.TryGetValue((completion.JobId, completion.Stage, completion.Generation), out var row))
            {
                throw new InvalidOperationException($"No stage run {completion.Stage.Wire()} (generation {completion.Generation}) for job {completion.JobId}.");
            }
            foreach (var asset in completion.Assets)
            {
                RequireJob(asset.JobId);
            }
            row.Run = row.Run with { Status = StageRunStatus.Completed, Output = completion.Output.Clone(), FinishedAt = now, Error = null };
            row.LeaseUntil = null;
            foreach (var asset in completion.Assets)
            {
                // ON CONFLICT (job_id, blob_key) DO UPDATE keeps the row (and its place in id order) and its stage.
                var index = assets.FindIndex(a => a.JobId == asset.JobId && a.BlobKey == asset.BlobKey);
                if (index < 0)
                {
                    assets.Add(asset);
                }
                else
                {
                    assets[index] = assets[index] with { SizeBytes = asset.SizeBytes, Sha256 = asset.Sha256, DurationSeconds = asset.DurationSeconds };
                }
            }
            UpdateUnlessTerminal(completion.JobId, job => job with { Status = completion.JobStatus, Stage = completion.Stage, UpdatedAt = now });
            AddEvent(completion.JobId, "completed", completion.Stage, completion.Message);
        });

    public Task<bool> CompleteAwaitingStageAsync(StageCompletion completion, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            if (!runs.TryGetValue((completion.JobId, completion.Stage, completion.Generation), out var row) || row.Run.Status != StageRunStatus.AwaitingApproval)
            {
                return false;
            }
            // The gate is reentrant: the completion runs inside this check, as the conditional UPDATE does in PostgreSQL.
            CompleteStageAsync(completion, cancellationToken).GetAwaiter().GetResult();
            return true;
        });

    public Task AwaitApprovalAsync(Guid jobId, StageName stage, int generation, JsonElement output, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            if (runs.TryGetValue((jobId, stage, generation), out var row))
            {
                row.Run = row.Run with { Status = StageRunStatus.AwaitingApproval, Output = output.Clone() };
                row.LeaseUntil = null;
            }
            AddEvent(jobId, "awaiting_approval", stage, stage == StageName.Script ? "waiting for a person to check the script" : "posted for review");
        });

    public Task FailStageAttemptAsync(Guid jobId, StageName stage, int generation, string error, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            if (runs.TryGetValue((jobId, stage, generation), out var row) && row.Run.Status == StageRunStatus.Running)
            {
                row.Run = row.Run with { Status = StageRunStatus.Failed, Error = error };
                row.LeaseUntil = null;
            }
            AddEvent(jobId, "attempt_failed", stage, error);
        });

    public Task<StageRun?> GetLatestCompletedAsync(Guid jobId, StageName stage, int maxGeneration, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () => runs.Values
            .Select(r => r.Run)
            .Where(r => r.JobId == jobId && r.Stage == stage && r.Generation <= maxGeneration && r.Status == StageRunStatus.Completed)
            .OrderByDescending(r => r.Generation)
            .FirstOrDefault());

    public Task<IReadOnlyList<StageRun>> ListStageRunsAsync(Guid jobId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<StageRun>>(cancellationToken, () =>
            // ORDER BY started_at; on a fake clock many runs start at one instant, so ties go in the order they were made.
            [.. runs.Values.Where(r => r.Run.JobId == jobId).OrderBy(r => r.Run.StartedAt).ThenBy(r => r.Order).Select(r => r.Run)]);

    public Task<IReadOnlyList<Asset>> ListAssetsAsync(Guid jobId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Asset>>(cancellationToken, () => [.. assets.Where(a => a.JobId == jobId)]);

    public Task SetStatusAsync(Guid jobId, string status, StageName? stage, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () => UpdateUnlessTerminal(jobId, job => job with { Status = status, Stage = stage, UpdatedAt = time.GetUtcNow() }));

    public Task<bool> FinishAsync(Guid jobId, string terminalStatus, string? error, CancellationToken cancellationToken)
    {
        if (!JobStatus.IsTerminal(terminalStatus))
        {
            throw new ArgumentException($"'{terminalStatus}' is not a terminal status.", nameof(terminalStatus));
        }
        return Locked(cancellationToken, () =>
        {
            var changed = UpdateUnlessTerminal(jobId, job => job with { Status = terminalStatus, Error = error, UpdatedAt = time.GetUtcNow() });
            if (changed)
            {
                AddEvent(jobId, terminalStatus, null, error ?? terminalStatus);
            }
            return changed;
        });
    }

    public Task MarkCompensatedAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            if (runs.TryGetValue((jobId, stage, generation), out var row) && row.Run.CompensatedAt is null)
            {
                row.Run = row.Run with { CompensatedAt = time.GetUtcNow() };
            }
        });

    public Task<int> BumpGenerationAsync(Guid jobId, int fromGeneration, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            var job = jobs.GetValueOrDefault(jobId) ?? throw new KeyNotFoundException($"No job {jobId}.");
            if (job.Generation == fromGeneration)
            {
                job = job with { Generation = job.Generation + 1, UpdatedAt = time.GetUtcNow() };
                jobs[jobId] = job;
            }
            return job.Generation;
        });

    public Task AppendEventAsync(Guid jobId, string kind, StageName? stage, string message, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () => AddEvent(jobId, kind, stage, message));

    public Task<IReadOnlyList<Guid>> GoLiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Guid>>(cancellationToken, () =>
        {
            var due = jobs.Values
                .Where(j => j.Status == JobStatus.Scheduled && j.Request.PublishAt <= now)
                .OrderBy(j => j.UpdatedAt).ThenBy(j => j.Id).Take(limit).ToList();
            foreach (var job in due)
            {
                jobs[job.Id] = job with { Status = JobStatus.Published, UpdatedAt = now };
                events.Add(new JobEvent(events.Count + 1, job.Id, now, JobStatus.Published, StageName.Publish, $"live since {job.Request.PublishAt:O}"));
            }
            return [.. due.Select(j => j.Id)];
        });

    public Task<IReadOnlyList<JobEvent>> ListEventsAsync(Guid jobId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<JobEvent>>(cancellationToken, () => [.. events.Where(e => e.JobId == jobId)]);

    public Task<IReadOnlyList<Job>> ListIdleAsync(DateTimeOffset unchangedSince, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Job>>(cancellationToken, () =>
        {
            var now = time.GetUtcNow();
            return
            [
                .. jobs.Values
                    .Where(j => !j.IsTerminal && j.UpdatedAt < unchangedSince)
                    .Where(j => !runs.Values.Any(r => r.Run.JobId == j.Id && r.Run.Generation == j.Generation
                        && (r.Run.Status == StageRunStatus.AwaitingApproval || (r.Run.Status == StageRunStatus.Running && r.LeaseUntil >= now))))
                    .OrderBy(j => j.UpdatedAt)
                    .ThenBy(j => j.Id)
                    .Take(limit),
            ];
        });

    public Task<DateTimeOffset?> GetStageLeaseAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
            runs.TryGetValue((jobId, stage, generation), out var row) && row.Run.Status == StageRunStatus.Running ? row.LeaseUntil : null);

    public Task<int> GetReconcileCountAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () => reconciles.GetValueOrDefault((jobId, stage, generation)));

    public Task<bool> ClaimReconcileAsync(Guid jobId, StageName stage, int generation, int seen, DateTimeOffset lastClaimBefore, CancellationToken cancellationToken) =>
        Locked(cancellationToken, () =>
        {
            RequireJob(jobId);
            var key = (jobId, stage, generation);
            if (reconciles.GetValueOrDefault(key) != seen || (reconciledAt.TryGetValue(key, out var at) && at >= lastClaimBefore))
            {
                return false;
            }
            reconciles[key] = seen + 1;
            reconciledAt[key] = time.GetUtcNow();
            return true;
        });

    /// <summary>When the run's lease runs out, or null when no attempt holds it (for tests of leases).</summary>
    public DateTimeOffset? LeaseUntil(Guid jobId, StageName stage, int generation)
    {
        lock (gate)
        {
            return runs.TryGetValue((jobId, stage, generation), out var row) ? row.LeaseUntil : null;
        }
    }

    private Task<T> Locked<T>(CancellationToken cancellationToken, Func<T> read)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(read());
        }
    }

    private Task Locked(CancellationToken cancellationToken, Action write) =>
        Locked(cancellationToken, () =>
        {
            write();
            return true;
        });

    private void RequireJob(Guid jobId)
    {
        if (!jobs.ContainsKey(jobId))
        {
            // What the foreign key to jobs (id) says in PostgreSQL.
            throw new InvalidOperationException($"No job {jobId}: runs, assets and events need an existing job.");
        }
    }

    private bool UpdateUnlessTerminal(Guid jobId, Func<Job, Job> update)
    {
        if (!jobs.TryGetValue(jobId, out var job) || job.IsTerminal)
        {
            return false;
        }
        jobs[jobId] = update(job);
        return true;
    }

    private void AddEvent(Guid jobId, string kind, StageName? stage, string message)
    {
        RequireJob(jobId);
        events.Add(new JobEvent(events.Count + 1, jobId, time.GetUtcNow(), kind, stage, message));
    }

    private sealed class RunRow(StageRun run, DateTimeOffset? leaseUntil, long order)
    {
        public StageRun Run { get; set; } = run;

        public DateTimeOffset? LeaseUntil { get; set; } = leaseUntil;

        public long Order { get; } = order;

        public int? Progress { get; set; }
    }
}
