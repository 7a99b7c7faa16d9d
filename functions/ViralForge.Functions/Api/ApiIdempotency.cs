using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ViralForge.Functions.Api;

/// <summary>What a request with an Idempotency-Key found.</summary>
public enum IdempotencyState
{
    /// <summary>The key is new (or its earlier use expired): this request answers, then <see cref="ApiIdempotency.CompleteAsync"/>.</summary>
    Claimed,

    /// <summary>The same key with the same body was answered: send <see cref="IdempotencyClaim.StatusCode"/> and <see cref="IdempotencyClaim.Response"/> again.</summary>
    Replay,

    /// <summary>The same key came with a different body.</summary>
    Mismatch,

    /// <summary>The same key and body are being answered by another request right now.</summary>
    InFlight,
}

public sealed record IdempotencyClaim(IdempotencyState State, int StatusCode = 0, string? Response = null);

/// <summary>
/// Idempotency-Key for POST /v1/jobs (sql/013_api_keys.sql): the first request claims (caller, key) with its body's
/// SHA-256 in one INSERT ... ON CONFLICT, and stores its answer; a repeat with the same body gets that answer, one with
/// another body is refused. A claim older than <see cref="ApiOptions.IdempotencyWindow"/>, or one left unanswered for
/// <see cref="AbandonedAfter"/> (its request died), may be claimed again.
/// </summary>
public sealed class ApiIdempotency(NpgsqlDataSource dataSource, IOptions<ApiOptions> options, TimeProvider time)
{
    public const int MaxKeyLength = 255;

    /// <summary>An unanswered claim this old belongs to a request that died; a retry may take it over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public static byte[] HashBody(ReadOnlySpan<byte> body) => SHA256.HashData(body);

    public async Task<IdempotencyClaim> ClaimAsync(string caller, string key, byte[] bodyHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var claim = dataSource.CreateCommand("""
            INSERT INTO api_idempotency (caller, key, request_hash, created_at) VALUES (@caller, @key, @hash, @now)
            ON CONFLICT (caller, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = EXCLUDED.created_at
                WHERE api_idempotency.created_at < @expired
                   OR (api_idempotency.status_code IS NULL AND api_idempotency.created_at < @abandoned)
            RETURNING 1
            """))
        {
            claim.Parameters.AddWithValue("caller", caller);
            claim.Parameters.AddWithValue("key", key);
            claim.Parameters.AddWithValue("hash", bodyHash);
            claim.Parameters.AddWithValue("now", now);
            claim.Parameters.AddWithValue("expired", now - options.Value.IdempotencyWindow);
            claim.Parameters.AddWithValue("abandoned", now - AbandonedAfter);
            if (await claim.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return new IdempotencyClaim(IdempotencyState.Claimed);
            }
        }
        await using var read = dataSource.CreateCommand("SELECT request_hash, status_code, response FROM api_idempotency WHERE caller = @caller AND key = @key");
        read.Parameters.AddWithValue("caller", caller);
        read.Parameters.AddWithValue("key", key);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Taken over and released between the two statements: as good as in flight; the client retries.
            return new IdempotencyClaim(IdempotencyState.InFlight);
        }
        var stored = reader.GetFieldValue<byte[]>(0);
        if (!CryptographicOperations.FixedTimeEquals(stored, bodyHash))
        {
            return new IdempotencyClaim(IdempotencyState.Mismatch);
        }
        return reader.IsDBNull(1)
            ? new IdempotencyClaim(IdempotencyState.InFlight)
            : new IdempotencyClaim(IdempotencyState.Replay, reader.GetInt32(1), reader.GetString(2));
    }

    /// <summary>Keeps the answer of a claimed key for its repeats.</summary>
    public async Task CompleteAsync(string caller, string key, int statusCode, string response, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_idempotency SET status_code = @status, response = @response WHERE caller = @caller AND key = @key AND status_code IS NULL");
        command.Parameters.AddWithValue("caller", caller);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("status", statusCode);
        command.Parameters.AddWithValue("response", response);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Lets go of a claim whose request failed before answering, so a retry may use the key at once.</summary>
    public async Task ReleaseAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM api_idempotency WHERE caller = @caller AND key = @key AND status_code IS NULL");
        command.Parameters.AddWithValue("caller", caller);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
