using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Postgres;

/// <summary>The job store in PostgreSQL: plain SQL against one data source.</summary>
public sealed class PostgresJobStore(NpgsqlDataSource dataSource, TimeProvider time) : IJobStore
{
    private const string JobColumns = "id, sheet_id, row_hash, request, status, stage, generation, error, created_at, updated_at";
    // The terminal statuses as JobStatus.IsTerminal names them, for queries that leave ended jobs out.
    private static readonly string[] TerminalStatuses = [.. JobStatus.Terminal];
    private const string RunColumns = "job_id, stage, generation, status, attempts, output, error, started_at, finished_at, compensated_at";
    private const string Terminal = "('published', 'scheduled', 'rejected', 'failed', 'cancelled')";

    public async Task<JobSubmission> SubmitAsync(string sheetId, string rowHash, VideoRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // One statement: a concurrent second submission of the same row finds the first one's job.
        await using var command = dataSource.CreateCommand($"""
            WITH inserted AS (
                INSERT INTO jobs (id, sheet_id, row_hash, request, status, generation, created_at, updated_at)
                VALUES (@id, @sheet, @hash, @request, 'queued', 1, @now, @now)
                ON CONFLICT (sheet_id, row_hash) DO NOTHING
                RETURNING {JobColumns}, true AS created)
            SELECT * FROM inserted
            UNION ALL
            SELECT {JobColumns}, false FROM jobs WHERE sheet_id = @sheet AND row_hash = @hash
            LIMIT 1
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7(now));
        command.Parameters.AddWithValue("sheet", sheetId);
        command.Parameters.AddWithValue("hash", rowHash);
        command.Parameters.Add(new NpgsqlParameter("request", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(request, CoreJson.Default.VideoRequest) });
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("Submitting a job returned no row.");
        }
        return new JobSubmission(ReadJob(reader), reader.GetBoolean(10));
    }

    public async Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobColumns} FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadJob(reader) : null;
    }

    public async Task<IReadOnlyList<Job>> ListBySheetAsync(string sheetId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobColumns} FROM jobs WHERE sheet_id = @sheet ORDER BY created_at, id");
        command.Parameters.AddWithValue("sheet", sheetId);
        return await ReadAll(command, ReadJob, cancellationToken);
    }

    public async Task<IReadOnlyList<Job>> ListPageAsync(JobPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>();
        await using var command = dataSource.CreateCommand();
        if (query.SheetId is { } sheet)
        {
            conditions.Add("sheet_id = @sheet");
            command.Parameters.AddWithValue("sheet", sheet);
        }
        if (query.Statuses is { Count: > 0 } statuses)
        {
            conditions.Add("status = ANY(@statuses)");
            command.Parameters.AddWithValue("statuses", statuses.ToArray());
        }
        if (query.After is { } after)
        {
            // A row comparison, so the (created_at, id) index serves it.
            conditions.Add("(created_at, id) < (@afterAt, @afterId)");
            command.Parameters.AddWithValue("afterAt", after.CreatedAt);
            command.Parameters.AddWithValue("afterId", after.Id);
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        command.CommandText = $"SELECT {JobColumns} FROM jobs {where} ORDER BY created_at DESC, id DESC LIMIT @limit";
        command.Parameters.AddWithValue("limit", query.Limit);
        return await ReadAll(command, ReadJob, cancellationToken);
    }

    public async Task<IReadOnlyList<Job>> ListAtStageAsync(StageName stage, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {JobColumns} FROM jobs
            WHERE stage = @stage AND status <> ALL(@terminal)
            ORDER BY updated_at, id
            """);
        command.Parameters.AddWithValue("stage", stage.Wire());
        command.Parameters.AddWithValue("terminal", TerminalStatuses);
        return await ReadAll(command, ReadJob, cancellationToken);
    }

    public async Task<IReadOnlyList<Job>> ListRecentlyCompletedAsync(StageName stage, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {JobColumns} FROM jobs
            JOIN (SELECT job_id, max(finished_at) AS finished FROM stage_runs
                  WHERE stage = @stage AND status = 'completed' GROUP BY job_id) done ON done.job_id = jobs.id
            ORDER BY done.finished DESC, id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("stage", stage.Wire());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAll(command, ReadJob, cancellationToken);
    }

    public async Task<StageClaim> ClaimStageAsync(Guid jobId, StageName stage, int generation, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Insert the run, or take over one whose last attempt failed or whose lease ran out. A run that
        // is completed, awaiting approval or held by a live attempt is left alone.
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO stage_runs (job_id, stage, generation, status, attempts, lease_until, started_at)
            VALUES (@job, @stage, @generation, 'running', 1, @lease, @now)
            ON CONFLICT (job_id, stage, generation) DO UPDATE
                SET status = 'running', attempts = stage_runs.attempts + 1, lease_until = @lease, error = NULL, started_at = @now, progress = NULL
                WHERE stage_runs.status = 'failed'
                   OR (stage_runs.status = 'running' AND stage_runs.lease_until < @now)
            RETURNING {RunColumns}
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.AddWithValue("lease", now + lease);
        command.Parameters.AddWithValue("now", now);
        var claimed = await ReadAll(command, ReadRun, cancellationToken);
        if (claimed.Count == 1)
        {
            return new StageClaim(ClaimResult.Claimed, claimed[0]);
        }

        var existing = await GetRunAsync(jobId, stage, generation, cancellationToken)
            ?? throw new InvalidOperationException($"Stage run {stage.Wire()} of job {jobId} vanished while claiming it.");
        var result = existing.Status switch
        {
            StageRunStatus.Completed => ClaimResult.AlreadyCompleted,
            StageRunStatus.AwaitingApproval => ClaimResult.AwaitingApproval,
            _ => ClaimResult.Busy,
        };
        return new StageClaim(result, existing);
    }

    public async Task RenewStageLeaseAsync(Guid jobId, StageName stage, int generation, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE stage_runs SET lease_until = @lease
            WHERE job_id = @job AND stage = @stage AND generation = @generation AND status = 'running'
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.AddWithValue("lease", time.GetUtcNow() + lease);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetStageProgressAsync(Guid jobId, StageName stage, int generation, int percent, CancellationToken cancellationToken)
    {
        // jobs.updated_at is left alone: progress is not a change of state, and the reconcile scan reads that column.
        await using var command = dataSource.CreateCommand("""
            UPDATE stage_runs SET progress = @percent
            WHERE job_id = @job AND stage = @stage AND generation = @generation AND status = 'running'
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.AddWithValue("percent", (short)Math.Clamp(percent, 0, 100));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int?> GetStageProgressAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT progress FROM stage_runs
            WHERE job_id = @job AND stage = @stage AND generation = @generation AND status = 'running'
            """);
        AddRunKey(command, jobId, stage, generation);
        return await command.ExecuteScalarAsync(cancellationToken) is short percent ? percent : null;
    }

    public Task CompleteStageAsync(StageCompletion completion, CancellationToken cancellationToken) =>
        CompleteAsync(completion, onlyIfAwaiting: false, cancellationToken);

    public Task<bool> CompleteAwaitingStageAsync(StageCompletion completion, CancellationToken cancellationToken) =>
        CompleteAsync(completion, onlyIfAwaiting: true, cancellationToken);

    private async Task<bool> CompleteAsync(StageCompletion completion, bool onlyIfAwaiting, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The awaiting condition is in the UPDATE itself: a second continue waits for the first one's row lock, re-checks
        // the condition against the committed row and updates nothing.
        await using (var run = new NpgsqlCommand($"""
            UPDATE stage_runs SET status = 'completed', output = @output, finished_at = @now, lease_until = NULL, error = NULL
            WHERE job_id = @job AND stage = @stage AND generation = @generation{(onlyIfAwaiting ? " AND status = 'awaiting_approval'" : "")}
            """, connection))
        {
            AddRunKey(run, completion.JobId, completion.Stage, completion.Generation);
            run.Parameters.Add(new NpgsqlParameter("output", NpgsqlDbType.Jsonb) { Value = completion.Output.GetRawText() });
            run.Parameters.AddWithValue("now", now);
            var updated = await run.ExecuteNonQueryAsync(cancellationToken);
            if (updated != 1 && onlyIfAwaiting)
            {
                return false;
            }
            if (updated != 1)
            {
                throw new InvalidOperationException($"No stage run {completion.Stage.Wire()} (generation {completion.Generation}) for job {completion.JobId}.");
            }
        }

        foreach (var asset in completion.Assets)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO assets (job_id, stage, generation, kind, blob_key, size_bytes, sha256, duration_seconds, created_at)
                VALUES (@job, @stage, @generation, @kind, @key, @size, @sha, @duration, @now)
                ON CONFLICT (job_id, blob_key) DO UPDATE
                    SET size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, duration_seconds = EXCLUDED.duration_seconds
                """, connection);
            AddRunKey(insert, asset.JobId, asset.Stage, asset.Generation);
            insert.Parameters.AddWithValue("kind", asset.Kind);
            insert.Parameters.AddWithValue("key", asset.BlobKey);
            insert.Parameters.AddWithValue("size", asset.SizeBytes);
            insert.Parameters.AddWithValue("sha", asset.Sha256);
            insert.Parameters.AddWithValue("duration", (object?)asset.DurationSeconds ?? DBNull.Value);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var job = new NpgsqlCommand($"""
            UPDATE jobs SET status = @status, stage = @stage, updated_at = @now
            WHERE id = @job AND status NOT IN {Terminal}
            """, connection))
        {
            job.Parameters.AddWithValue("job", completion.JobId);
            job.Parameters.AddWithValue("status", completion.JobStatus);
            job.Parameters.AddWithValue("stage", completion.Stage.Wire());
            job.Parameters.AddWithValue("now", now);
            await job.ExecuteNonQueryAsync(cancellationToken);
        }
        await InsertEvent(connection, completion.JobId, "completed", completion.Stage, completion.Message, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task AwaitApprovalAsync(Guid jobId, StageName stage, int generation, JsonElement output, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE stage_runs SET status = 'awaiting_approval', output = @output, lease_until = NULL
            WHERE job_id = @job AND stage = @stage AND generation = @generation
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.Add(new NpgsqlParameter("output", NpgsqlDbType.Jsonb) { Value = output.GetRawText() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await AppendEventAsync(jobId, "awaiting_approval", stage, stage == StageName.Script ? "waiting for a person to check the script" : "posted for review", cancellationToken);
    }

    public async Task FailStageAttemptAsync(Guid jobId, StageName stage, int generation, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE stage_runs SET status = 'failed', error = @error, lease_until = NULL
            WHERE job_id = @job AND stage = @stage AND generation = @generation AND status = 'running'
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.AddWithValue("error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await AppendEventAsync(jobId, "attempt_failed", stage, error, cancellationToken);
    }

    public async Task<StageRun?> GetLatestCompletedAsync(Guid jobId, StageName stage, int maxGeneration, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {RunColumns} FROM stage_runs
            WHERE job_id = @job AND stage = @stage AND generation <= @generation AND status = 'completed'
            ORDER BY generation DESC LIMIT 1
            """);
        AddRunKey(command, jobId, stage, maxGeneration);
        var runs = await ReadAll(command, ReadRun, cancellationToken);
        return runs.Count == 0 ? null : runs[0];
    }

    public async Task<IReadOnlyList<StageRun>> ListStageRunsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM stage_runs WHERE job_id = @job ORDER BY started_at");
        command.Parameters.AddWithValue("job", jobId);
        return await ReadAll(command, ReadRun, cancellationToken);
    }

    public async Task<IReadOnlyList<Asset>> ListAssetsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT job_id, stage, generation, kind, blob_key, size_bytes, sha256, duration_seconds
            FROM assets WHERE job_id = @job ORDER BY id
            """);
        command.Parameters.AddWithValue("job", jobId);
        return await ReadAll(command, r => new Asset(
            r.GetGuid(0), ParseStage(r.GetString(1)), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetString(6),
            r.IsDBNull(7) ? null : r.GetDouble(7)), cancellationToken);
    }

    public async Task SetStatusAsync(Guid jobId, string status, StageName? stage, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE jobs SET status = @status, stage = @stage, updated_at = @now
            WHERE id = @job AND status NOT IN {Terminal}
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("stage", (object?)stage?.Wire() ?? DBNull.Value);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> FinishAsync(Guid jobId, string terminalStatus, string? error, CancellationToken cancellationToken)
    {
        if (!JobStatus.IsTerminal(terminalStatus))
        {
            throw new ArgumentException($"'{terminalStatus}' is not a terminal status.", nameof(terminalStatus));
        }
        await using var command = dataSource.CreateCommand($"""
            UPDATE jobs SET status = @status, error = @error, updated_at = @now
            WHERE id = @job AND status NOT IN {Terminal}
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("status", terminalStatus);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        var changed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (changed)
        {
            await AppendEventAsync(jobId, terminalStatus, null, error ?? terminalStatus, cancellationToken);
        }
        return changed;
    }

    public async Task MarkCompensatedAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE stage_runs SET compensated_at = @now
            WHERE job_id = @job AND stage = @stage AND generation = @generation AND compensated_at IS NULL
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> BumpGenerationAsync(Guid jobId, int fromGeneration, CancellationToken cancellationToken)
    {
        // Conditional on the generation it starts from, so a second delivery of the same Regenerate starts none: a
        // concurrent bump waits for the row lock, re-checks the condition and updates nothing.
        await using (var bump = dataSource.CreateCommand(
            "UPDATE jobs SET generation = generation + 1, updated_at = @now WHERE id = @job AND generation = @from RETURNING generation"))
        {
            bump.Parameters.AddWithValue("job", jobId);
            bump.Parameters.AddWithValue("from", fromGeneration);
            bump.Parameters.AddWithValue("now", time.GetUtcNow());
            if (await bump.ExecuteScalarAsync(cancellationToken) is int bumped)
            {
                return bumped;
            }
        }

        // Not bumped now: a new statement (a fresh snapshot) reads the generation the other bump committed.
        await using var read = dataSource.CreateCommand("SELECT generation FROM jobs WHERE id = @job");
        read.Parameters.AddWithValue("job", jobId);
        return (int)(await read.ExecuteScalarAsync(cancellationToken) ?? throw new KeyNotFoundException($"No job {jobId}."));
    }

    public async Task<IReadOnlyList<Guid>> GoLiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        // One statement: concurrent reconcilers skip each other's rows, and the status condition moves each job once.
        await using var command = dataSource.CreateCommand("""
            WITH due AS (
                SELECT id FROM jobs
                WHERE status = 'scheduled' AND (request->>'publishAt')::timestamptz <= @now
                ORDER BY updated_at, id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED),
            live AS (
                UPDATE jobs SET status = 'published', updated_at = @now
                FROM due WHERE jobs.id = due.id AND jobs.status = 'scheduled'
                RETURNING jobs.id, jobs.request->>'publishAt' AS at)
            INSERT INTO job_events (job_id, at, kind, stage, message)
            SELECT id, @now, 'published', 'publish', 'live since ' || at FROM live
            RETURNING job_id
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAll(command, r => r.GetGuid(0), cancellationToken);
    }

    public async Task AppendEventAsync(Guid jobId, string kind, StageName? stage, string message, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertEvent(connection, jobId, kind, stage, message, time.GetUtcNow(), cancellationToken);
    }

    public async Task<IReadOnlyList<JobEvent>> ListEventsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, job_id, at, kind, stage, message FROM job_events WHERE job_id = @job ORDER BY id");
        command.Parameters.AddWithValue("job", jobId);
        return await ReadAll(command, r => new JobEvent(
            r.GetInt64(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3),
            r.IsDBNull(4) ? null : ParseStage(r.GetString(4)), r.GetString(5)), cancellationToken);
    }

    public async Task<IReadOnlyList<Job>> ListIdleAsync(DateTimeOffset unchangedSince, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {JobColumns} FROM jobs
            WHERE status <> ALL(@terminal) AND updated_at < @since
              AND NOT EXISTS (
                  SELECT 1 FROM stage_runs r
                  WHERE r.job_id = jobs.id AND r.generation = jobs.generation
                    AND (r.status = 'awaiting_approval' OR (r.status = 'running' AND r.lease_until >= @now)))
            ORDER BY updated_at, id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("terminal", TerminalStatuses);
        command.Parameters.AddWithValue("since", unchangedSince);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAll(command, ReadJob, cancellationToken);
    }

    public async Task<DateTimeOffset?> GetStageLeaseAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT lease_until FROM stage_runs WHERE job_id = @job AND stage = @stage AND generation = @generation AND status = 'running'");
        AddRunKey(command, jobId, stage, generation);
        var leases = await ReadAll(command, r => r.IsDBNull(0) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(0), cancellationToken);
        return leases.Count == 0 ? null : leases[0];
    }

    public async Task<int> GetReconcileCountAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count FROM stage_reconciles WHERE job_id = @job AND stage = @stage AND generation = @generation");
        AddRunKey(command, jobId, stage, generation);
        return await command.ExecuteScalarAsync(cancellationToken) is int count ? count : 0;
    }

    public async Task<bool> ClaimReconcileAsync(Guid jobId, StageName stage, int generation, int seen, DateTimeOffset lastClaimBefore, CancellationToken cancellationToken)
    {
        // One statement: a second reconciler that read the same count waits for the first one's row, then finds the
        // count moved and updates nothing (ON CONFLICT re-checks the WHERE against the committed row). One that read the
        // count just after a claim, before that claim's task was queued, would find no task under the new name: a claim
        // younger than the grace period stands, so it updates nothing either.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO stage_reconciles AS r (job_id, stage, generation, count, updated_at)
            VALUES (@job, @stage, @generation, 1, @now)
            ON CONFLICT (job_id, stage, generation) DO UPDATE SET count = r.count + 1, updated_at = @now
                WHERE r.count = @seen AND r.updated_at < @before
            RETURNING count
            """);
        AddRunKey(command, jobId, stage, generation);
        command.Parameters.AddWithValue("seen", seen);
        command.Parameters.AddWithValue("before", lastClaimBefore);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken) is int;
    }

    private async Task<StageRun?> GetRunAsync(Guid jobId, StageName stage, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM stage_runs WHERE job_id = @job AND stage = @stage AND generation = @generation");
        AddRunKey(command, jobId, stage, generation);
        var runs = await ReadAll(command, ReadRun, cancellationToken);
        return runs.Count == 0 ? null : runs[0];
    }

    private static async Task InsertEvent(NpgsqlConnection connection, Guid jobId, string kind, StageName? stage, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("INSERT INTO job_events (job_id, at, kind, stage, message) VALUES (@job, @at, @kind, @stage, @message)", connection);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("stage", (object?)stage?.Wire() ?? DBNull.Value);
        command.Parameters.AddWithValue("message", message);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddRunKey(NpgsqlCommand command, Guid jobId, StageName stage, int generation)
    {
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("stage", stage.Wire());
        command.Parameters.AddWithValue("generation", generation);
    }

    /// <summary>Every row the command returns, read by <paramref name="read"/> (the review ledger reads the same way).</summary>
    internal static async Task<List<T>> ReadAll<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }
        return list;
    }

    private static Job ReadJob(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        r.GetString(2),
        JsonSerializer.Deserialize(r.GetString(3), CoreJson.Default.VideoRequest)!,
        r.GetString(4),
        r.IsDBNull(5) ? null : ParseStage(r.GetString(5)),
        r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.GetFieldValue<DateTimeOffset>(8),
        r.GetFieldValue<DateTimeOffset>(9));

    private static StageRun ReadRun(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        ParseStage(r.GetString(1)),
        r.GetInt32(2),
        r.GetString(3),
        r.GetInt32(4),
        r.IsDBNull(5) ? null : ParseJson(r.GetString(5)),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    internal static StageName ParseStage(string text) =>
        StageOrder.TryParse(text, out var stage) ? stage : throw new InvalidDataException($"Unknown stage '{text}' in the database.");
}
