using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ViralForge.Adapters.YouTube;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Postgres;

/// <summary>
/// Trend snapshots in PostgreSQL (sql/011_trend_snapshots.sql). Taking one holds a transaction-scoped advisory lock on
/// its key while it looks, calls and stores: a second job needing the same chart waits on the lock and then finds the
/// first one's snapshot, so two concurrent jobs of one niche make one API call, across processes and instances.
/// </summary>
public sealed class PostgresTrendSnapshots(NpgsqlDataSource dataSource, TimeProvider time) : ITrendSnapshots
{
    private const string Columns = "source, region, category, query, taken_at, units, note, videos";

    public async Task<TrendSnapshot> GetOrTakeAsync(
        TrendSnapshotKey key, TimeSpan maxAge, Func<CancellationToken, Task<TakenTrends>> take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(take);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", "trend_snapshots:" + key);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        // Read the clock after the lock: a caller that waited behind a take must see that take's snapshot as fresh.
        var since = time.GetUtcNow() - maxAge;
        await using (var find = new NpgsqlCommand($"""
            SELECT {Columns} FROM trend_snapshots
            WHERE source = @source AND region = @region AND category IS NOT DISTINCT FROM @category AND query IS NOT DISTINCT FROM @query
              AND taken_at > @since
            ORDER BY taken_at DESC LIMIT 1
            """, connection, transaction))
        {
            AddKey(find, key);
            find.Parameters.AddWithValue("since", since.UtcDateTime);
            var found = await ReadAllAsync(find, takenNow: false, cancellationToken);
            if (found.Count > 0)
            {
                await transaction.CommitAsync(cancellationToken);
                return found[0];
            }
        }

        var taken = await take(cancellationToken);
        var snapshot = new TrendSnapshot(key, time.GetUtcNow(), taken.Videos, taken.Units, taken.Note, TakenNow: true);
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO trend_snapshots ({Columns})
            VALUES (@source, @region, @category, @query, @taken_at, @units, @note, @videos)
            """, connection, transaction))
        {
            AddKey(insert, key);
            insert.Parameters.AddWithValue("taken_at", snapshot.TakenAt.UtcDateTime);
            insert.Parameters.AddWithValue("units", snapshot.Units);
            insert.Parameters.AddWithValue("note", (object?)snapshot.Note ?? DBNull.Value);
            insert.Parameters.Add(new NpgsqlParameter("videos", NpgsqlDbType.Jsonb)
            {
                Value = JsonSerializer.Serialize(snapshot.Videos, YouTubeTrendsJson.Default.IReadOnlyListTrendVideo),
            });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        // Not the caller's token: the quota is spent, so the snapshot is kept even when the caller stops waiting now.
        await transaction.CommitAsync(CancellationToken.None);
        return snapshot;
    }

    public async Task<TrendSnapshot?> LatestAsync(TrendSnapshotKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM trend_snapshots
            WHERE source = @source AND region = @region AND category IS NOT DISTINCT FROM @category AND query IS NOT DISTINCT FROM @query
            ORDER BY taken_at DESC LIMIT 1
            """);
        AddKey(command, key);
        var found = await ReadAllAsync(command, takenNow: false, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        // The newest of each key stays whatever its age: it is the fallback when the quota is spent.
        await using var command = dataSource.CreateCommand("""
            DELETE FROM trend_snapshots s
            WHERE s.taken_at < @before
              AND EXISTS (SELECT 1 FROM trend_snapshots n
                          WHERE n.source = s.source AND n.region = s.region
                            AND n.category IS NOT DISTINCT FROM s.category AND n.query IS NOT DISTINCT FROM s.query
                            AND n.taken_at > s.taken_at)
            """);
        command.Parameters.AddWithValue("before", before.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, TrendSnapshotKey key)
    {
        command.Parameters.AddWithValue("source", key.Source);
        command.Parameters.AddWithValue("region", key.Region);
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Text) { Value = (object?)key.Category ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("query", NpgsqlDbType.Text) { Value = (object?)key.Query ?? DBNull.Value });
    }

    private static async Task<List<TrendSnapshot>> ReadAllAsync(NpgsqlCommand command, bool takenNow, CancellationToken cancellationToken)
    {
        var rows = new List<TrendSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new TrendSnapshotKey(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            var videos = JsonSerializer.Deserialize(reader.GetString(7), YouTubeTrendsJson.Default.IReadOnlyListTrendVideo)
                ?? throw new InvalidDataException($"Trend snapshot {key} holds JSON null instead of its videos.");
            rows.Add(new TrendSnapshot(
                key, new DateTimeOffset(reader.GetFieldValue<DateTime>(4), TimeSpan.Zero), videos, reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), takenNow));
        }
        return rows;
    }
}
