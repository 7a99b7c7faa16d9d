using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Stages;

namespace ViralForge.Functions.Dashboard;

/// <summary>The list's filters as the query string gives them (all optional), and the page wanted (1 is the first).</summary>
public sealed record JobFilter(string? Sheet, string? Status, DateOnly? From, DateOnly? To, int Page)
{
    public static JobFilter All { get; } = new(null, null, null, null, 1);
}

/// <summary>One page of jobs, how many match in all, and the sheets there are (for the filter).</summary>
public sealed record JobListPage(IReadOnlyList<JobSummary> Jobs, int Total, int Page, int PageSize, IReadOnlyList<string> Sheets)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>A job as the list shows it: its attempts over every stage run, its cost, and the time it spent in each stage.</summary>
public sealed record JobSummary(Job Job, int Attempts, decimal Cost, IReadOnlyList<StageSpan> Timeline, bool HasVideo, bool HasThumbnail, string? PublishedUrl);

/// <summary>How long a job has been in one stage (from its first event of the stage to its last, or to now while it runs).</summary>
public sealed record StageSpan(StageName Stage, TimeSpan Duration, bool Running);

/// <summary>The queue's tasks by queue: waiting (pending, due or scheduled), running (leased) and dead-lettered.</summary>
public sealed record QueueCounts(string Queue, int Waiting, int Running, int Dead);

/// <summary>A task the queue gave up on, newest first.</summary>
public sealed record DeadTaskRow(string Queue, string Path, int Attempts, int? LastStatus, string? LastError, DateTimeOffset? FinishedAt, Guid? JobId);

/// <summary>What the cost ledger holds since midnight UTC, by provider and unit (quota units, tokens, posts, ...).</summary>
public sealed record UsageRow(string Provider, string UnitKind, decimal Units, decimal Usd);

/// <summary>The queue health panel.</summary>
public sealed record QueueHealth(IReadOnlyList<QueueCounts> Queues, IReadOnlyList<DeadTaskRow> Dead, IReadOnlyList<UsageRow> UsageToday)
{
    public decimal CostToday => UsageToday.Sum(u => u.Usd);
}

/// <summary>A job as the /events stream sends it when it changed.</summary>
public sealed record JobChange(Guid Id, string Status, string? Stage, string? Error, int Generation, DateTimeOffset UpdatedAt);

/// <summary>
/// The dashboard's reads (plain SQL on the one data source: a page of jobs with everything its rows show in four
/// queries, the queue's tables, the ledger's day) and its two state changes the job store has no verb for: a failed
/// job reopened at a new generation (Retry) and a published job marked taken down before its compensation runs.
/// </summary>
public sealed class DashboardQueries(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string JobColumns = "id, sheet_id, row_hash, request, status, stage, generation, error, created_at, updated_at";

    public async Task<JobListPage> ListAsync(JobFilter filter, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        const string Where = """
            WHERE (@sheet::text IS NULL OR sheet_id = @sheet)
              AND (@status::text IS NULL OR status = @status)
              AND (@from::timestamptz IS NULL OR created_at >= @from)
              AND (@to::timestamptz IS NULL OR created_at < @to)
            """;
        int total;
        await using (var count = dataSource.CreateCommand($"SELECT count(*)::int FROM jobs {Where}"))
        {
            AddFilter(count, filter);
            total = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var jobs = new List<Job>();
        await using (var list = dataSource.CreateCommand($"SELECT {JobColumns} FROM jobs {Where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset"))
        {
            AddFilter(list, filter);
            list.Parameters.AddWithValue("limit", pageSize);
            list.Parameters.AddWithValue("offset", (page - 1) * pageSize);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(ReadJob(reader));
            }
        }
        var summaries = await SummarizeAsync(jobs, cancellationToken);
        var sheets = new List<string>();
        await using (var distinct = dataSource.CreateCommand("SELECT DISTINCT sheet_id FROM jobs ORDER BY sheet_id LIMIT 500"))
        await using (var reader = await distinct.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                sheets.Add(reader.GetString(0));
            }
        }
        return new JobListPage(summaries, total, page, pageSize, sheets);
    }

    /// <summary>The summaries of some jobs: their runs, events and costs in one query each.</summary>
    public async Task<IReadOnlyList<JobSummary>> SummarizeAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return [];
        }
        var ids = jobs.Select(j => j.Id).ToArray();
        var runs = new List<(Guid Job, StageName Stage, int Generation, string Status, int Attempts, JsonElement? Output, bool Compensated)>();
        await using (var command = dataSource.CreateCommand(
            "SELECT job_id, stage, generation, status, attempts, output, compensated_at IS NOT NULL FROM stage_runs WHERE job_id = ANY(@ids)"))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (StageOrder.TryParse(reader.GetString(1), out var stage))
                {
                    JsonElement? output = reader.IsDBNull(5) ? null : ParseJson(reader.GetString(5));
                    runs.Add((reader.GetGuid(0), stage, reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4), output, reader.GetBoolean(6)));
                }
            }
        }
        var events = new List<(Guid Job, DateTimeOffset At, string Kind, StageName? Stage)>();
        await using (var command = dataSource.CreateCommand("SELECT job_id, at, kind, stage FROM job_events WHERE job_id = ANY(@ids) ORDER BY id"))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                StageName? stage = !reader.IsDBNull(3) && StageOrder.TryParse(reader.GetString(3), out var s) ? s : null;
                events.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), stage));
            }
        }
        var costs = new Dictionary<Guid, decimal>();
        await using (var command = dataSource.CreateCommand("SELECT job_id, sum(usd) FROM costs WHERE job_id = ANY(@ids) GROUP BY job_id"))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                costs[reader.GetGuid(0)] = reader.GetDecimal(1);
            }
        }

        var now = time.GetUtcNow();
        return jobs.Select(job =>
        {
            var own = runs.Where(r => r.Job == job.Id).ToList();
            var render = own.Where(r => r.Stage == StageName.Render && r.Status == StageRunStatus.Completed && !r.Compensated && r.Output is not null)
                .OrderByDescending(r => r.Generation).Select(r => StageJson.FromElement<RenderOutput>(r.Output!.Value)).FirstOrDefault();
            var publish = own.Where(r => r.Stage == StageName.Publish && r.Status == StageRunStatus.Completed && !r.Compensated && r.Output is not null)
                .OrderByDescending(r => r.Generation).Select(r => StageJson.FromElement<PublishOutput>(r.Output!.Value)).FirstOrDefault();
            return new JobSummary(job, own.Sum(r => r.Attempts), costs.GetValueOrDefault(job.Id),
                Timeline(job, events.Where(e => e.Job == job.Id).Select(e => (e.At, e.Kind, e.Stage)).ToList(), now),
                render is not null, render?.ThumbnailBlobKey is not null, publish?.Videos?.FirstOrDefault(v => !string.IsNullOrEmpty(v.Url))?.Url);
        }).ToList();
    }

    /// <summary>
    /// The time in each stage, from the job's events: from the stage's first event to its last (compensations left out),
    /// or to <paramref name="now"/> for the stage the job is in while it has not ended. Stages with no event are left out.
    /// </summary>
    public static IReadOnlyList<StageSpan> Timeline(Job job, IReadOnlyList<(DateTimeOffset At, string Kind, StageName? Stage)> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(events);
        var spans = new List<StageSpan>();
        foreach (var stage in StageOrder.InOrder)
        {
            var own = events.Where(e => e.Stage == stage && e.Kind != "compensated").ToList();
            if (own.Count == 0)
            {
                continue;
            }
            var running = !job.IsTerminal && job.Stage == stage && own[^1].Kind != "completed";
            var end = running ? now : own[^1].At;
            var duration = end - own[0].At;
            spans.Add(new StageSpan(stage, duration < TimeSpan.Zero ? TimeSpan.Zero : duration, running));
        }
        return spans;
    }

    public async Task<QueueHealth> QueueHealthAsync(CancellationToken cancellationToken)
    {
        var queues = new List<QueueCounts>();
        await using (var command = dataSource.CreateCommand("""
            SELECT queue,
                   count(*) FILTER (WHERE state = 'pending')::int,
                   count(*) FILTER (WHERE state = 'leased')::int,
                   count(*) FILTER (WHERE state = 'dead')::int
            FROM tasks WHERE state IN ('pending', 'leased', 'dead')
            GROUP BY queue ORDER BY queue
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                queues.Add(new QueueCounts(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
            }
        }
        var dead = new List<DeadTaskRow>();
        await using (var command = dataSource.CreateCommand("""
            SELECT queue, path, dispatch_count, last_status, last_error, finished_at, body
            FROM tasks WHERE state = 'dead' ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 20
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                dead.Add(new DeadTaskRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), JobOf(reader.GetFieldValue<byte[]>(6))));
            }
        }
        var usage = new List<UsageRow>();
        await using (var command = dataSource.CreateCommand("""
            SELECT provider, unit_kind, sum(units), sum(usd) FROM costs WHERE at >= @day GROUP BY provider, unit_kind ORDER BY provider, unit_kind
            """))
        {
            var today = time.GetUtcNow().UtcDateTime.Date;
            command.Parameters.AddWithValue("day", new DateTimeOffset(today, TimeSpan.Zero));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                usage.Add(new UsageRow(reader.GetString(0), reader.GetString(1), reader.GetDecimal(2), reader.GetDecimal(3)));
            }
        }
        return new QueueHealth(queues, dead, usage);
    }

    /// <summary>Jobs changed after <paramref name="since"/>, oldest change first: what the /events stream sends.</summary>
    public async Task<IReadOnlyList<JobChange>> ChangesSinceAsync(DateTimeOffset since, Guid? jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, status, stage, error, generation, updated_at FROM jobs
            WHERE updated_at > @since AND (@job::uuid IS NULL OR id = @job)
            ORDER BY updated_at, id LIMIT 500
            """);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.Add(new NpgsqlParameter("job", NpgsqlDbType.Uuid) { Value = (object?)jobId ?? DBNull.Value });
        var changes = new List<JobChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new JobChange(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return changes;
    }

    /// <summary>
    /// Reopens a failed job at generation <paramref name="generation"/> + 1 from <paramref name="from"/>, in one
    /// statement conditional on it still being failed at that generation (a double click reopens it once), with a
    /// "retried" event. Returns the new generation, or null when the job was not failed at that generation.
    /// </summary>
    public async Task<int?> ReopenFailedAsync(Guid jobId, int generation, StageName from, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            WITH reopened AS (
                UPDATE jobs SET status = @status, stage = @stage, generation = generation + 1, error = NULL, updated_at = @now
                WHERE id = @job AND status = 'failed' AND generation = @generation
                RETURNING id, generation),
            logged AS (
                INSERT INTO job_events (job_id, at, kind, stage, message)
                SELECT id, @now, 'retried', @stage, @message FROM reopened)
            SELECT generation FROM reopened
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("generation", generation);
        command.Parameters.AddWithValue("status", JobStatus.ForStage(from));
        command.Parameters.AddWithValue("stage", from.Wire());
        command.Parameters.AddWithValue("message", message);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteScalarAsync(cancellationToken) is int reopened ? reopened : null;
    }

    /// <summary>
    /// Ends a published or scheduled job as cancelled with <paramref name="reason"/> in its error (once: false when it
    /// was not published or scheduled), with a "taken_down" event; its compensation then takes the videos down.
    /// </summary>
    public async Task<bool> MarkTakenDownAsync(Guid jobId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            WITH marked AS (
                UPDATE jobs SET status = 'cancelled', error = @reason, updated_at = @now
                WHERE id = @job AND status IN ('published', 'scheduled')
                RETURNING id, stage),
            logged AS (
                INSERT INTO job_events (job_id, at, kind, stage, message)
                SELECT id, @now, 'taken_down', stage, @reason FROM marked)
            SELECT count(*)::int FROM marked
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("now", now);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    private static void AddFilter(NpgsqlCommand command, JobFilter filter)
    {
        command.Parameters.Add(new NpgsqlParameter("sheet", NpgsqlDbType.Text) { Value = (object?)filter.Sheet ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)filter.Status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz)
        {
            Value = filter.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz)
        {
            // The To day is included: everything before the next midnight.
            Value = filter.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DBNull.Value,
        });
    }

    private static Job ReadJob(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        JsonSerializer.Deserialize(reader.GetString(3), CoreJson.Default.VideoRequest)!,
        reader.GetString(4),
        !reader.IsDBNull(5) && StageOrder.TryParse(reader.GetString(5), out var stage) ? stage : null,
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.GetFieldValue<DateTimeOffset>(9));

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The job a task body names ({"jobId": ..., "generation": ...}), when it is a job's task.</summary>
    private static Guid? JobOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("jobId", out var id)
                && id.TryGetGuid(out var jobId) ? jobId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
