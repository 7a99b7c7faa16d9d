using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Postgres;

/// <summary>The cost ledger in PostgreSQL (sql/009_costs.sql): one row per paid call, written by one statement.</summary>
public sealed class PostgresCostLedger(NpgsqlDataSource dataSource, TimeProvider time) : ICostLedger
{
    private const string Columns = "job_id, stage, generation, call, provider, units, unit_kind, usd, prices_of, vendor_id, result, at";

    public async Task<PaidCall?> FindAsync(PaidWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM costs
            WHERE job_id = @job AND stage = @stage AND generation = @generation AND call = @call
            """);
        AddKey(command, work);
        var rows = await PostgresJobStore.ReadAll(command, Read, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task RecordAsync(PaidCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        // One statement, no check-then-insert: a redelivery racing the first delivery inserts one row. The first write's
        // units, cost and time stand (the money was spent once); a later write only fills a vendor id or result the row
        // was stored without (the vendor id is written before waiting on a long call, the result when it answers).
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO costs ({Columns})
            VALUES (@job, @stage, @generation, @call, @provider, @units, @unit_kind, @usd, @prices_of, @vendor_id, @result, @at)
            ON CONFLICT (job_id, stage, generation, call) DO UPDATE
            SET vendor_id = COALESCE(costs.vendor_id, EXCLUDED.vendor_id),
                result = COALESCE(costs.result, EXCLUDED.result)
            WHERE (costs.vendor_id IS NULL AND EXCLUDED.vendor_id IS NOT NULL)
               OR (costs.result IS NULL AND EXCLUDED.result IS NOT NULL)
            """);
        AddKey(command, call.Work);
        command.Parameters.AddWithValue("provider", call.Provider);
        command.Parameters.AddWithValue("units", call.Units);
        command.Parameters.AddWithValue("unit_kind", call.UnitKind);
        command.Parameters.AddWithValue("usd", call.Usd);
        command.Parameters.AddWithValue("prices_of", call.PricesOf);
        command.Parameters.AddWithValue("vendor_id", (object?)call.VendorId ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Jsonb) { Value = (object?)call.Result?.GetRawText() ?? DBNull.Value });
        command.Parameters.AddWithValue("at", call.At ?? time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PaidCall>> ListAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM costs WHERE job_id = @job ORDER BY at, stage, generation, call");
        command.Parameters.AddWithValue("job", jobId);
        return await PostgresJobStore.ReadAll(command, Read, cancellationToken);
    }

    public async Task<decimal> UnitsSinceAsync(string provider, string unitKind, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT COALESCE(SUM(units), 0) FROM costs WHERE provider = @provider AND unit_kind = @kind AND at >= @from");
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("kind", unitKind);
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        return (decimal)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void AddKey(NpgsqlCommand command, PaidWork work)
    {
        command.Parameters.AddWithValue("job", work.JobId);
        command.Parameters.AddWithValue("stage", work.Stage.Wire());
        command.Parameters.AddWithValue("generation", work.Generation);
        command.Parameters.AddWithValue("call", work.Call);
    }

    private static PaidCall Read(NpgsqlDataReader r) => new(
        new PaidWork(r.GetGuid(0), ParseStage(r.GetString(1)), r.GetInt32(2), r.GetString(3)),
        r.GetString(4),
        r.GetDecimal(5),
        r.GetString(6),
        r.GetDecimal(7),
        r.GetFieldValue<DateOnly>(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : ParseJson(r.GetString(10)),
        r.GetFieldValue<DateTimeOffset>(11));

    // Only this class writes the column, from StageName.Wire(), so no row holds another spelling.
    private static StageName ParseStage(string text) =>
        StageOrder.TryParse(text, out var stage) ? stage : throw new InvalidDataException($"Unknown stage '{text}' in the costs table.");

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
