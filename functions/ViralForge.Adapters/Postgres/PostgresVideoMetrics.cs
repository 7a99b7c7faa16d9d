using Npgsql;
using ViralForge.Core.Metrics;

namespace ViralForge.Adapters.Postgres;

/// <summary>The analytics loop's reads in PostgreSQL (sql/012_video_metrics.sql): one row per (job, platform, read), each write one statement.</summary>
public sealed class PostgresVideoMetrics(NpgsqlDataSource dataSource) : IVideoMetricsStore
{
    private const string Columns =
        "job_id, generation, platform, external_id, due, status, attempts, hook_kind, read_at, views, likes, comments, shares, "
        + "estimated_minutes_watched, average_view_duration, average_view_percentage, error";

    public async Task RecordReadAsync(VideoMetricsRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var stats = row.Stats ?? new VideoStats(null, null);
        // A read replaces a retrying row (the attempts before it stay counted); a read stored already stands, so a
        // redelivery racing the first delivery changes nothing.
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO video_metrics ({Columns})
            VALUES (@job, @generation, @platform, @external_id, @due, 'read', 0, @hook_kind, @at, @views, @likes, @comments, @shares,
                    @minutes, @duration, @percentage, NULL)
            ON CONFLICT (job_id, platform, due) DO UPDATE
            SET status = 'read', generation = EXCLUDED.generation, external_id = EXCLUDED.external_id, hook_kind = EXCLUDED.hook_kind,
                read_at = EXCLUDED.read_at, views = EXCLUDED.views, likes = EXCLUDED.likes, comments = EXCLUDED.comments,
                shares = EXCLUDED.shares, estimated_minutes_watched = EXCLUDED.estimated_minutes_watched,
                average_view_duration = EXCLUDED.average_view_duration, average_view_percentage = EXCLUDED.average_view_percentage,
                error = NULL
            WHERE video_metrics.status <> 'read'
            """);
        AddKey(command, row.JobId, row.Generation, row.Platform, row.ExternalId, row.Due, row.HookKind, row.At);
        command.Parameters.AddWithValue("views", (object?)stats.Views ?? DBNull.Value);
        command.Parameters.AddWithValue("likes", (object?)stats.Likes ?? DBNull.Value);
        command.Parameters.AddWithValue("comments", (object?)stats.Comments ?? DBNull.Value);
        command.Parameters.AddWithValue("shares", (object?)stats.Shares ?? DBNull.Value);
        command.Parameters.AddWithValue("minutes", (object?)stats.EstimatedMinutesWatched ?? DBNull.Value);
        command.Parameters.AddWithValue("duration", (object?)stats.AverageViewDurationSeconds ?? DBNull.Value);
        command.Parameters.AddWithValue("percentage", (object?)stats.AverageViewPercentage ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> RecordFailureAsync(Guid jobId, int generation, string platform, string externalId, string due, string? hookKind, string error,
        bool final, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // One statement: the first failure inserts, a later one counts up; a row already read is left alone.
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO video_metrics (job_id, generation, platform, external_id, due, status, attempts, hook_kind, read_at, error)
            VALUES (@job, @generation, @platform, @external_id, @due, @status, 1, @hook_kind, @at, @error)
            ON CONFLICT (job_id, platform, due) DO UPDATE
            SET status = EXCLUDED.status, attempts = video_metrics.attempts + 1, read_at = EXCLUDED.read_at, error = EXCLUDED.error
            WHERE video_metrics.status = 'retrying'
            RETURNING attempts
            """);
        AddKey(command, jobId, generation, platform, externalId, due, hookKind, at);
        command.Parameters.AddWithValue("status", final ? MetricsReadStatus.Failed : MetricsReadStatus.Retrying);
        command.Parameters.AddWithValue("error", error);
        return await command.ExecuteScalarAsync(cancellationToken) is int attempts ? attempts : 0;
    }

    public async Task<IReadOnlyList<VideoMetricsRow>> ListAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM video_metrics WHERE job_id = @job
            ORDER BY CASE due WHEN '1h' THEN 1 WHEN '24h' THEN 2 ELSE 3 END, platform
            """);
        command.Parameters.AddWithValue("job", jobId);
        return await PostgresJobStore.ReadAll(command, Read, cancellationToken);
    }

    public async Task<IReadOnlyList<OwnVideo>> ListOwnVideosAsync(string sheetId, Guid? excludeJobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sheetId);
        // The latest read with a watch figure per video: 7d over 24h over 1h.
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (m.job_id, m.platform) m.job_id, m.platform, m.due, m.hook_kind, m.average_view_percentage, m.views
            FROM video_metrics m JOIN jobs j ON j.id = m.job_id
            WHERE j.sheet_id = @sheet AND m.status = 'read' AND m.average_view_percentage IS NOT NULL AND m.hook_kind IS NOT NULL
              AND (@exclude::uuid IS NULL OR m.job_id <> @exclude::uuid)
            ORDER BY m.job_id, m.platform, CASE m.due WHEN '7d' THEN 1 WHEN '24h' THEN 2 ELSE 3 END
            """);
        command.Parameters.AddWithValue("sheet", sheetId);
        command.Parameters.Add(new NpgsqlParameter("exclude", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)excludeJobId ?? DBNull.Value });
        return await PostgresJobStore.ReadAll(command, r => new OwnVideo(
            r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetInt64(5)), cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, Guid jobId, int generation, string platform, string externalId, string due, string? hookKind, DateTimeOffset at)
    {
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("generation", generation);
        command.Parameters.AddWithValue("platform", platform);
        command.Parameters.AddWithValue("external_id", externalId);
        command.Parameters.AddWithValue("due", due);
        command.Parameters.AddWithValue("hook_kind", (object?)hookKind ?? DBNull.Value);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
    }

    private static VideoMetricsRow Read(NpgsqlDataReader r)
    {
        var status = r.GetString(5);
        var stats = status == MetricsReadStatus.Read
            ? new VideoStats(Long(r, 9), Long(r, 10), Long(r, 11), Long(r, 12), Double(r, 13), Double(r, 14), Double(r, 15))
            : null;
        return new VideoMetricsRow(r.GetGuid(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), status, r.GetInt32(6),
            r.IsDBNull(7) ? null : r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), stats, r.IsDBNull(16) ? null : r.GetString(16));
    }

    private static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static double? Double(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
