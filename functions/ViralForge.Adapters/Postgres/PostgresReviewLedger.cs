using Npgsql;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Review;

namespace ViralForge.Adapters.Postgres;

/// <summary>Review cards and decisions in PostgreSQL: plain SQL against one data source, one row per claim.</summary>
public sealed class PostgresReviewLedger(NpgsqlDataSource dataSource, TimeProvider time) : IReviewLedger
{
    private const string MessageColumns = "job_id, generation, surface, address, posted_at";
    private const string DecisionColumns = "job_id, generation, verdict, reviewer_id, reviewer_name, surface, reason, regenerate_stage, feedback, decided_at";

    public async Task RecordPostedAsync(PostedReviewMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO review_messages ({MessageColumns})
            VALUES (@job, @generation, @surface, @address, @posted)
            ON CONFLICT (job_id, generation, surface) DO NOTHING
            """);
        command.Parameters.AddWithValue("job", message.JobId);
        command.Parameters.AddWithValue("generation", message.Generation);
        command.Parameters.AddWithValue("surface", message.Surface);
        command.Parameters.AddWithValue("address", message.Address);
        command.Parameters.AddWithValue("posted", message.PostedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PostedReviewMessage>> ListPostedAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {MessageColumns} FROM review_messages
            WHERE job_id = @job AND generation = @generation
            ORDER BY posted_at, surface
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("generation", generation);
        return await PostgresJobStore.ReadAll(command, ReadMessage, cancellationToken);
    }

    public async Task<DecisionClaim> DecideAsync(RecordedDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        // One statement claims the (job, generation). When it inserts nothing, another decision came first; it has
        // committed by then (ON CONFLICT waits for it), so a second statement, with a fresh snapshot, reads it.
        await using (var insert = dataSource.CreateCommand($"""
            INSERT INTO review_decisions ({DecisionColumns})
            VALUES (@job, @generation, @verdict, @reviewer_id, @reviewer_name, @surface, @reason, @regenerate_stage, @feedback, @decided)
            ON CONFLICT (job_id, generation) DO NOTHING
            RETURNING {DecisionColumns}
            """))
        {
            insert.Parameters.AddWithValue("job", decision.JobId);
            insert.Parameters.AddWithValue("generation", decision.Generation);
            insert.Parameters.AddWithValue("verdict", decision.Verdict.Wire());
            insert.Parameters.AddWithValue("reviewer_id", decision.ReviewerId);
            insert.Parameters.AddWithValue("reviewer_name", decision.ReviewerName);
            insert.Parameters.AddWithValue("surface", decision.Surface);
            insert.Parameters.AddWithValue("reason", (object?)decision.Reason ?? DBNull.Value);
            insert.Parameters.AddWithValue("regenerate_stage", (object?)decision.RegenerateStage?.Wire() ?? DBNull.Value);
            insert.Parameters.AddWithValue("feedback", (object?)decision.Feedback ?? DBNull.Value);
            insert.Parameters.AddWithValue("decided", decision.DecidedAt);
            var won = await PostgresJobStore.ReadAll(insert, ReadDecision, cancellationToken);
            if (won.Count == 1)
            {
                return new DecisionClaim(true, won[0]);
            }
        }

        var standing = await GetDecisionAsync(decision.JobId, decision.Generation, cancellationToken)
            ?? throw new InvalidOperationException($"The review decision of job {decision.JobId} (generation {decision.Generation}) vanished while deciding.");
        return new DecisionClaim(false, standing);
    }

    public async Task<RecordedDecision?> GetDecisionAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DecisionColumns} FROM review_decisions WHERE job_id = @job AND generation = @generation");
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("generation", generation);
        var rows = await PostgresJobStore.ReadAll(command, ReadDecision, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> MarkAppliedAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE review_decisions SET applied_at = @now
            WHERE job_id = @job AND generation = @generation AND applied_at IS NULL
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("generation", generation);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<DateTimeOffset?> GetAppliedAtAsync(Guid jobId, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT applied_at FROM review_decisions WHERE job_id = @job AND generation = @generation");
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("generation", generation);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    // 003_review.sql's CHECK admits only approve, reject and regenerate, so no row holds another spelling.
    private static ReviewVerdict ParseVerdict(string text) =>
        ReviewVerdicts.TryParse(text, out var verdict) ? verdict : throw new InvalidDataException($"Unknown review verdict '{text}' in the database.");

    private static PostedReviewMessage ReadMessage(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetInt32(1),
        r.GetString(2),
        r.GetString(3),
        r.GetFieldValue<DateTimeOffset>(4));

    private static RecordedDecision ReadDecision(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetInt32(1),
        ParseVerdict(r.GetString(2)),
        r.GetString(3),
        r.GetString(4),
        r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : PostgresJobStore.ParseStage(r.GetString(7)),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.GetFieldValue<DateTimeOffset>(9));
}
